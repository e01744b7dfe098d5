// Analysis of objectives and the score card (mirrors templates/_objectives.html.j2). A facilitator can
// turn any area for improvement into a row of the improvement plan with one click.

import { t } from '../js/i18n.js';
import { metricName, metricTheme } from '../js/metrics.js';
import { cites, fill, findings, h, rating, table } from './dom.js';
import { clock, indicatorName, indicatorValue, value } from './format.js';
import { teamName } from './sections-overview.js';

const SOURCES = new Set(['log', 'evaluator', 'decision']);

function sourceName(task) {
  if (task.source === 'evaluator' && task.from_log && task.from_log !== task.rating) {
    return t('report.source.evaluator_over', { rating: task.from_log });
  }
  return SOURCES.has(task.source) ? t(`report.source.${task.source}`) : task.source;
}

function taskRow(report, task) {
  return h(
    'tr',
    {},
    h('td', {}, task.title, task.critical ? null : h('span', { class: 'muted', text: ` ${t('report.not_critical')}` })),
    h('td', { text: teamName(report, task.team) }),
    h('td', {}, rating(task.rating)),
    h('td', { text: task.rating ? sourceName(task) : t('report.not_rated') }),
    h(
      'td',
      {},
      task.explanation,
      task.rationale ? h('em', { text: ` ${t('report.rationale', { text: task.rationale })}` }) : null,
      ' ',
      cites(task.evidence),
    ),
  );
}

function objective(report, analysis, onPlan) {
  const toPlan = onPlan
    ? (finding) =>
        h('button', {
          type: 'button',
          class: 'no-print add-to-plan',
          text: t('report.add_to_plan'),
          title: t('report.add_to_plan_help'),
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
        h('li', {}, rating(entry.rating), ' ', entry.team === null ? h('strong', { text: `${t('report.evaluator')} ` }) : null, entry.explanation, ' ', cites(entry.evidence)),
      ),
    ),
    analysis.tasks.length
      ? table(
          'tasks',
          ['report.col.task', 'report.col.team', 'report.col.rating', 'report.col.how_rated', 'report.col.explanation'].map((key) => t(key)),
          analysis.tasks.map((task) => taskRow(report, task)),
        )
      : null,
    h(
      'div',
      { class: 'two-columns' },
      h('div', {}, h('h4', { text: t('report.strengths') }), findings(analysis.strengths, t('report.none_recorded'))),
      h('div', {}, h('h4', { text: t('report.improvements') }), findings(analysis.improvements, t('report.none_recorded'), toPlan)),
    ),
    analysis.notes.length
      ? [
          h('h4', { text: t('report.evaluator_notes') }),
          h(
            'ul',
            { class: 'findings' },
            analysis.notes.map((note) =>
              h('li', {}, `${t('report.note_by', { author: note.author, time: clock(note.scenario_time), text: note.text })} `, cites([note.seq, ...note.linked_seqs])),
            ),
          ),
        ]
      : null,
  );
}

export function renderObjectives(body, report, onPlan) {
  fill(
    body,
    h('p', { class: 'hint', text: t('report.ratings_hint') }),
    report.objectives.length
      ? report.objectives.map((analysis) => objective(report, analysis, onPlan))
      : h('p', { class: 'empty', text: t('report.no_objectives_analysis') }),
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
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'metric-id', text: id }),
        ` ${metricName(id, metric.name)}`,
        h('div', { class: 'theme', text: metricTheme(id, metric.theme) }),
      ),
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
      h('th', { scope: 'row', text: t('report.team_score') }),
      teams.map((team) =>
        h('td', {}, h('span', { class: 'metric-value', text: value(card.teams[team].score) }), ` ${t('report.gate', { gate: card.teams[team].gate.toFixed(2) })}`),
      ),
    ),
  );
  const heads = [t('scores.metric'), ...teams.map((team) => teamName(report, team))];
  const indicators = Object.keys(first.indicators).map((key) =>
    h('tr', {}, h('th', { scope: 'row', text: indicatorName(key) }), teams.map((team) => h('td', { text: indicatorValue(key, card.teams[team].indicators[key]) }))),
  );
  fill(
    body,
    table('scorecard', heads, rows),
    h('p', { class: 'joint' }, h('strong', { text: `${t('report.joint_score')} ${value(card.joint.value)}` }), `: ${card.joint.explanation} `, cites(card.joint.evidence)),
    card.resolution_time !== null && card.resolution_time !== undefined
      ? h('p', { text: t('report.resolution', { time: clock(card.resolution_time) }) })
      : null,
    h('h3', { text: t('report.not_scored') }),
    table('indicators', [t('report.col.indicator'), ...teams.map((team) => teamName(report, team))], indicators),
  );
}
