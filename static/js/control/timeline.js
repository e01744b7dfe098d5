// The live timeline of every event from both teams and the control cell, newest first, with a filter
// by team; clicking an item links it to the observation being written.

import { h, options } from '../dom.js';
import { t } from '../i18n.js';
import { EventList } from '../event-list.js';

const QUIET_KINDS = new Set(['presence']);

export class Timeline {
  constructor({ model, seatLabel, onToggleLink }) {
    this.model = model;
    const scenario = model.scenario;
    this.team = options(h('select', { id: 'timeline-filter' }), [
      ['', t('timeline.all')],
      ...scenario.teams.map((team) => [team.id, team.name]),
      ['control', t('timeline.control_only')],
    ]);
    this.quiet = h('input', { type: 'checkbox', id: 'timeline-quiet' });
    this.compact = h('input', { type: 'checkbox', id: 'timeline-compact' });
    this.list = new EventList({
      scenario,
      seatLabel,
      onToggleLink,
      label: t('timeline.title'),
      filter: (event) => this.shows(event),
    });
    this.team.addEventListener('change', () => this.list.setFilter((event) => this.shows(event)));
    this.quiet.addEventListener('change', () => this.list.setFilter((event) => this.shows(event)));
    // One line per event: a long exercise fits on a screen, and the details are a click away (hover shows them).
    this.compact.addEventListener('change', () => this.list.container.classList.toggle('compact', this.compact.checked));
    this.element = h(
      'div',
      { class: 'timeline' },
      h(
        'div',
        { class: 'filters' },
        h('label', { for: 'timeline-filter', text: t('timeline.filter') }),
        this.team,
        h(
          'label',
          { class: 'checkbox', for: 'timeline-quiet' },
          this.quiet,
          h('span', { text: t('timeline.show_presence') }),
        ),
        h('label', { class: 'checkbox', for: 'timeline-compact' }, this.compact, h('span', { text: t('timeline.compact') })),
      ),
      h('p', { class: 'help', text: t('timeline.help') }),
      this.list.container,
    );
  }

  shows(event) {
    const quiet = ['presence_changed', 'injects_seen'].includes(event.type) || event.type.startsWith('seat_');
    const kind = quiet ? 'presence' : 'other';
    if (QUIET_KINDS.has(kind) && !this.quiet.checked) return false;
    const team = this.team.value;
    if (!team) return true;
    const actorTeam = event.actor?.team || null;
    if (team === 'control') return !actorTeam;
    if (actorTeam) return actorTeam === team;
    return (event.audience || []).some(
      (entry) => entry === 'all' || entry === `team:${team}` || entry.startsWith(`role:${team}:`),
    );
  }

  add(event) {
    this.list.add(event);
  }

  summary(seq) {
    return this.list.summary(seq);
  }

  setLinked(seqs) {
    this.list.setLinked(seqs);
  }
}
