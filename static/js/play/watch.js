// The observers' console: a read-only watch view of both teams side by side (everything each team
// does and receives), both teams' domestic pressure in a scenario with a media world, the observation
// composer, and the scoreboard when scores arrive.

import { h, panel } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { EventList } from '../event-list.js';
import { ObservationComposer } from '../observation.js';
import { Scoreboard } from '../scoreboard.js';
import { pressureMeters } from '../pressure-meter.js';

const HIDDEN_TYPES = new Set([
  'presence_changed',
  'seat_issued',
  'seat_revoked',
  'observation_added',
  'task_rated',
  'injects_seen',
]);

function concerns(event, teamId) {
  if (HIDDEN_TYPES.has(event.type)) return false;
  if (event.actor?.team) return event.actor.team === teamId;
  return (event.audience || []).some(
    (entry) => entry === 'all' || entry === `team:${teamId}` || entry.startsWith(`role:${teamId}:`),
  );
}

export class WatchConsole {
  constructor({ session, model }) {
    this.model = model;
    const scenario = model.scenario;
    this.composer = new ObservationComposer({
      session,
      scenario,
      onLinksChanged: (seqs) => this.lists?.forEach((list) => list.setLinked(seqs)),
    });
    this.lists = scenario.teams.map(
      (team) =>
        new EventList({
          scenario,
          onToggleLink: (seq, summary) => this.composer.toggleLink(seq, summary),
          label: t('watch.team_log', { team: team.name }),
        }),
    );
    this.scoreboard = new Scoreboard(model, { session });
    this.element = h(
      'div',
      { class: 'watch-console' },
      h('p', { class: 'help intro', text: t('watch.help') }),
      pressureMeters(
        model,
        scenario.teams.map((team) => team.id),
      ),
      h(
        'div',
        { class: 'watch-grid' },
        scenario.teams.map((team, index) =>
          panel({
            title: team.name,
            body: this.lists[index].container,
            className: `watch-team team-${index}`,
            symbol: icon('eye'),
          }),
        ),
        h(
          'div',
          { class: 'watch-side' },
          panel({
            title: t('observation.title'),
            body: this.composer.element,
            className: 'observation-panel',
            id: 'observe',
          }),
          panel({ title: t('scores.title'), body: this.scoreboard.element, className: 'scores-panel' }),
        ),
      ),
    );
  }

  add(event) {
    if (event.type === 'observation_added') this.composer.addRecorded(event);
    this.model.scenario.teams.forEach((team, index) => {
      if (concerns(event, team.id)) this.lists[index].add(event);
    });
  }

  /** What a rebuild (after a language switch) must not lose: the events linked to the observation. */
  keep() {
    return { linked: this.composer.linked };
  }

  restore({ linked }) {
    for (const [seq, summary] of linked) {
      const words = this.lists.map((list) => list.summary(seq)).find(Boolean);
      this.composer.toggleLink(seq, words || summary);
    }
  }

  showScores(card) {
    this.scoreboard.update(card);
  }

  incomingCalls() {
    return [];
  }
}
