// The improvement plan: issue, corrective action, objective, owner and due date for each area for
// improvement. The facilitator adds, edits and deletes rows here (stored on the server at once);
// reviewers with a reviewer link read it.

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
    const heads = ['Issue / area for improvement', 'Corrective action', 'Objective', 'Owner', 'Due'];
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
              h('button', { type: 'button', text: 'Edit', onclick: () => this.open(item) }),
              ' ',
              h('button', { type: 'button', class: 'danger', text: 'Delete', onclick: () => this.remove(item) }),
            )
          : null,
      ),
    );
    const list = this.items.length
      ? table('plan', canEdit ? [...heads, ''] : heads, rows)
      : h('p', { class: 'empty', text: 'No corrective actions have been written yet.' });
    if (canEdit && list.tHead) list.tHead.rows[0].lastElementChild.classList.add('actions');
    fill(
      this.body,
      list,
      canEdit && !this.form
        ? h('button', { type: 'button', class: 'primary no-print', id: 'plan-add', text: 'Add a corrective action', onclick: () => this.open(null) })
        : canEdit
          ? null
          : h('p', { class: 'hint no-print', text: 'The facilitator writes the improvement plan; sign in with the facilitator secret to edit it.' }),
      this.form,
    );
  }

  /** Open the form for `item` (null: a new row; an object without id: a new row filled in). */
  open(item) {
    const values = item || {};
    const controls = {
      issue: h('textarea', { name: 'issue', required: true, maxlength: 2000, rows: 2 }),
      corrective_action: h('textarea', { name: 'corrective_action', maxlength: 4000, rows: 3 }),
      objective_id: h(
        'select',
        { name: 'objective_id' },
        h('option', { value: '', text: '— none —' }),
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
    const save = h('button', { type: 'submit', class: 'primary', text: values.id ? 'Save changes' : 'Add to the plan' });
    this.form = h(
      'form',
      { class: 'plan-form no-print', id: 'plan-form', 'aria-label': 'Corrective action' },
      field('Issue / area for improvement', controls.issue, true),
      field('Corrective action', controls.corrective_action, true),
      field('Objective', controls.objective_id),
      field('Owner (organisation or person)', controls.owner),
      field('Due date', controls.due_date),
      h('div', { class: 'actions' }, save, h('button', { type: 'button', text: 'Cancel', onclick: () => this.close() })),
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
        this.notify('Write the issue first: what needs to improve.', 'error');
        return;
      }
      save.disabled = true;
      try {
        if (values.id) await this.api.updateItem(values.id, body);
        else await this.api.addItem(body);
        this.notify(values.id ? 'Corrective action saved.' : 'Corrective action added to the plan.');
        this.close();
        await this.reload();
      } catch (error) {
        this.notify(`Not saved: ${error.message}`, 'error');
        save.disabled = false;
      }
    });
    this.render();
    this.body.scrollIntoView({ block: 'start' });
    controls.issue.focus();
  }

  close() {
    this.form = null;
    this.render();
  }

  async remove(item) {
    if (!window.confirm(`Delete this corrective action?\n\n${item.issue}`)) return;
    try {
      await this.api.deleteItem(item.id);
      this.notify('Corrective action deleted.');
      await this.reload();
    } catch (error) {
      this.notify(`Not deleted: ${error.message}`, 'error');
    }
  }

  async reload() {
    this.items = await this.api.plan();
    if (!this.form) this.render();
  }
}
