// Adding a scenario to the library from the start page: the facilitator picks a scenario file (.yaml)
// or an MSEL spreadsheet (.xlsx, .csv; with the scenario it belongs to and, if wanted, a new id and
// title). The console checks it at once with POST /api/scenarios/validate, which stores nothing, and
// shows what is wrong in place; only a valid file gets the "Add to library" button (POST /api/scenarios).
// An id already taken is explained, and "Replace" is offered only when the server would allow it.
//
// The panel keeps what was picked and checked in `state`, so a language switch builds it again as it was.

import { h, field, fill, options } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { errorText } from '../feedback.js';
import { problemList, showLine, sourceView, summaryCard } from './upload-view.js';

const ACCEPT = '.yaml,.yml,.xlsx,.csv';
const RECHECK_MS = 500;

function kindOf(name) {
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.(xlsx|csv)$/i.test(name)) return 'sheet';
  return 'other';
}

/** A translated sentence with `{name}` places filled by <code> elements (commands, file paths). */
function withCode(text, codes) {
  return text.split(/(\{\w+\})/).map((part) => {
    const name = part.match(/^\{(\w+)\}$/)?.[1];
    return name && name in codes ? h('code', { text: codes[name] }) : part;
  });
}

export class UploadPanel {
  /**
   * @param {object} parts
   * @param {object} parts.api  the control API (validateScenario, addScenario)
   * @param {() => object[]} parts.scenarios  the library's scenario summaries
   * @param {() => object|null} parts.chosenScenario  the scenario picked on the start page
   * @param {(summary: object) => Promise<void>} parts.onStored  called with a newly stored scenario
   */
  constructor({ api, scenarios, chosenScenario, onStored }) {
    this.api = api;
    this.scenarios = scenarios;
    this.chosenScenario = chosenScenario;
    this.onStored = onStored;
    this.fields = { into: '', id: '', title: '' };
    this.state = { file: null, kind: null, source: '', phase: 'idle' };
    this.checks = 0;
    this.timer = null;
    this.build();
  }

  /** Make the panel's elements in the language shown now, from what it holds. */
  build() {
    this.fileInput = h('input', { type: 'file', id: 'upload-file', class: 'file-input sr-only', accept: ACCEPT });
    this.fileInput.addEventListener('change', () => this.pick(this.fileInput.files[0] || null));
    const chooser = h(
      'label',
      { for: 'upload-file', class: 'button secondary file-button' },
      icon('upload'),
      h('span', { text: t('upload.choose') }),
    );
    this.fileName = h('span', { class: 'file-name' });
    this.into = h('select', { id: 'upload-into' });
    this.into.addEventListener('change', () => {
      this.fields.into = this.into.value;
      this.check();
    });
    this.newId = h('input', {
      type: 'text',
      id: 'upload-id',
      maxlength: 64,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    this.newTitle = h('input', { type: 'text', id: 'upload-title', maxlength: 200, autocomplete: 'off' });
    this.newId.value = this.fields.id;
    this.newTitle.value = this.fields.title;
    for (const [name, input] of [
      ['id', this.newId],
      ['title', this.newTitle],
    ]) {
      input.addEventListener('input', () => {
        this.fields[name] = input.value.trim();
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.check(), RECHECK_MS);
      });
    }
    this.sheetFields = h(
      'div',
      { class: 'sheet-fields stack' },
      field(t('upload.into'), this.into, t('upload.into_help')).wrapper,
      h(
        'div',
        { class: 'row' },
        field(t('upload.new_id'), this.newId, t('upload.new_id_help')).wrapper,
        field(t('upload.new_title'), this.newTitle, t('upload.new_title_help')).wrapper,
      ),
    );
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.result = h('div', { class: 'upload-result' });
    this.element = h(
      'div',
      { class: 'upload stack' },
      h('p', { class: 'help' }, t('upload.help')),
      h(
        'p',
        { class: 'help' },
        withCode(t('upload.help_check'), {
          command: 'hotline validate my-scenario.yaml',
          guide: 'docs/scenario-format.md',
          msel: 'docs/msel.md',
        }),
      ),
      h(
        'div',
        { class: 'field' },
        h('span', { class: 'label', text: t('upload.file') }),
        h('div', { class: 'file-row' }, this.fileInput, chooser, this.fileName),
      ),
      this.sheetFields,
      this.status,
      this.result,
    );
    this.setScenarios();
    this.render();
  }

  /** Fill the "belongs to" choice from the library (again after a scenario was added). */
  setScenarios() {
    const list = this.scenarios();
    if (!list.some((scenario) => scenario.id === this.fields.into)) this.fields.into = '';
    options(
      this.into,
      list.map((scenario) => [scenario.id, `${scenario.title} (${scenario.id})`]),
      this.fields.into,
    );
    if (this.fields.into) this.into.value = this.fields.into;
  }

  /** Focus the file chooser (the start page's "Add a scenario…" button). */
  focus() {
    this.element.scrollIntoView({ block: 'nearest' });
    this.fileInput.focus();
  }

  async pick(file) {
    this.checks += 1; // an answer about the previous file no longer matters
    this.state = { file, kind: file ? kindOf(file.name) : null, source: '', phase: 'idle' };
    if (file && this.state.kind === 'sheet' && !this.fields.into) {
      this.fields.into = this.chosenScenario()?.id || this.scenarios()[0]?.id || '';
      this.into.value = this.fields.into;
    }
    if (file && this.state.kind === 'yaml') {
      try {
        this.state.source = await file.text();
      } catch {
        this.state.source = '';
      }
    }
    // The same file may be picked again once it is fixed: let the chooser report it as a new choice.
    this.fileInput.value = '';
    await this.check();
  }

  /** The upload as the server reads it: the file, and for a spreadsheet its scenario, id and title. */
  form({ replace = false } = {}) {
    const form = new FormData();
    form.append('file', this.state.file, this.state.file.name);
    if (this.state.kind === 'sheet') {
      if (this.fields.into) form.append('into', this.fields.into);
      if (this.fields.id) form.append('id', this.fields.id);
      if (this.fields.title) form.append('title', this.fields.title);
    }
    if (replace) form.append('replace', 'true');
    return form;
  }

  /** Ask the server whether the file would be stored, and show its answer. */
  async check() {
    clearTimeout(this.timer);
    if (!this.state.file) {
      this.render();
      return;
    }
    const ticket = ++this.checks;
    this.state.phase = 'checking';
    this.render();
    try {
      const { status, data } = await this.api.validateScenario(this.form());
      if (ticket !== this.checks) return;
      this.take(status, data);
      if (status === 409) await this.probeReplace(ticket);
    } catch (error) {
      if (ticket !== this.checks) return;
      Object.assign(this.state, { phase: 'error', error: errorText(error) });
    }
    if (ticket === this.checks) this.render();
  }

  /** May this upload replace the scenario whose id it takes? The server says so by accepting it. */
  async probeReplace(ticket) {
    const { status } = await this.api.validateScenario(this.form({ replace: true }));
    if (ticket === this.checks) this.state.replaceAllowed = status === 200;
  }

  take(status, data) {
    const phase = { 200: 'valid', 201: 'valid', 409: 'conflict', 413: 'invalid', 415: 'invalid', 422: 'invalid' }[
      status
    ];
    Object.assign(this.state, {
      phase: phase || 'error',
      status,
      data,
      replaceAllowed: false,
      error: phase ? '' : data?.detail || t('error.http', { status }),
    });
  }

  async add({ replace = false } = {}) {
    const ticket = ++this.checks;
    this.state.phase = 'storing';
    this.render();
    try {
      const { status, data } = await this.api.addScenario(this.form({ replace }));
      if (ticket !== this.checks) return;
      if (status === 201) {
        this.state = { file: null, kind: null, source: '', phase: 'stored', data };
        this.fields.id = '';
        this.fields.title = '';
        this.newId.value = '';
        this.newTitle.value = '';
        await this.onStored(data);
        this.setScenarios();
      } else {
        this.take(status, data);
        if (status === 409) await this.probeReplace(ticket);
      }
    } catch (error) {
      Object.assign(this.state, { phase: 'error', error: errorText(error) });
    }
    if (ticket === this.checks) this.render();
  }

  render() {
    const { file, kind, phase } = this.state;
    this.element.dataset.phase = phase;
    this.fileName.textContent = file ? this.fileLabel() : t('upload.no_file');
    this.sheetFields.hidden = kind !== 'sheet';
    this.status.classList.remove('error', 'done');
    this.status.textContent =
      { checking: t('upload.checking'), storing: t('upload.storing') }[phase] ||
      (phase === 'error' ? this.state.error : '');
    if (phase === 'error') this.status.classList.add('error');
    const parts = {
      invalid: () => this.renderProblems(),
      conflict: () => this.renderConflict(),
      valid: () => this.renderValid(),
      stored: () =>
        h(
          'p',
          { class: 'notice-inline done', role: 'status' },
          icon('check'),
          h('span', { text: t('upload.stored', { title: this.state.data.title, id: this.state.data.id }) }),
        ),
    };
    fill(this.result, parts[phase] ? parts[phase]() : null);
  }

  renderProblems() {
    const { data, status, kind, source } = this.state;
    const problems = data.problems || [];
    const located = problems.filter((problem) => problem.line || problem.row || problem.column || problem.path);
    // 413 and 415 (and some 422) carry one problem that only repeats the sentence above it.
    const lone = problems.length === 1 && !located.length && problems[0].message === data.detail;
    const lead = status === 422 ? t('upload.problems', { count: problems.length }) : data.detail;
    const view =
      kind === 'yaml' && source && problems.some((problem) => problem.line) ? sourceView(source, problems) : null;
    return h(
      'div',
      { class: 'upload-problems', role: 'alert' },
      h('p', { class: 'upload-lead' }, icon('alert'), h('span', { text: lead })),
      lone ? null : problemList(problems, view ? (line) => showLine(view, line) : null),
      view
        ? [h('h3', { class: 'source-title', text: t('upload.source_title', { file: this.fileLabel() }) }), view]
        : null,
      h('p', { class: 'help', text: t('upload.fix_and_pick') }),
    );
  }

  fileLabel() {
    return this.state.file?.name || '';
  }

  renderConflict() {
    const replace = h('button', { type: 'button', class: 'button danger-outline', text: t('upload.replace') });
    replace.addEventListener('click', () => this.add({ replace: true }));
    return h(
      'div',
      { class: 'upload-conflict', role: 'alert' },
      h('p', { class: 'upload-lead' }, icon('alert'), h('span', { text: this.state.data.detail })),
      this.state.replaceAllowed
        ? [h('p', { class: 'help', text: t('upload.replace_help') }), h('div', { class: 'form-actions' }, replace)]
        : h('p', {
            class: 'help',
            text: t(this.state.kind === 'sheet' ? 'upload.conflict_help_sheet' : 'upload.conflict_help'),
          }),
    );
  }

  renderValid() {
    const add = h(
      'button',
      { type: 'button', class: 'button primary' },
      icon('check'),
      h('span', { text: t('upload.add') }),
    );
    add.addEventListener('click', () => this.add());
    return h(
      'div',
      { class: 'upload-valid' },
      h('p', { class: 'upload-lead done' }, icon('check'), h('span', { text: t('upload.valid') })),
      summaryCard(this.state.data),
      h('div', { class: 'form-actions' }, add, h('span', { class: 'help', text: t('upload.add_help') })),
    );
  }
}
