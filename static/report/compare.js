// /report/compare?scenario=ID (every run of a scenario, oldest first) or ?exercise=A&exercise=B (these runs):
// the runs side by side. Without a query it lists the scenarios that have runs to choose from.

import { t, initLanguage, bindLanguageSwitch, onLanguageChange } from '../js/i18n.js';
import { fill, h, table } from './dom.js';
import { wall } from './format.js';

const SECRET_KEY = 'hotline.secret'; // shared with the control console and the report page

function secret() {
  try {
    return sessionStorage.getItem(SECRET_KEY);
  } catch {
    return null;
  }
}

function remember(value) {
  try {
    sessionStorage.setItem(SECRET_KEY, value);
  } catch {
    // Storage disabled: the value lasts as long as the page.
  }
}

const fromLink = new URLSearchParams(location.hash.replace(/^#/, '')).get('secret');
if (fromLink) {
  remember(fromLink);
  history.replaceState(null, '', location.pathname + location.search);
}

const main = document.getElementById('compare-main');
const notices = document.getElementById('notices');

function notify(text, kind = 'info') {
  notices.replaceChildren(h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', text }));
}

async function get(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${secret()}`, Accept: 'application/json' } });
  if (response.status === 401) {
    const error = new Error(t('compare.not_accepted'));
    error.status = 401;
    throw error;
  }
  if (!response.ok) {
    let message = t('error.http', { status: response.status });
    try {
      const body = await response.json();
      if (typeof body.detail === 'string') message = body.detail;
    } catch {
      // keep the status line
    }
    throw new Error(message);
  }
  return response.json();
}

function number(val) {
  return val === null || val === undefined ? t('scores.na') : val.toFixed(1);
}

function delta(val) {
  if (val === null || val === undefined) return h('td', { class: 'num', text: '—' });
  const kind = val > 0 ? 'delta-up' : val < 0 ? 'delta-down' : '';
  return h('td', { class: `num ${kind}`, text: `${val > 0 ? '+' : ''}${val.toFixed(1)}` });
}

function showComparison(comparison) {
  shown = () => showComparison(comparison);
  document.getElementById('compare-title').textContent = t('compare.title_of', { scenario: comparison.scenario_title });
  document.title = t('compare.page_title_of', { scenario: comparison.scenario_title });
  const runs = comparison.runs;
  const heads = [
    '',
    ...runs.map((_, at) => t('compare.run', { number: at + 1 })),
    ...runs.slice(1).map((_, at) => t('compare.delta', { number: at + 2 })),
    t('compare.spread'),
  ];
  const rows = comparison.rows.map((row) =>
    h(
      'tr',
      { class: row.key === 'joint' || row.key.endsWith('.score') ? 'total' : null, dataset: { key: row.key } },
      h('th', { scope: 'row', text: row.label }),
      row.values.map((val) => h('td', { class: 'num', text: number(val) })),
      row.deltas.slice(1).map(delta),
      h('td', { class: 'num', text: number(row.spread) }),
    ),
  );
  fill(
    main,
    h(
      'ol',
      { class: 'runs' },
      runs.map((run) =>
        h(
          'li',
          {},
          h('a', { href: `/report/${encodeURIComponent(run.exercise_id)}`, text: run.title }),
          ` — ${t('compare.run_facts', {
            id: run.exercise_id,
            events: run.events,
            status: t(`report.status.${run.status}`),
            created: wall(run.created_at),
          })}`,
        ),
      ),
    ),
    comparison.warnings.map((warning) => h('p', { class: 'notice', text: warning })),
    table('compare scorecard', heads, rows),
  );
}

async function chooseScenario() {
  const exercises = await get('/api/exercises');
  const byScenario = new Map();
  for (const exercise of exercises) {
    byScenario.set(exercise.scenario_id, (byScenario.get(exercise.scenario_id) || 0) + 1);
  }
  const choices = [...byScenario.entries()].filter(([, count]) => count > 1);
  showChoices(choices);
}

function showChoices(choices) {
  shown = () => showChoices(choices);
  fill(
    main,
    choices.length
      ? [
          h('p', { text: t('compare.pick') }),
          h(
            'ul',
            {},
            choices.map(([scenario, count]) =>
              h(
                'li',
                {},
                h('a', { href: `/report/compare?scenario=${encodeURIComponent(scenario)}`, text: scenario }),
                ` — ${t('compare.runs', { count })}`,
              ),
            ),
          ),
        ]
      : h('p', { class: 'empty', text: t('compare.none') }),
  );
}

async function open() {
  if (!secret()) {
    document.getElementById('signin').hidden = false;
    return;
  }
  document.getElementById('signin').hidden = true;
  const query = new URLSearchParams(location.search);
  const exercises = query.getAll('exercise');
  const scenario = query.get('scenario');
  try {
    if (exercises.length) {
      const params = new URLSearchParams(exercises.map((id) => ['exercise', id]));
      showComparison(await get(`/api/reports/compare?${params}`));
    } else if (scenario) {
      showComparison(await get(`/api/reports/compare?scenario=${encodeURIComponent(scenario)}`));
    } else {
      await chooseScenario();
    }
    document.body.dataset.ready = 'yes';
  } catch (error) {
    if (error.status === 401) {
      try {
        sessionStorage.removeItem(SECRET_KEY);
      } catch {
        // nothing stored
      }
      document.getElementById('signin').hidden = false;
    }
    notify(error.message, 'error');
  }
}

document.getElementById('signin-form').addEventListener('submit', (submitted) => {
  submitted.preventDefault();
  const value = submitted.target.elements.secret.value.trim();
  if (!value) return;
  remember(value);
  notices.replaceChildren();
  open();
});

let shown = null; // what the page shows, to show it again in another language without asking again

async function start() {
  await initLanguage();
  bindLanguageSwitch(document.getElementById('language'));
  onLanguageChange(() => {
    if (shown) shown();
  });
  open();
}

start();
