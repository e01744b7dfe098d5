// Analysis of objectives and the score card (mirrors templates/_objectives.html.j2). A facilitator can
// turn any area for improvement into a row of the improvement plan with one click.

import { cites, fill, findings, h, rating, table } from './dom.js';
import { clock, indicatorName, indicatorValue, value } from './format.js';
import { teamName } from './sections-overview.js';

const SOURCE_NAMES = { log: 'from the log', evaluator: 'by an evaluator', decision: 'decision window' };

function taskRow(report, task) {
  return h(
    'tr',
    {},
    h('td', {}, task.title, task.critical ? null : h('span', { class: 'muted', text: ' (not critical)' })),
    h('td', { text: teamName(report, task.team) }),
    h('td', {}, rating(task.rating)),
    h('td', { text: task.rating ? SOURCE_NAMES[task.source] || task.source : 'not rated yet' }),
    h('td', {}, task.explanation, task.rationale ? h('em', { text: ` Rationale: ${task.rationale}` }) : null, ' ', cites(task.evidence)),
  );
}

function objective(report, analysis, onPlan) {
  const toPlan = onPlan
    ? (finding) =>
        h('button', {
          type: 'button',
          class: 'no-print add-to-plan',
          text: 'Add to plan',
          title: 'Write a corrective action for this area for improvement',
          onclick: () => onPlan({ issue: finding.text, objective_id: analysis.id }),
        })
    : () => null;
  return h(
    'article',
    { class: 'objective', id: `objective-${analysis.id}` },
    h('h3', {}, rating(analysis.rating), ' ', analysis.title),
    analysis.description ? h('p', { text: analysis.description }) : null,
    h(
      'ul',
      { class: 'objective-ratings' },
      analysis.ratings.map((entry) =>
        h('li', {}, rating(entry.rating), ' ', entry.team === null ? h('strong', { text: 'Evaluator: ' }) : null, entry.explanation, ' ', cites(entry.evidence)),
      ),
    ),
    analysis.tasks.length
      ? table('tasks', ['Task', 'Team', 'Rating', 'How rated', 'Explanation'], analysis.tasks.map((task) => taskRow(report, task)))
      : null,
    h(
      'div',
      { class: 'two-columns' },
      h('div', {}, h('h4', { text: 'Strengths' }), findings(analysis.strengths, 'None recorded.')),
      h('div', {}, h('h4', { text: 'Areas for improvement' }), findings(analysis.improvements, 'None recorded.', toPlan)),
    ),
    analysis.notes.length
      ? [
          h('h4', { text: 'Evaluator notes' }),
          h(
            'ul',
            { class: 'findings' },
            analysis.notes.map((note) => h('li', {}, `${note.author} at ${clock(note.scenario_time)}: ${note.text} `, cites([note.seq, ...note.linked_seqs]))),
          ),
        ]
      : null,
  );
}

export function renderObjectives(body, report, onPlan) {
  fill(
    body,
    h('p', {
      class: 'hint',
      text:
        'Ratings: P performed without challenges, S with some challenges, M with major challenges, U unable to be performed. ' +
        "Each team's rating is the mean of its rated critical tasks; an evaluator's rating of the objective, when given, is the headline.",
    }),
    report.objectives.length
      ? report.objectives.map((analysis) => objective(report, analysis, onPlan))
      : h('p', { class: 'empty', text: 'The scenario sets no objectives and no decision inject was released.' }),
  );
}

export function renderScorecard(body, report) {
  const card = report.scorecard;
  const teams = Object.keys(card.teams);
  const first = card.teams[teams[0]];
  const rows = Object.entries(first.metrics).map(([id, metric]) =>
    h(
      'tr',
      { id: `metric-${id}` },
      h('th', { scope: 'row' }, h('span', { class: 'metric-id', text: id }), ` ${metric.name}`, h('div', { class: 'theme', text: metric.theme })),
      teams.map((team) => {
        const result = card.teams[team].metrics[id];
        return h('td', {}, h('span', { class: 'metric-value', text: value(result.value) }), ` ${result.explanation} `, cites(result.evidence));
      }),
    ),
  );
  rows.push(
    h(
      'tr',
      { class: 'total' },
      h('th', { scope: 'row', text: 'Team score' }),
      teams.map((team) => h('td', {}, h('span', { class: 'metric-value', text: value(card.teams[team].score) }), ` activity gate ${card.teams[team].gate.toFixed(2)}`)),
    ),
  );
  const heads = ['Metric', ...teams.map((team) => teamName(report, team))];
  const indicators = Object.keys(first.indicators).map((key) =>
    h('tr', {}, h('th', { scope: 'row', text: indicatorName(key) }), teams.map((team) => h('td', { text: indicatorValue(key, card.teams[team].indicators[key]) }))),
  );
  fill(
    body,
    table('scorecard', heads, rows),
    h('p', { class: 'joint' }, h('strong', { text: `Joint score ${value(card.joint.value)}` }), `: ${card.joint.explanation} `, cites(card.joint.evidence)),
    card.resolution_time !== null && card.resolution_time !== undefined
      ? h('p', { text: `Resolution phase from ${clock(card.resolution_time)}.` })
      : null,
    h('h3', { text: 'Shown but not scored' }),
    table('indicators', ['Indicator', ...teams.map((team) => teamName(report, team))], indicators),
  );
}
