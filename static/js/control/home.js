// The facilitator's start page: pick a scenario (with its summary), set the compression and create an
// exercise; add a scenario file or an MSEL spreadsheet to the library; reopen an earlier exercise from
// the list, or read its after-action report.

import { h, fill, field, panel } from '../dom.js';
import { icon } from '../icons.js';
import { t, currentLanguage } from '../i18n.js';
import { translationFor } from '../scenario.js';
import { runWithStatus } from '../feedback.js';
import { formatDate, formatDuration } from '../time.js';
import { keepLinks } from './links.js';
import { reportLinks } from './report-links.js';
import { UploadPanel } from './upload.js';
import { openDialog } from '../dialog.js';

export class HomePage {
  constructor({ api, openExercise }) {
    this.api = api;
    this.openExercise = openExercise;
    this.scenarios = [];
    this.exercises = null;
    this.selected = null;
    this.translations = new Map(); // scenario id → its `translations`, fetched when a language needs them
    this.cards = new Map(); // scenario id → the card's text elements
    this.upload = new UploadPanel({
      api,
      scenarios: () => this.scenarios,
      chosenScenario: () => this.selected,
      onStored: (summary) => this.added(summary),
    });
    this.build();
    this.loadScenarios();
    this.loadExercises();
  }

  /** Build the page in the language shown now from what was loaded (again after a language switch). */
  build() {
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
    const toUpload = h('button', { type: 'button', class: 'button small secondary', text: t('home.upload') });
    toUpload.addEventListener('click', () => this.upload.focus());
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { class: 'help', text: t('home.create_help') }),
      h(
        'fieldset',
        { class: 'plain' },
        h('legend', { text: t('home.scenarios') }),
        this.scenarioList,
        h('div', { class: 'scenario-more' }, h('span', { class: 'help', text: t('home.upload_help') }), toUpload),
      ),
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
    this.showArchived = h('input', { type: 'checkbox', id: 'show-archived' });
    this.showArchived.addEventListener('change', () => this.renderExercises(this.exercises || []));
    this.archivedToggle = h(
      'label',
      { class: 'checkbox small-text', for: 'show-archived' },
      this.showArchived,
      h('span', { text: t('home.show_archived') }),
    );

    this.upload.build();
    this.element = h(
      'div',
      { class: 'home-grid' },
      panel({ title: t('home.new_exercise'), body: form, className: 'new-exercise', id: 'new-exercise' }),
      h(
        'div',
        { class: 'home-column' },
        panel({
          title: t('home.exercises'),
          body: [this.listStatus, this.exerciseList],
          actions: [this.archivedToggle, refresh],
          className: 'exercises',
          id: 'exercises',
        }),
        panel({
          title: t('upload.title'),
          body: this.upload.element,
          className: 'upload-panel',
          id: 'upload',
          symbol: icon('upload'),
        }),
      ),
    );
    if (this.scenarios.length) this.renderScenarios(this.selected?.id);
    if (this.exercises) this.renderExercises(this.exercises);
  }

  rebuild() {
    this.build();
    this.localizeScenarios();
  }

  /** An exercise named after its scenario shows the scenario's title as the cards do (translated). */
  exerciseTitle(exercise) {
    const scenario = this.scenarios.find((candidate) => candidate.id === exercise.scenario_id);
    return scenario && exercise.title === scenario.title ? this.cardText(scenario).title : exercise.title;
  }

  /** A scenario card's title, teams and summary, translated when the scenario has the language shown. */
  cardText(scenario) {
    const tr = translationFor(this.translations.get(scenario.id));
    return {
      title: tr?.title || scenario.title,
      summary: tr?.summary || scenario.summary,
      teams: scenario.teams.map((team) => tr?.teams?.[team.id]?.name || team.name).join(t('home.versus')),
    };
  }

  /**
   * The library lists scenarios in their own language; the translations come with the whole scenario,
   * fetched once for each scenario that has the language shown now. The cards change in place.
   */
  async localizeScenarios() {
    const language = currentLanguage();
    const base = language.split('-')[0];
    const missing = this.scenarios.filter(
      (scenario) =>
        scenario.language.split('-')[0] !== base &&
        scenario.languages.some((code) => code.split('-')[0] === base) &&
        !this.translations.has(scenario.id),
    );
    await Promise.all(
      missing.map(async (scenario) => {
        try {
          this.translations.set(scenario.id, (await this.api.scenario(scenario.id)).translations || {});
        } catch {
          // Shown as the file wrote it.
        }
      }),
    );
    if (this.exercises) this.renderExercises(this.exercises);
    for (const scenario of this.scenarios) {
      const card = this.cards.get(scenario.id);
      if (!card) continue;
      const text = this.cardText(scenario);
      for (const part of ['title', 'teams', 'summary']) card[part].textContent = text[part];
    }
  }

  /** A scenario was added to the library: list it at once and pick it for the next exercise. */
  async added(summary) {
    this.translations.delete(summary.id); // a replaced upload may translate differently
    await this.loadScenarios(summary.id);
    document.getElementById(`scenario-${summary.id}`)?.scrollIntoView({ block: 'nearest' });
  }

  async loadScenarios(pick = null) {
    await runWithStatus(
      async () => {
        this.scenarios = await this.api.scenarios();
        this.renderScenarios(pick || this.selected?.id);
        this.upload.setScenarios();
        this.localizeScenarios();
      },
      this.createStatus,
      { sendingText: t('common.loading') },
    );
  }

  /** The scenario cards, with `pick` (an id) chosen, else the first. */
  renderScenarios(pick = null) {
    if (!this.scenarios.length) {
      fill(this.scenarioList, h('p', { class: 'empty', text: t('home.no_scenarios') }));
      this.createButton.disabled = true;
      return;
    }
    const chosen = this.scenarios.find((scenario) => scenario.id === pick) || this.scenarios[0];
    this.createButton.disabled = false;
    const cards = this.scenarios.map((scenario) => {
      const radio = h('input', { type: 'radio', name: 'scenario', value: scenario.id, id: `scenario-${scenario.id}` });
      radio.addEventListener('change', () => this.select(scenario));
      radio.checked = scenario === chosen;
      const text = this.cardText(scenario);
      const card = {
        title: h('span', { class: 'scenario-title', text: text.title }),
        teams: h('span', { class: 'scenario-teams', text: text.teams }),
        summary: h('span', { class: 'scenario-summary', text: text.summary }),
      };
      this.cards.set(scenario.id, card);
      return h(
        'label',
        { class: 'scenario-card', for: radio.id, dataset: { scenario: scenario.id } },
        radio,
        h(
          'span',
          { class: 'scenario-text' },
          card.title,
          card.teams,
          card.summary,
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
    this.select(chosen);
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
        this.exercises = await this.api.exercises();
        this.renderExercises(this.exercises);
      },
      this.listStatus,
      { sendingText: t('common.loading') },
    );
  }

  /** Start a new exercise with another one's settings: its scenario, compression and title. */
  clone(exercise) {
    const scenario = this.scenarios.find((candidate) => candidate.id === exercise.scenario_id);
    if (!scenario) {
      this.listStatus.textContent = t('home.clone_missing', { scenario: exercise.scenario_id });
      return;
    }
    this.renderScenarios(scenario.id);
    this.compression.value = String(exercise.compression);
    this.renderCompressionHelp();
    this.title.value = exercise.title === scenario.title ? '' : exercise.title;
    this.createStatus.classList.remove('error');
    this.createStatus.textContent = t('home.cloned', { title: this.exerciseTitle(exercise) });
    document.getElementById(`scenario-${scenario.id}`)?.scrollIntoView({ block: 'nearest' });
    this.createButton.focus();
  }

  async archive(exercise, archived) {
    await runWithStatus(async () => {
      await this.api.archiveExercise(exercise.id, archived);
      await this.loadExercises();
    }, this.listStatus, { doneText: t(archived ? 'home.archived' : 'home.unarchived', { title: this.exerciseTitle(exercise) }) });
  }

  askDelete(exercise) {
    openDialog({
      title: t('home.delete_title', { title: this.exerciseTitle(exercise) }),
      body: [h('p', { text: t('home.delete_help') })],
      confirmLabel: t('home.delete'),
      tone: 'danger',
      onConfirm: async () => {
        await this.api.deleteExercise(exercise.id);
        this.listStatus.textContent = t('home.deleted', { title: this.exerciseTitle(exercise) });
        await this.loadExercises();
      },
    });
  }

  rowActions(exercise) {
    const title = this.exerciseTitle(exercise);
    const button = (key, tone, onClick) => {
      const element = h('button', { type: 'button', class: `button small ${tone}`, text: t(`home.${key}`), dataset: { act: key } });
      element.setAttribute('aria-label', t(`home.${key}_label`, { title }));
      element.addEventListener('click', onClick);
      return element;
    };
    const done = exercise.status === 'ended' || exercise.imported;
    return [
      button('clone', 'ghost', () => this.clone(exercise)),
      done ? button(exercise.archived ? 'unarchive' : 'archive', 'ghost', () => this.archive(exercise, !exercise.archived)) : null,
      done ? button('delete', 'danger-outline', () => this.askDelete(exercise)) : null,
    ];
  }

  renderExercises(all) {
    const archived = all.filter((exercise) => exercise.archived).length;
    this.archivedToggle.hidden = archived === 0;
    this.archivedToggle.querySelector('span').textContent = t('home.show_archived', { count: archived });
    const exercises = this.showArchived.checked ? all : all.filter((exercise) => !exercise.archived);
    if (!exercises.length) {
      fill(this.exerciseList, h('p', { class: 'empty', text: t(archived ? 'home.all_archived' : 'home.no_exercises') }));
      return;
    }
    const runs = new Map();
    for (const exercise of exercises) runs.set(exercise.scenario_id, (runs.get(exercise.scenario_id) || 0) + 1);
    const rows = exercises.map((exercise) => {
      const open = h('button', { type: 'button', class: 'button small secondary', text: t('home.open') });
      open.setAttribute('aria-label', t('home.open_label', { title: exercise.title }));
      open.addEventListener('click', () => this.openExercise(exercise.id));
      const links = reportLinks(exercise.id, exercise.scenario_id, exercise.title, runs.get(exercise.scenario_id));
      return h(
        'tr',
        { dataset: { exercise: exercise.id } },
        h(
          'td',
          {},
          h('span', { class: 'strong', text: this.exerciseTitle(exercise) }),
          h('span', { class: 'muted block', text: exercise.id }),
          exercise.archived ? h('span', { class: 'muted block', text: t('home.archived_badge') }) : null,
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
        h('td', {}, h('div', { class: 'cell-actions' }, open, links, this.rowActions(exercise))),
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
