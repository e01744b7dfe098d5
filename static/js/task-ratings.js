// The tasks behind OBJ, for the control cell and evaluators: each task's rating for each team and how it
// was rated — from the log, by an evaluator (with what the log said when they differ), or still waiting
// — and a button to rate or override it, with a written rationale.

import { h, field, options } from './dom.js';
import { t } from './i18n.js';
import { openDialog } from './dialog.js';

const RATINGS = ['P', 'S', 'M', 'U'];
const DECISION = 'decision:'; // the score card's id of a decision inject's task: decision:<inject id>

function howRated(task) {
  if (task.rating === null || task.rating === undefined) {
    return t(task.automatic ? 'scores.rated.open' : 'scores.rated.waiting');
  }
  if (task.source === 'evaluator' && task.from_log && task.from_log !== task.rating) {
    return t('scores.rated.evaluator_over', { rating: task.from_log });
  }
  return t(`scores.rated.${task.source}`);
}

export class TaskRatings {
  /** `session` may be null: the list is then read-only. */
  constructor({ scenario, session }) {
    this.scenario = scenario;
    this.session = session;
    this.element = h('div', { class: 'task-ratings', hidden: true });
  }

  update(card) {
    const teams = this.scenario.teams.map((team) => team.id).filter((id) => card.teams[id]?.tasks?.length);
    this.element.hidden = teams.length === 0;
    this.element.replaceChildren(
      h('h3', { class: 'subhead', text: t('scores.tasks') }),
      h('p', { class: 'help', text: t('scores.tasks_help') }),
      ...teams.map((team) => this.table(team, card.teams[team].tasks)),
    );
  }

  table(team, tasks) {
    const rows = tasks.map((task) =>
      h(
        'tr',
        { dataset: { task: task.task_id, team } },
        h('th', { scope: 'row', text: this.title(task) }),
        h('td', {}, h('span', { class: `rating rating-${task.rating || 'none'}`, text: task.rating || '—' })),
        h('td', { class: 'how-rated', text: howRated(task) }),
        h('td', {}, this.session && !task.task_id.startsWith(DECISION) ? this.rateButton(team, task) : null),
      ),
    );
    return h(
      'table',
      { class: 'task-table' },
      h('caption', { text: this.scenario.teamName(team) }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('scores.task_col') }),
          h('th', { scope: 'col', text: t('scores.rating_col') }),
          h('th', { scope: 'col', text: t('scores.how_col') }),
          h('th', { scope: 'col', text: '' }),
        ),
      ),
      h('tbody', {}, rows),
    );
  }

  /** The task's title in the language shown now: the scenario's translation, or its decision inject's title. */
  title(task) {
    const decision = task.task_id.startsWith(DECISION) ? this.scenario.inject(task.task_id.slice(DECISION.length)) : null;
    if (decision) return t('scores.decision_task', { title: decision.title });
    for (const objective of this.scenario.objectives) {
      const found = (objective.tasks || []).find((candidate) => candidate.id === task.task_id);
      if (found) return found.title;
    }
    return task.title;
  }

  rateButton(team, task) {
    const button = h('button', { type: 'button', class: 'button small secondary', text: t('scores.rate') });
    button.addEventListener('click', () => this.rate(team, task));
    return button;
  }

  rate(team, task) {
    const rating = options(
      h('select'),
      RATINGS.map((value) => [value, t(`rating.${value}`)]),
      task.rating || task.from_log || 'P',
    );
    const rationale = h('textarea', { rows: 3, maxlength: 4000, required: true });
    openDialog({
      title: t('scores.rate_title', { task: this.title(task), team: this.scenario.teamName(team) }),
      body: [
        h('p', { class: 'help', text: howRated(task) }),
        field(t('observation.rating'), rating).wrapper,
        field(t('scores.rationale'), rationale, t('scores.rationale_help')).wrapper,
      ],
      confirmLabel: t('scores.rate_send'),
      onConfirm: async () => {
        const why = rationale.value.trim();
        if (!why) throw new Error(t('scores.need_rationale'));
        await this.session.send({ type: 'rate_task', task_id: task.task_id, team, rating: rating.value, rationale: why });
      },
    });
  }
}
