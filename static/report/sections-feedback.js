// Evaluator observations and hot-wash answers (mirrors templates/_feedback.html.j2). Anonymous answers
// carry no seat: the engine strips it, and the page shows only the team.

import { cites, fill, h, rating, table } from './dom.js';
import { clock } from './format.js';
import { teamName } from './sections-overview.js';

export function renderObservations(body, report) {
  const titles = Object.fromEntries(report.objectives.map((objective) => [objective.id, objective.title]));
  if (!report.observations.length) {
    fill(body, h('p', { class: 'empty', text: 'No observations were recorded.' }));
    return;
  }
  fill(
    body,
    table(
      'observations',
      ['Scenario', 'Author', 'Objective', 'Rating', 'Observation'],
      report.observations.map((note) =>
        h(
          'tr',
          {},
          h('td', { text: clock(note.scenario_time) }),
          h('td', { text: note.author }),
          h('td', { text: note.objective_id ? titles[note.objective_id] || note.objective_id : '—' }),
          h('td', {}, note.rating ? rating(note.rating) : '—'),
          h('td', {}, `${note.text} `, cites([note.seq, ...note.linked_seqs])),
        ),
      ),
    ),
  );
}

export function renderHotwash(body, report) {
  const hotwash = report.hotwash;
  if (!hotwash.answers.length) {
    const later = report.final ? '' : ' yet: the questionnaire opens at ENDEX';
    fill(body, h('p', { class: 'empty', text: `No hot-wash answers${later}.` }));
    return;
  }
  const spread = Object.entries(hotwash.ratings)
    .map(([score, count]) => `${count}× ${score}`)
    .join(', ');
  fill(
    body,
    h('p', {}, `${hotwash.answers.length} answer(s), mean rating `, h('strong', { text: hotwash.mean_rating.toFixed(1) }), ` of 5 (${spread}).`),
    table(
      'hotwash',
      ['Who', 'Rating', 'What worked', 'What did not'],
      hotwash.answers.map((answer) =>
        h(
          'tr',
          { id: `hotwash-${answer.seq}` },
          h('td', { text: answer.anonymous ? `Anonymous${answer.team ? ` (${teamName(report, answer.team)})` : ''}` : answer.who }),
          h('td', { class: 'num', text: `${answer.rating}/5` }),
          h('td', { text: answer.worked }),
          h('td', { text: answer.did_not_work }),
        ),
      ),
    ),
  );
}
