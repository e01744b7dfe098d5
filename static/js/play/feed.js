// The inject feed. Its first pane is the stream: every inject this seat has received, newest first, with
// a row of channel tabs that filter it ("All", then each feed channel with its unread count). A NEW
// marker stays on items the player has not seen; what was read is remembered for this tab and reported
// to the control cell (read receipts). Each item shows the scenario time and the local wall time, and
// social media reads as posts, not as wire copy.
//
// Other panes slot in beside the stream with `addPane({key, label, element, add})` (a social feed or a
// news site, say): every inject goes to the stream and to each pane's `add`, and a pane switcher appears
// above them once there is more than one pane.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { injectText } from '../scenario.js';
import { tabStore } from '../storage.js';
import { formatScenario, formatWall } from '../time.js';

const ALL = '';

export class InjectFeed {
  constructor({ scenario, exerciseId, seatKey, onSeen = () => {} }) {
    this.scenario = scenario;
    this.onSeen = onSeen;
    this.storageKey = `hotline.read.${exerciseId}.${seatKey}`;
    this.readUpTo = tabStore.getJson(this.storageKey, {});
    this.filters = new Map(); // '' (all) or channel id → {tab, count, unread}
    this.items = []; // {seq, channel, item, injectId}
    this.active = ALL;
    this.tabs = h('div', { class: 'tabs feed-filter', role: 'tablist', 'aria-label': t('feed.channels') });
    this.description = h('p', { class: 'help channel-description' });
    this.list = h('ol', { class: 'feed-items' });
    this.empty = h('p', { class: 'empty', text: t('feed.empty_all') });
    this.stream = h(
      'div',
      { role: 'tabpanel', id: 'feed-stream', class: 'tab-panel feed-stream', tabindex: '0' },
      this.description,
      this.empty,
      this.list,
    );
    this.filter(ALL, t('feed.all'));
    for (const channel of scenario.channelsOfKind('feed')) this.filter(channel.id, channel.name);
    this.paneSwitch = h('div', { class: 'pane-switch', role: 'group', 'aria-label': t('feed.panes'), hidden: true });
    this.panes = [{ key: 'stream', label: t('feed.stream'), element: h('div', { class: 'feed-pane' }, this.tabs, this.stream) }];
    this.paneBody = h('div', { class: 'feed-panes' }, this.panes[0].element);
    this.element = h('div', { class: 'feed' }, this.paneSwitch, this.paneBody);
    this.select(ALL, { focus: false });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.element.isConnected) this.markRead();
    });
  }

  /** Another way to show the injects (issue-specific panes such as a social feed). */
  addPane(pane) {
    this.panes.push(pane);
    this.paneBody.append(pane.element);
    pane.element.hidden = true;
    for (const { event } of this.items) pane.add?.(event);
    this.renderPaneSwitch();
  }

  renderPaneSwitch() {
    this.paneSwitch.hidden = this.panes.length < 2;
    this.paneSwitch.replaceChildren(
      ...this.panes.map((pane, index) => {
        const button = h('button', { type: 'button', class: 'button small ghost', text: pane.label });
        button.setAttribute('aria-pressed', String(index === 0));
        button.addEventListener('click', () => {
          this.panes.forEach((other, at) => {
            other.element.hidden = other !== pane;
            this.paneSwitch.children[at].setAttribute('aria-pressed', String(other === pane));
          });
        });
        return button;
      }),
    );
  }

  filter(channelId, name) {
    const count = h('span', { class: 'count', hidden: true });
    const tab = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `feed-tab-${channelId || 'all'}`,
        class: 'tab',
        'aria-controls': 'feed-stream',
        'aria-selected': 'false',
        tabindex: '-1',
        dataset: { channel: channelId || 'all' },
      },
      h('span', { text: name }),
      count,
    );
    tab.addEventListener('click', () => this.select(channelId));
    tab.addEventListener('keydown', (pressed) => this.onTabKey(pressed, channelId));
    this.tabs.append(tab);
    this.filters.set(channelId, { tab, count, unread: 0 });
  }

  onTabKey(pressed, channelId) {
    const ids = [...this.filters.keys()];
    const index = ids.indexOf(channelId);
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: ids.length - 1 };
    if (!(pressed.key in moves)) return;
    pressed.preventDefault();
    this.select(ids[(moves[pressed.key] + ids.length) % ids.length]);
  }

  select(channelId, { focus = true } = {}) {
    if (this.active !== channelId) this.clearMarkers();
    this.active = channelId;
    for (const [id, entry] of this.filters) {
      const selected = id === channelId;
      entry.tab.setAttribute('aria-selected', String(selected));
      entry.tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) entry.tab.focus();
    }
    this.stream.setAttribute('aria-labelledby', this.filters.get(channelId).tab.id);
    this.description.textContent = channelId ? this.scenario.channel(channelId)?.description || '' : '';
    this.description.hidden = !this.description.textContent;
    let shown = 0;
    for (const entry of this.items) {
      entry.item.hidden = !this.shows(entry.channel);
      if (!entry.item.hidden) shown += 1;
    }
    this.empty.hidden = shown > 0;
    this.empty.textContent = channelId ? t('feed.empty') : t('feed.empty_all');
    this.markRead();
  }

  shows(channelId) {
    return this.active === ALL || this.active === channelId;
  }

  /** Count what the shown filter holds as read (its NEW markers stay until the player moves on). */
  markRead() {
    if (document.hidden || !this.element.isConnected) return;
    const seen = [];
    for (const entry of this.items) {
      if (!this.shows(entry.channel) || entry.seq <= (this.readUpTo[entry.channel] || 0)) continue;
      this.readUpTo[entry.channel] = entry.seq;
      seen.push(entry.injectId);
    }
    for (const entry of this.items) if (this.shows(entry.channel)) entry.read = true;
    if (seen.length) tabStore.setJson(this.storageKey, this.readUpTo);
    this.renderCounts();
    const unreported = this.items.filter((entry) => entry.read && !entry.reported);
    if (unreported.length) {
      unreported.forEach((entry) => (entry.reported = true));
      this.onSeen(unreported.map((entry) => entry.injectId));
    }
  }

  clearMarkers() {
    for (const entry of this.items) if (entry.read) entry.item.classList.remove('unread');
  }

  renderCounts() {
    let total = 0;
    for (const [id, entry] of this.filters) {
      if (id === ALL) continue;
      entry.unread = this.items.filter((item) => item.channel === id && !item.read).length;
      total += entry.unread;
    }
    this.filters.get(ALL).unread = total;
    for (const entry of this.filters.values()) {
      entry.count.hidden = entry.unread === 0;
      entry.count.textContent = t('feed.unread', { count: entry.unread });
    }
  }

  /** How many injects the player has not seen yet. */
  get unread() {
    return this.filters.get(ALL).unread;
  }

  /** Add an inject_released event. */
  add(event) {
    const payload = event.payload;
    if (!this.filters.has(payload.channel)) this.filter(payload.channel, this.scenario.channelName(payload.channel));
    const unread = event.seq > (this.readUpTo[payload.channel] || 0);
    const item = this.render(event, unread);
    const entry = { seq: event.seq, channel: payload.channel, item, injectId: payload.inject_id, read: !unread, event };
    // Already read in an earlier visit: reported then, so not again.
    entry.reported = !unread;
    this.items.push(entry);
    this.list.prepend(item);
    item.hidden = !this.shows(payload.channel);
    if (!item.hidden) this.empty.hidden = true;
    for (const pane of this.panes.slice(1)) pane.add?.(event);
    if (unread && !item.hidden && !document.hidden) this.markRead();
    else this.renderCounts();
  }

  render(event, unread) {
    const payload = event.payload;
    const { title, text, originator } = injectText(payload);
    const kind = payload.channel === 'social' ? 'social' : 'wire';
    const markers = h('span', { class: 'markers' });
    if (unread) markers.append(h('span', { class: 'marker new', text: t('feed.new') }));
    if (payload.late)
      markers.append(h('span', { class: 'marker late' }, icon('clock'), h('span', { text: t('inject.late') })));
    const meta = h(
      'p',
      { class: 'item-meta' },
      h('span', { class: 'channel-name', text: this.scenario.channelName(payload.channel) }),
      h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
      h('span', {
        class: 'wall-time',
        text: t('feed.local_time', { time: formatWall(event.wall_time, { withSeconds: false }) }),
      }),
      h('span', { class: 'originator', text: originator }),
    );
    const item = h(
      'li',
      {
        class: `feed-item kind-${kind}${unread ? ' unread' : ''}`,
        dataset: { seq: String(event.seq), inject: payload.inject_id, channel: payload.channel },
      },
      h('div', { class: 'item-head' }, h('h3', { class: 'item-title', text: title }), markers),
      meta,
      h('p', { class: 'item-text', text }),
    );
    if (payload.decision_window) {
      const due = event.scenario_time + payload.decision_window;
      item.append(
        h(
          'p',
          { class: 'decision' },
          icon('alert'),
          h('span', { text: t('feed.decision_due', { time: formatScenario(due) }) }),
        ),
      );
    }
    return item;
  }
}
