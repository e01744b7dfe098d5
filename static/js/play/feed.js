// The inject feed, one tab per feed channel (intelligence, news, social media, cables, military…),
// with unread counts on the tabs and a NEW marker on items the player has not seen yet. Each item
// shows the scenario time and the local wall time. What was read is remembered for this tab.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { injectText } from '../scenario.js';
import { tabStore } from '../storage.js';
import { formatScenario, formatWall } from '../time.js';

export class InjectFeed {
  constructor({ scenario, exerciseId, seatKey }) {
    this.scenario = scenario;
    this.storageKey = `hotline.read.${exerciseId}.${seatKey}`;
    this.readUpTo = tabStore.getJson(this.storageKey, {});
    this.channels = new Map(); // channel id → {tab, list, items: [{seq, item}], unread}
    this.active = null;
    this.userChose = false;
    this.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('feed.channels') });
    this.panels = h('div', { class: 'tab-panels' });
    this.element = h('div', { class: 'feed' }, this.tabs, this.panels);
    for (const channel of scenario.channelsOfKind('feed')) this.channel(channel.id);
    const first = this.channels.keys().next().value;
    if (first) this.select(first, { focus: false });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.active && this.element.isConnected) this.markRead(this.active);
    });
  }

  channel(channelId) {
    let entry = this.channels.get(channelId);
    if (entry) return entry;
    const tabId = `feed-tab-${channelId}`;
    const panelId = `feed-panel-${channelId}`;
    const count = h('span', { class: 'count', hidden: true });
    const tab = h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: tabId,
        class: 'tab',
        'aria-controls': panelId,
        'aria-selected': 'false',
        tabindex: '-1',
        dataset: { channel: channelId },
      },
      h('span', { text: this.scenario.channelName(channelId) }),
      count,
    );
    tab.addEventListener('click', () => {
      this.userChose = true;
      this.select(channelId);
    });
    tab.addEventListener('keydown', (pressed) => this.onTabKey(pressed, channelId));
    const list = h('ol', { class: 'feed-items' });
    const empty = h('p', { class: 'empty', text: t('feed.empty') });
    const description = this.scenario.channel(channelId)?.description;
    const panel = h(
      'div',
      { role: 'tabpanel', id: panelId, class: 'tab-panel', 'aria-labelledby': tabId, hidden: true, tabindex: '0' },
      description ? h('p', { class: 'help', text: description }) : null,
      empty,
      list,
    );
    this.tabs.append(tab);
    this.panels.append(panel);
    entry = { tab, panel, list, empty, count, items: [], unread: 0 };
    this.channels.set(channelId, entry);
    return entry;
  }

  onTabKey(pressed, channelId) {
    const ids = [...this.channels.keys()];
    const index = ids.indexOf(channelId);
    let next = null;
    if (pressed.key === 'ArrowRight') next = ids[(index + 1) % ids.length];
    else if (pressed.key === 'ArrowLeft') next = ids[(index - 1 + ids.length) % ids.length];
    else if (pressed.key === 'Home') next = ids[0];
    else if (pressed.key === 'End') next = ids[ids.length - 1];
    if (next) {
      pressed.preventDefault();
      this.userChose = true;
      this.select(next);
    }
  }

  select(channelId, { focus = true } = {}) {
    if (this.active && this.active !== channelId) this.clearMarkers(this.active);
    this.active = channelId;
    for (const [id, entry] of this.channels) {
      const selected = id === channelId;
      entry.tab.setAttribute('aria-selected', String(selected));
      entry.tab.tabIndex = selected ? 0 : -1;
      entry.panel.hidden = !selected;
    }
    const entry = this.channels.get(channelId);
    if (focus) entry.tab.focus();
    this.markRead(channelId);
  }

  /** Count the channel's items as read (their NEW markers stay until the player leaves the tab). */
  markRead(channelId) {
    if (document.hidden) return;
    const entry = this.channels.get(channelId);
    const newest = entry.items.reduce((max, { seq }) => Math.max(max, seq), 0);
    if (newest > (this.readUpTo[channelId] || 0)) {
      this.readUpTo[channelId] = newest;
      tabStore.setJson(this.storageKey, this.readUpTo);
    }
    entry.unread = 0;
    this.renderCount(entry);
  }

  clearMarkers(channelId) {
    for (const { item } of this.channels.get(channelId).items) item.classList.remove('unread');
  }

  renderCount(entry) {
    entry.count.hidden = entry.unread === 0;
    entry.count.textContent = t('feed.unread', { count: entry.unread });
  }

  /** Add an inject_released event. */
  add(event) {
    const payload = event.payload;
    const entry = this.channel(payload.channel);
    // Until the player picks a tab, show a channel that has something rather than an empty one.
    if (!this.userChose && this.active !== payload.channel && !this.channels.get(this.active)?.items.length) {
      this.select(payload.channel, { focus: false });
    }
    const unread = event.seq > (this.readUpTo[payload.channel] || 0);
    const item = this.render(event, unread);
    entry.items.push({ seq: event.seq, item });
    entry.list.prepend(item);
    entry.empty.hidden = true;
    if (unread) {
      if (this.active === payload.channel && !document.hidden) this.markRead(payload.channel);
      else {
        entry.unread += 1;
        this.renderCount(entry);
      }
    }
  }

  render(event, unread) {
    const payload = event.payload;
    const { title, text, originator } = injectText(payload);
    const markers = h('span', { class: 'markers' });
    if (unread) markers.append(h('span', { class: 'marker new', text: t('feed.new') }));
    if (payload.late)
      markers.append(h('span', { class: 'marker late' }, icon('clock'), h('span', { text: t('inject.late') })));
    const meta = h(
      'p',
      { class: 'item-meta' },
      h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
      h('span', {
        class: 'wall-time',
        text: t('feed.local_time', { time: formatWall(event.wall_time, { withSeconds: false }) }),
      }),
      h('span', { class: 'originator', text: originator }),
    );
    const item = h(
      'li',
      { class: `feed-item${unread ? ' unread' : ''}`, dataset: { seq: String(event.seq), inject: payload.inject_id } },
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
