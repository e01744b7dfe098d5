// The improvement plan: issue, corrective action, objective, owner and due date for each area for
// improvement. The facilitator adds, edits and deletes rows here (stored on the server at once);
// reviewers with a reviewer link read it.

import { t } from '../js/i18n.js';
import { fill, h, table } from './dom.js';

function field(label, control, wide = false) {
  return h('label', { class: wide ? 'wide' : null }, label, control);
}

export class PlanEditor {
  /** @param {{body: HTMLElement, api: object, notify: (text: string, kind?: string) => void}} parts */
  constructor({ body, api, notify }) {
    this.body = body;
    this.api = api;
    this.notify = notify;
    this.items = [];
    this.objectives = [];
    this.form = null;
  }

  /** Take the plan and objective titles from a fresh report; a form being filled in stays as it is. */
  update(report) {
    this.objectives = report.objectives.map((objective) => ({ id: objective.id, title: objective.title }));
    this.items = report.plan;
    if (!this.form) this.render();
  }

  get editing() {
    return Boolean(this.form);
  }

  objectiveTitle(id) {
    const found = this.objectives.find((objective) => objective.id === id);
    return found ? found.title : id;
  }

  render() {
    const canEdit = this.api.canEdit;
    const heads = ['report.plan.issue', 'report.plan.action', 'report.plan.objective', 'report.plan.owner', 'report.plan.due'].map((key) => t(key));
    const rows = this.items.map((item) =>
      h(
        'tr',
        { dataset: { item: String(item.id) } },
        h('td', { text: item.issue }),
        h('td', { text: item.corrective_action }),
        h('td', { text: item.objective_id ? this.objectiveTitle(item.objective_id) : '—' }),
        h('td', { text: item.owner || '—' }),
        h('td', { text: item.due_date || '—' }),
        canEdit
          ? h(
              'td',
              { class: 'actions' },
              h('button', { type: 'button', text: t('report.plan.edit'), onclick: () => this.open(item) }),
              ' ',
              h('button', { type: 'button', class: 'danger', text: t('report.plan.delete'), onclick: () => this.remove(item) }),
            )
          : null,
      ),
    );
    const list = this.items.length
      ? table('plan', canEdit ? [...heads, ''] : heads, rows)
      : h('p', { class: 'empty', text: t('report.plan.empty') });
    if (canEdit && list.tHead) list.tHead.rows[0].lastElementChild.classList.add('actions');
    fill(
      this.body,
      list,
      canEdit && !this.form
        ? h('button', { type: 'button', class: 'primary no-print', id: 'plan-add', text: t('report.plan.add'), onclick: () => this.open(null) })
        : canEdit
          ? null
          : h('p', { class: 'hint no-print', text: t('report.plan.read_only') }),
      this.form,
    );
  }

  /**
   * Open the form for `item` (null: a new row; an object without id: a new row filled in). `quiet`
   * opens it where it is, without scrolling to it or moving the focus (after a language switch).
   */
  open(item, { quiet = false } = {}) {
    this.current = item;
    const values = item || {};
    const controls = {
      issue: h('textarea', { name: 'issue', required: true, maxlength: 2000, rows: 2 }),
      corrective_action: h('textarea', { name: 'corrective_action', maxlength: 4000, rows: 3 }),
      objective_id: h(
        'select',
        { name: 'objective_id' },
        h('option', { value: '', text: t('report.plan.no_objective') }),
        this.objectives.map((objective) => h('option', { value: objective.id, text: objective.title })),
      ),
      owner: h('input', { name: 'owner', maxlength: 200, autocomplete: 'organization' }),
      due_date: h('input', { name: 'due_date', type: 'date' }),
    };
    controls.issue.value = values.issue || '';
    controls.corrective_action.value = values.corrective_action || '';
    controls.objective_id.value = values.objective_id || '';
    controls.owner.value = values.owner || '';
    controls.due_date.value = values.due_date || '';
    const save = h('button', { type: 'submit', class: 'primary', text: t(values.id ? 'report.plan.save' : 'report.plan.save_new') });
    this.form = h(
      'form',
      { class: 'plan-form no-print', id: 'plan-form', 'aria-label': t('report.plan.action') },
      field(t('report.plan.issue'), controls.issue, true),
      field(t('report.plan.action'), controls.corrective_action, true),
      field(t('report.plan.objective'), controls.objective_id),
      field(t('report.plan.owner_long'), controls.owner),
      field(t('report.plan.due_long'), controls.due_date),
      h('div', { class: 'actions' }, save, h('button', { type: 'button', text: t('common.cancel'), onclick: () => this.close() })),
    );
    this.form.addEventListener('submit', async (submitted) => {
      submitted.preventDefault();
      const body = {
        issue: controls.issue.value.trim(),
        corrective_action: controls.corrective_action.value.trim(),
        objective_id: controls.objective_id.value || null,
        owner: controls.owner.value.trim(),
        due_date: controls.due_date.value || null,
      };
      if (!body.issue) {
        controls.issue.focus();
        this.notify(t('report.plan.need_issue'), 'error');
        return;
      }
      save.disabled = true;
      try {
        if (values.id) await this.api.updateItem(values.id, body);
        else await this.api.addItem(body);
        this.notify(t(values.id ? 'report.plan.saved' : 'report.plan.added'));
        this.close();
        await this.reload();
      } catch (error) {
        this.notify(t('report.plan.not_saved', { message: error.message }), 'error');
        save.disabled = false;
      }
    });
    this.render();
    if (quiet) return;
    this.body.scrollIntoView({ block: 'start' });
    controls.issue.focus();
  }

  close() {
    this.form = null;
    this.render();
  }

  async remove(item) {
    if (!window.confirm(`${t('report.plan.confirm_delete')}\n\n${item.issue}`)) return;
    try {
      await this.api.deleteItem(item.id);
      this.notify(t('report.plan.deleted'));
      await this.reload();
    } catch (error) {
      this.notify(t('report.plan.not_deleted', { message: error.message }), 'error');
    }
  }

  async reload() {
    this.items = await this.api.plan();
    if (!this.form) this.render();
  }
}
