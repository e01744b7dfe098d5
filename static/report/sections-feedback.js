// Evaluator observations and hot-wash answers (mirrors templates/_feedback.html.j2). Anonymous answers
// carry no seat: the engine strips it, and the page shows only the team.

import { t } from '../js/i18n.js';
import { cites, fill, h, rating, table } from './dom.js';
import { clock } from './format.js';
import { teamName } from './sections-overview.js';

export function renderObservations(body, report) {
  const titles = Object.fromEntries(report.objectives.map((objective) => [objective.id, objective.title]));
  if (!report.observations.length) {
    fill(body, h('p', { class: 'empty', text: t('report.no_observations') }));
    return;
  }
  fill(
    body,
    table(
      'observations',
      ['report.col.scenario', 'report.col.author', 'report.col.objective', 'report.col.rating', 'report.col.observation'].map((key) => t(key)),
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
    fill(body, h('p', { class: 'empty', text: t(report.final ? 'report.no_hotwash' : 'report.no_hotwash_yet') }));
    return;
  }
  const spread = Object.entries(hotwash.ratings)
    .map(([score, count]) => `${count}× ${score}`)
    .join(', ');
  fill(
    body,
    h(
      'p',
      {},
      `${t('report.hotwash_answers', { count: hotwash.answers.length })} `,
      h('strong', { text: hotwash.mean_rating.toFixed(1) }),
      ` ${t('report.hotwash_spread', { spread })}`,
    ),
    table(
      'hotwash',
      ['report.col.who', 'report.col.rating', 'report.col.worked', 'report.col.did_not_work']
        .concat(report.pressure?.length ? ['report.col.pressure'] : [])
        .map((key) => t(key)),
      hotwash.answers.map((answer) =>
        h(
          'tr',
          { id: `hotwash-${answer.seq}` },
          h('td', {
            text: answer.anonymous
              ? answer.team
                ? t('report.anonymous_team', { team: teamName(report, answer.team) })
                : t('report.anonymous')
              : answer.who,
          }),
          h('td', { class: 'num', text: `${answer.rating}/5` }),
          h('td', { text: answer.worked }),
          h('td', { text: answer.did_not_work }),
          report.pressure?.length ? h('td', { text: answer.pressure || '' }) : null,
        ),
      ),
    ),
  );
}
