// The action panel: the scenario's catalog filtered to what this seat's roles may take, each with its
// escalation band and weight; taking one opens a confirmation dialog (with a clear warning for
// escalatory moves) that takes optional text and a rationale. Below: the moves our team has made.

import { h, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { openDialog } from '../dialog.js';
import { bandName, formatWeight, isEscalatory } from '../scenario.js';
import { formatScenario } from '../time.js';
import { attachCounter } from '../counter.js';

export class ActionPanel {
  constructor({ session, model }) {
    this.session = session;
    this.model = model;
    const you = model.you;
    this.actions = model.scenario.actions.filter(
      (action) => !action.roles?.length || action.roles.some((role) => you.roles.includes(role)),
    );
    this.buttons = [];
    this.items = [];
    this.hint = h('p', { class: 'help state-hint' });
    const list = h(
      'ul',
      { class: 'action-list' },
      this.actions.map((action) => this.renderAction(action)),
    );
    this.noMatch = h('p', { class: 'empty', hidden: true });
    const search = h('input', {
      type: 'search',
      class: 'action-filter',
      placeholder: t('actions.find_placeholder'),
      'aria-label': t('actions.find'),
    });
    search.addEventListener('input', () => this.filter(search.value));
    this.moves = h('ol', { class: 'moves' });
    this.movesEmpty = h('p', { class: 'empty', text: t('actions.no_moves') });
    this.element = h(
      'div',
      { class: 'actions' },
      h('p', { class: 'help', text: t('actions.help') }),
      this.hint,
      this.actions.length > 8 ? search : null,
      this.actions.length ? list : h('p', { class: 'empty', text: t('actions.none') }),
      this.noMatch,
      h('h3', { class: 'subhead', text: t('actions.our_moves') }),
      this.movesEmpty,
      this.moves,
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  renderAction(action) {
    const escalatory = isEscalatory(action);
    const button = h(
      'button',
      {
        type: 'button',
        class: `button ${escalatory ? 'danger-outline' : 'secondary'} action-take`,
        dataset: { action: action.id },
      },
      h('span', { text: t('actions.take') }),
    );
    button.setAttribute('aria-label', t('actions.take_label', { label: action.label }));
    button.addEventListener('click', () => this.confirm(action));
    this.buttons.push(button);
    const item = h(
      'li',
      { class: `action${escalatory ? ' escalatory' : ''}`, dataset: { action: action.id } },
      h(
        'div',
        { class: 'action-text' },
        h('span', { class: 'action-label', text: action.label }),
        action.description ? h('span', { class: 'action-description', text: action.description }) : null,
        h(
          'span',
          { class: 'action-facts' },
          h('span', { class: `band band-${action.band}`, text: t('band.short', { band: action.band }) }),
          h('span', { text: bandName(action.band) }),
          h('span', { text: t('actions.weight', { weight: formatWeight(action.weight) }) }),
          h('span', { text: t(`visibility.${action.visibility}`) }),
        ),
      ),
      button,
    );
    this.items.push({ item, text: `${action.label} ${action.description || ''}`.toLowerCase() });
    return item;
  }

  /** Show only the actions whose label or description contains `text`. */
  filter(text) {
    const wanted = text.trim().toLowerCase();
    let shown = 0;
    for (const { item, text: haystack } of this.items) {
      item.hidden = Boolean(wanted) && !haystack.includes(wanted);
      if (!item.hidden) shown += 1;
    }
    this.noMatch.hidden = shown > 0;
    this.noMatch.textContent = shown ? '' : t('actions.no_match', { text: text.trim() });
  }

  sync() {
    const running = this.model.status === 'running';
    for (const button of this.buttons) button.disabled = !running;
    this.hint.textContent = running ? '' : t(`actions.closed.${this.model.status}`);
    this.hint.hidden = running;
  }

  confirm(action) {
    const escalatory = isEscalatory(action);
    const text = h('textarea', { rows: 2, maxlength: 2000 });
    const rationale = h('textarea', { rows: 2, maxlength: 2000 });
    const facts = t('action.facts', {
      band: action.band,
      band_name: bandName(action.band),
      weight: formatWeight(action.weight),
      visibility: t(`visibility.${action.visibility}`),
    });
    const body = [
      h('p', { class: 'dialog-lead', text: action.label }),
      action.description ? h('p', { text: action.description }) : null,
      h(
        'p',
        { class: 'action-facts-line' },
        h('span', { class: `band band-${action.band}`, text: t('band.short', { band: action.band }) }),
        h('span', { text: facts }),
      ),
      escalatory
        ? h(
            'div',
            { class: 'warning', role: 'note' },
            icon('alert'),
            h('p', {
              text: t('actions.escalatory_warning', {
                band: action.band,
                band_name: bandName(action.band),
                weight: formatWeight(action.weight),
              }),
            }),
          )
        : null,
      h('p', { class: 'help', text: t(`actions.visibility_help.${action.visibility}`) }),
      field(t('actions.text'), text, t('actions.text_help')).wrapper,
      field(t('actions.rationale'), rationale, t('actions.rationale_help')).wrapper,
    ];
    attachCounter(text);
    attachCounter(rationale);
    openDialog({
      title: escalatory ? t('actions.confirm_escalatory') : t('actions.confirm'),
      body,
      tone: escalatory ? 'danger' : 'primary',
      confirmLabel: escalatory ? t('actions.do_escalatory') : t('actions.do'),
      className: escalatory ? 'escalatory-dialog' : 'action-dialog',
      onConfirm: () =>
        this.session.send({
          type: 'take_action',
          action_id: action.id,
          text: text.value.trim(),
          rationale: rationale.value.trim(),
        }),
    });
  }

  /** An action_taken event by our own team. */
  addMove(event) {
    const p = event.payload;
    this.movesEmpty.hidden = true;
    this.moves.prepend(
      h(
        'li',
        { class: 'move', dataset: { seq: String(event.seq) } },
        h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
        h('span', { class: `band band-${p.band}`, text: t('band.short', { band: p.band }) }),
        h('span', { class: 'move-label', text: this.model.scenario.actionLabel(p.action_id, p.label) }),
        h('span', { class: 'move-by', text: this.model.scenario.actorName(event.actor) }),
        p.text ? h('span', { class: 'move-text', text: p.text }) : null,
        event.internal?.rationale
          ? h('span', { class: 'move-rationale', text: t('actions.why', { text: event.internal.rationale }) })
          : null,
      ),
    );
  }
}
