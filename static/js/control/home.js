// The facilitator's start page: pick a scenario (with its summary), set the compression and create an
// exercise; or reopen an earlier exercise from the list.

import { h, fill, field, panel } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { formatDate, formatDuration } from '../time.js';
import { keepLinks } from './links.js';

export class HomePage {
  constructor({ api, openExercise }) {
    this.api = api;
    this.openExercise = openExercise;
    this.scenarios = [];
    this.selected = null;

    this.scenarioList = h('div', { class: 'scenario-list', role: 'radiogroup', 'aria-label': t('home.scenarios') });
    this.compression = h('input', { type: 'number', min: '0.1', max: '10000', step: 'any', required: true });
    this.compressionHelp = h('p', { class: 'help', id: 'compression-help' });
    this.compression.setAttribute('aria-describedby', 'compression-help');
    this.compression.addEventListener('input', () => this.renderCompressionHelp());
    this.title = h('input', { type: 'text', maxlength: 200 });
    this.createStatus = h('p', { class: 'form-status', role: 'status' });
    this.createButton = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('play'),
      h('span', { text: t('home.create') }),
    );
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { class: 'help', text: t('home.create_help') }),
      h('fieldset', { class: 'plain' }, h('legend', { text: t('home.scenarios') }), this.scenarioList),
      h(
        'div',
        { class: 'row' },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'compression', text: t('home.compression') }),
          this.compression,
          this.compressionHelp,
        ),
        field(t('home.title'), this.title, t('home.title_help')).wrapper,
      ),
      h('div', { class: 'form-actions' }, this.createButton, this.createStatus),
    );
    this.compression.id = 'compression';
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.create();
    });

    this.exerciseList = h('div', { class: 'exercise-list' });
    this.listStatus = h('p', { class: 'form-status', role: 'status' });
    const refresh = h('button', { type: 'button', class: 'button small secondary', text: t('home.refresh') });
    refresh.addEventListener('click', () => this.loadExercises());

    this.element = h(
      'div',
      { class: 'home-grid' },
      panel({ title: t('home.new_exercise'), body: form, className: 'new-exercise', id: 'new-exercise' }),
      panel({
        title: t('home.exercises'),
        body: [this.listStatus, this.exerciseList],
        actions: [refresh],
        className: 'exercises',
        id: 'exercises',
      }),
    );
    this.loadScenarios();
    this.loadExercises();
  }

  async loadScenarios() {
    await runWithStatus(
      async () => {
        this.scenarios = await this.api.scenarios();
        this.renderScenarios();
      },
      this.createStatus,
      { sendingText: t('common.loading') },
    );
  }

  renderScenarios() {
    if (!this.scenarios.length) {
      fill(this.scenarioList, h('p', { class: 'empty', text: t('home.no_scenarios') }));
      this.createButton.disabled = true;
      return;
    }
    const cards = this.scenarios.map((scenario, index) => {
      const radio = h('input', { type: 'radio', name: 'scenario', value: scenario.id, id: `scenario-${scenario.id}` });
      radio.addEventListener('change', () => this.select(scenario));
      if (index === 0) radio.checked = true;
      const teams = scenario.teams.map((team) => team.name).join(t('home.versus'));
      return h(
        'label',
        { class: 'scenario-card', for: radio.id, dataset: { scenario: scenario.id } },
        radio,
        h(
          'span',
          { class: 'scenario-text' },
          h('span', { class: 'scenario-title', text: scenario.title }),
          h('span', { class: 'scenario-teams', text: teams }),
          h('span', { class: 'scenario-summary', text: scenario.summary }),
          h('span', {
            class: 'scenario-facts',
            text: t('home.scenario_facts', {
              roles: scenario.roles,
              injects: scenario.injects,
              end: scenario.end_label,
              duration: formatDuration(scenario.planned_minutes * 60),
            }),
          }),
        ),
      );
    });
    fill(this.scenarioList, cards);
    this.select(this.scenarios[0]);
  }

  select(scenario) {
    this.selected = scenario;
    this.compression.value = String(scenario.default_compression);
    this.renderCompressionHelp();
  }

  renderCompressionHelp() {
    const compression = Number(this.compression.value);
    if (!this.selected || !(compression > 0)) {
      this.compressionHelp.textContent = t('home.compression_help_plain');
      return;
    }
    this.compressionHelp.textContent = t('home.compression_help', {
      compression,
      end: this.selected.end_label,
      duration: formatDuration(this.selected.end / compression),
    });
  }

  async create() {
    const compression = Number(this.compression.value);
    if (!this.selected) return;
    if (!(compression > 0 && compression <= 10000)) {
      this.createStatus.textContent = t('home.compression_invalid');
      this.createStatus.classList.add('error');
      this.compression.focus();
      return;
    }
    let created = null;
    const ok = await runWithStatus(
      async () => {
        const body = { scenario_id: this.selected.id, compression };
        if (this.title.value.trim()) body.title = this.title.value.trim();
        created = await this.api.createExercise(body);
      },
      this.createStatus,
      { busyElement: this.createButton },
    );
    if (ok && created) {
      keepLinks(created.id, created.seats);
      this.openExercise(created.id);
    }
  }

  async loadExercises() {
    await runWithStatus(
      async () => {
        const exercises = await this.api.exercises();
        this.renderExercises(exercises);
      },
      this.listStatus,
      { sendingText: t('common.loading') },
    );
  }

  renderExercises(exercises) {
    if (!exercises.length) {
      fill(this.exerciseList, h('p', { class: 'empty', text: t('home.no_exercises') }));
      return;
    }
    const rows = exercises.map((exercise) => {
      const open = h('button', { type: 'button', class: 'button small secondary', text: t('home.open') });
      open.setAttribute('aria-label', t('home.open_label', { title: exercise.title }));
      open.addEventListener('click', () => this.openExercise(exercise.id));
      return h(
        'tr',
        { dataset: { exercise: exercise.id } },
        h(
          'td',
          {},
          h('span', { class: 'strong', text: exercise.title }),
          h('span', { class: 'muted block', text: exercise.id }),
        ),
        h(
          'td',
          {},
          h('span', {
            class: `status-badge small`,
            dataset: { status: exercise.status },
            text: t(`status.${exercise.status}`),
          }),
        ),
        h('td', { text: formatDate(exercise.created_at) }),
        h('td', {}, h('div', { class: 'cell-actions' }, open)),
      );
    });
    fill(
      this.exerciseList,
      h(
        'table',
        { class: 'table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['home.col_title', 'home.col_status', 'home.col_created', 'home.col_actions'].map((key) =>
              h('th', { scope: 'col', text: t(key) }),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
    );
  }
}
