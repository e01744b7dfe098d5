// A live list of events in words, newest first: the control timeline and the observers' team columns.
// An item can be linked to the observation being written by clicking it (or its "Link" button).

import { h } from './dom.js';
import { icon } from './icons.js';
import { t } from './i18n.js';
import { describeEvent } from './describe.js';
import { formatScenario, formatWall } from './time.js';

export class EventList {
  /**
   * @param {object} options
   * @param {ScenarioView} options.scenario
   * @param {(seatId: string) => string} [options.seatLabel]
   * @param {(event: object) => boolean} [options.filter]  which events to show
   * @param {(seq: number, summary: string) => void} [options.onToggleLink]  makes items linkable
   * @param {string} options.label  accessible name of the list
   */
  constructor({ scenario, seatLabel, filter = () => true, onToggleLink = null, label }) {
    this.scenario = scenario;
    this.seatLabel = seatLabel || ((id) => id);
    this.filter = filter;
    this.onToggleLink = onToggleLink;
    this.items = new Map();
    this.element = h('ol', { class: 'event-list', 'aria-label': label, 'aria-live': 'off' });
    this.empty = h('p', { class: 'empty', text: t('timeline.empty') });
    this.container = h('div', { class: 'event-list-wrap' }, this.empty, this.element);
  }

  add(event) {
    if (this.items.has(event.seq)) return;
    const described = describeEvent(event, this.scenario, this.seatLabel);
    const item = this.render(event, described);
    this.items.set(event.seq, { event, item });
    item.hidden = !this.filter(event);
    // Events arrive in seq order, so the newest goes on top.
    this.element.prepend(item);
    if (!item.hidden) this.empty.hidden = true;
  }

  render(event, described) {
    const teamIndex = described.team ? this.scenario.teamIndex(described.team) : null;
    const when = h(
      'span',
      { class: 'when' },
      h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
      h('span', { class: 'wall-time', text: formatWall(event.wall_time) }),
    );
    const body = h('div', { class: 'event-body' }, h('p', { class: 'summary', text: described.summary }));
    body.title = [described.summary, ...described.details.map(([label, text]) => (label ? `${label}: ${text}` : text))]
      .filter(Boolean)
      .join('\n');
    for (const [label, text] of described.details) {
      if (!text) continue;
      body.append(
        h('p', { class: 'detail' }, label ? h('span', { class: 'detail-label', text: `${label}: ` }) : null, text),
      );
    }
    if (described.band !== undefined) {
      body.prepend(
        h('span', { class: `band band-${described.band}`, text: t('band.short', { band: described.band }) }),
      );
    }
    const item = h(
      'li',
      {
        class: `event kind-${described.kind}`,
        dataset: { seq: String(event.seq), type: event.type, team: described.team || '' },
      },
      when,
      body,
    );
    if (teamIndex !== null) item.classList.add(`team-${teamIndex}`);
    if (this.onToggleLink) {
      const link = h(
        'button',
        {
          type: 'button',
          class: 'link-toggle',
          'aria-pressed': 'false',
          'aria-label': t('timeline.link_label', { seq: event.seq, summary: described.summary }),
        },
        icon('link'),
        h('span', { text: t('timeline.link') }),
      );
      link.addEventListener('click', (clicked) => {
        clicked.stopPropagation();
        this.onToggleLink(event.seq, described.summary);
      });
      item.addEventListener('click', (clicked) => {
        if (window.getSelection()?.toString()) return; // selecting text is not a click on the item
        if (clicked.target.closest('a, button')) return;
        this.onToggleLink(event.seq, described.summary);
      });
      item.classList.add('linkable');
      item.append(link);
    }
    return item;
  }

  /** The one-line summary of event `seq` in the language shown now, if this list has it. */
  summary(seq) {
    const entry = this.items.get(seq);
    return entry ? describeEvent(entry.event, this.scenario, this.seatLabel).summary : null;
  }

  /** Mark the items whose seq is in `seqs` as linked. */
  setLinked(seqs) {
    for (const [seq, { item }] of this.items) {
      const linked = seqs.has(seq);
      item.classList.toggle('linked', linked);
      item.querySelector('.link-toggle')?.setAttribute('aria-pressed', String(linked));
    }
  }

  setFilter(filter) {
    this.filter = filter;
    for (const { event, item } of this.items.values()) item.hidden = !filter(event);
    this.updateEmpty();
  }

  updateEmpty() {
    this.empty.hidden = [...this.items.values()].some(({ item }) => !item.hidden);
  }
}
