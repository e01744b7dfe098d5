// The live scoreboard: both teams' scores, each metric with its value and one-line explanation, the
// joint score, and for control and evaluators the tasks behind OBJ and how each was rated (shape:
// ScoreCard in app/scoring/model.py, carried by the `scores` message).

import { h, fill } from './dom.js';
import { t } from './i18n.js';
import { metricName, metricTheme } from './metrics.js';
import { formatScenario } from './time.js';
import { TaskRatings } from './task-ratings.js';

function valueText(value) {
  return value === null || value === undefined ? t('scores.na') : String(Math.round(value));
}

function bar(value) {
  const fillBar = h('span', { class: 'bar-fill' });
  fillBar.style.width = `${Math.max(0, Math.min(100, value ?? 0))}%`; // CSSOM, allowed by the CSP
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, fillBar);
}

const BEFORE_STARTEX = new Set(['draft', 'lobby']);

export class Scoreboard {
  /** With a `session`, an evaluator can rate or override tasks from the board. */
  constructor(model, { session = null } = {}) {
    this.model = model;
    this.scenario = model.scenario;
    this.tasks = new TaskRatings({ scenario: model.scenario, session });
    this.card = null;
    this.status = model.status;
    this.element = h('div', { class: 'scoreboard', 'aria-live': 'polite' });
    model.subscribe(() => {
      if (model.status !== this.status) {
        this.status = model.status;
        this.render();
      }
    });
    this.render();
  }

  update(card) {
    this.card = card;
    this.render();
  }

  render() {
    const card = this.card;
    // A card computed before STARTEX is all zeros and N/A: it would only mislead.
    if (!card || !card.teams || BEFORE_STARTEX.has(this.model.status)) {
      fill(this.element, h('p', { class: 'empty', text: t('scores.waiting') }));
      return;
    }
    const teamIds = this.scenario.teams.map((team) => team.id).filter((id) => card.teams[id]);
    const totals = h(
      'div',
      { class: 'score-totals' },
      teamIds.map((id) =>
        h(
          'div',
          { class: `score-total team-${this.scenario.teamIndex(id)}`, dataset: { team: id } },
          h('span', { class: 'score-name', text: this.scenario.teamName(id) }),
          h('span', { class: 'score-value', text: valueText(card.teams[id].score) }),
          bar(card.teams[id].score),
        ),
      ),
      card.joint
        ? h(
            'div',
            { class: 'score-total joint' },
            h('span', { class: 'score-name', text: t('scores.joint') }),
            h('span', { class: 'score-value', text: valueText(card.joint.value) }),
            bar(card.joint.value),
          )
        : null,
    );
    const jointLine = card.joint ? h('p', { class: 'help', text: card.joint.explanation }) : null;
    this.tasks.update(card);
    fill(
      this.element,
      totals,
      jointLine,
      this.metricTable(card, teamIds),
      this.tasks.element,
      h('p', {
        class: 'help',
        text: t('scores.as_of', { time: formatScenario(card.scenario_time), seq: card.last_seq }),
      }),
    );
  }

  metricTable(card, teamIds) {
    const first = card.teams[teamIds[0]];
    const metricIds = first ? Object.keys(first.metrics) : [];
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col', text: t('scores.metric') }),
      teamIds.map((id) => h('th', { scope: 'col', text: this.scenario.teamName(id) })),
    );
    const rows = metricIds.map((metricId) => {
      const metric = first.metrics[metricId];
      return h(
        'tr',
        { dataset: { metric: metricId } },
        h(
          'th',
          { scope: 'row' },
          h('span', { class: 'metric-name', text: `${metricId} · ${metricName(metricId, metric.name)}` }),
          h('span', { class: 'metric-theme', text: metricTheme(metricId, metric.theme) }),
        ),
        teamIds.map((id) => {
          const result = card.teams[id].metrics[metricId];
          return h(
            'td',
            {},
            h('span', { class: 'metric-value', text: valueText(result?.value) }),
            result ? bar(result.value) : null,
            h('span', { class: 'metric-explanation', text: result?.explanation || '' }),
          );
        }),
      );
    });
    return h('table', { class: 'score-table' }, h('thead', {}, head), h('tbody', {}, rows));
  }
}
