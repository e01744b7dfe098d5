// Overview and executive summary sections of the live report page (mirrors templates/_overview.html.j2).

import { cites, fill, findings, h, table } from './dom.js';
import { clock, duration, times, value, wall } from './format.js';

export const CATEGORY_NAMES = {
  inject: 'Injects',
  action: 'Actions',
  contact: 'Contacts',
  message: 'Cables and statements',
  chat: 'Team chat',
  control: 'Control',
  evaluation: 'Evaluation',
  hotwash: 'Hot wash',
  admin: 'Seats and presence',
};

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
    .map(([category, count]) => `${count} ${(CATEGORY_NAMES[category] || category).toLowerCase()}`);
  return `${overview.event_count}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}

function participants(report) {
  const seats = report.overview.participants;
  if (!seats.length) return h('p', { class: 'empty', text: 'No seats were issued.' });
  return table(
    'participants',
    ['Seat', 'Team', 'Role', 'Joined', 'Events'],
    seats.map((seat) =>
      h(
        'tr',
        { class: seat.revoked ? 'revoked' : null },
        h('td', {}, seat.label, seat.revoked ? h('span', { class: 'muted', text: ' (revoked)' }) : null),
        h('td', { text: seat.team ? teamName(report, seat.team) : seat.kind === 'observer' ? 'Observer' : '—' }),
        h('td', { text: seat.role ? roleName(report, seat.team, seat.role) : seat.kind === 'player' ? 'whole team' : '—' }),
        h('td', { text: seat.joined ? 'yes' : 'no' }),
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
      fact('Exercise', o.title, ' ', h('span', { class: 'muted', text: `(${o.exercise_id})` })),
      fact('Scenario', o.scenario_title, ' ', h('span', { class: 'muted', text: `(${o.scenario_id}, version ${o.scenario_version})` })),
      fact('Status', `${o.status}${o.imported ? ' (imported log)' : ''}`),
      fact('STARTEX', wall(o.startex)),
      fact('ENDEX', wall(o.endex)),
      fact(
        'Duration',
        `${duration(o.wall_duration)} of wall time; scenario time reached ${clock(o.scenario_reached)} of ${clock(o.scenario_end)} planned`,
      ),
      fact('Compression', `${times(o.compression)} at launch${later ? `; then ${later}` : ''}`),
      fact('Events', counts(o)),
    ),
    h('p', { class: 'scenario-summary', text: o.scenario_summary }),
    h('h3', { text: 'Participants by seat' }),
    participants(report),
    h('h3', { text: 'Objectives' }),
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
      : h('p', { class: 'empty', text: 'The scenario sets no objectives.' }),
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
    h('p', { class: 'lead' }, 'Joint score ', h('strong', { text: value(card.joint.value) }), '; ', teams, '. ', card.joint.explanation, ' ', cites(card.joint.evidence)),
    h(
      'div',
      { class: 'two-columns' },
      h('div', {}, h('h3', { text: 'Major strengths' }), findings(report.summary.strengths, 'No metric reached 75.')),
      h('div', {}, h('h3', { text: 'Primary areas for improvement' }), findings(report.summary.improvements, 'No metric fell below 40.')),
    ),
  );
}
