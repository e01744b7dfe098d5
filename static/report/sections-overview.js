// Overview and executive summary sections of the live report page (mirrors templates/_overview.html.j2).

import { t } from '../js/i18n.js';
import { cites, fill, findings, h, table } from './dom.js';
import { clock, duration, times, value, wall } from './format.js';

/** The kinds of event the report groups the log into (report.category.<kind> names each). */
export const CATEGORIES = ['inject', 'action', 'contact', 'message', 'chat', 'control', 'evaluation', 'hotwash', 'admin'];

export function categoryName(category) {
  return CATEGORIES.includes(category) ? t(`report.category.${category}`) : category;
}

export function teamName(report, team) {
  const found = report.overview.teams.find((info) => info.id === team);
  return found ? found.name : team || '';
}

function roleName(report, team, role) {
  const info = report.overview.teams.find((candidate) => candidate.id === team);
  const found = info ? info.roles.find((candidate) => candidate.id === role) : null;
  return found ? found.name : role;
}

function fact(term, ...detail) {
  return [h('dt', { text: term }), h('dd', {}, ...detail)];
}

function counts(overview) {
  const parts = Object.entries(overview.counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, count]) => t('report.count_of', { count, name: categoryName(category).toLowerCase() }));
  return `${overview.event_count}${parts.length ? ` — ${parts.join(t('report.list_separator'))}` : ''}`;
}

function participants(report) {
  const seats = report.overview.participants;
  if (!seats.length) return h('p', { class: 'empty', text: t('report.no_seats') });
  return table(
    'participants',
    ['report.col.seat', 'report.col.team', 'report.col.role', 'report.col.joined', 'report.col.events'].map((key) => t(key)),
    seats.map((seat) =>
      h(
        'tr',
        { class: seat.revoked ? 'revoked' : null },
        h('td', {}, seat.label, seat.revoked ? h('span', { class: 'muted', text: ` ${t('report.revoked')}` }) : null),
        h('td', { text: seat.team ? teamName(report, seat.team) : seat.kind === 'observer' ? t('actor.observer') : '—' }),
        h('td', { text: seat.role ? roleName(report, seat.team, seat.role) : seat.kind === 'player' ? t('report.whole_team') : '—' }),
        h('td', { text: seat.joined ? t('report.yes') : t('report.no') }),
        h('td', { class: 'num', text: seat.events }),
      ),
    ),
  );
}

export function renderOverview(body, report) {
  const o = report.overview;
  const later = o.compressions.slice(1).map(times).join(', ');
  fill(
    body,
    h(
      'dl',
      { class: 'facts' },
      fact(t('report.fact.exercise'), o.title, ' ', h('span', { class: 'muted', text: `(${o.exercise_id})` })),
      fact(
        t('report.fact.scenario'),
        o.scenario_title,
        ' ',
        h('span', { class: 'muted', text: t('report.scenario_version', { id: o.scenario_id, version: o.scenario_version }) }),
      ),
      fact(t('report.fact.status'), `${t(`report.status.${o.status}`)}${o.imported ? ` ${t('report.imported')}` : ''}`),
      fact('STARTEX', wall(o.startex)),
      fact('ENDEX', wall(o.endex)),
      fact(
        t('report.fact.duration'),
        t('report.duration_text', {
          wall: duration(o.wall_duration),
          reached: clock(o.scenario_reached),
          planned: clock(o.scenario_end),
        }),
      ),
      fact(
        t('report.fact.compression'),
        later ? t('report.compression_later', { first: times(o.compression), later }) : t('report.compression_first', { first: times(o.compression) }),
      ),
      fact(t('report.fact.events'), counts(o)),
    ),
    h('p', { class: 'scenario-summary', text: o.scenario_summary }),
    h('h3', { text: t('report.participants') }),
    participants(report),
    h('h3', { text: t('report.objectives') }),
    o.objectives.length
      ? h(
          'ol',
          { class: 'objective-list' },
          o.objectives.map((objective) =>
            h(
              'li',
              {},
              h('a', { href: `#objective-${objective.id}`, text: objective.title }),
              objective.description ? ` — ${objective.description}` : '',
            ),
          ),
        )
      : h('p', { class: 'empty', text: t('report.no_objectives') }),
  );
}

export function renderSummary(body, report) {
  const card = report.scorecard;
  const teams = Object.entries(card.teams).map(([team, scores], at, all) => [
    `${teamName(report, team)} `,
    h('strong', { text: value(scores.score) }),
    at < all.length - 1 ? ', ' : '',
  ]);
  fill(
    body,
    h('p', { class: 'lead' }, `${t('report.joint_score')} `, h('strong', { text: value(card.joint.value) }), '; ', teams, '. ', card.joint.explanation, ' ', cites(card.joint.evidence)),
    h(
      'div',
      { class: 'two-columns' },
      h('div', {}, h('h3', { text: t('report.strengths_major') }), findings(report.summary.strengths, t('report.no_strengths'))),
      h('div', {}, h('h3', { text: t('report.improvements_primary') }), findings(report.summary.improvements, t('report.no_improvements'))),
    ),
  );
}
