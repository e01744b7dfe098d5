// The MSEL (master scenario events list) as the exercise holds it: each inject's planned and actual
// scenario time, its status in words (PENDING, RELEASED, LATE, HELD, SKIPPED), what players read and
// the controller notes, with Fire, Hold / Unhold and Skip.

import { h, fill } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { openDialog } from '../dialog.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario, scenarioSeconds } from '../time.js';

/** The button just used may now be hidden (Hold became Unhold): keep keyboard focus in its row. */
function keepFocus(button) {
  const focusWasHere = document.activeElement === button || document.activeElement === document.body;
  if (!button.hidden || !focusWasHere) return;
  const next = [...button.parentElement.querySelectorAll('button')].find((candidate) => !candidate.hidden);
  if (next) next.focus();
}

const STATUS_ICON = { pending: 'clock', released: 'check', late: 'alert', held: 'hold', skipped: 'skip' };

export class MselPanel {
  constructor({ session, model, seatLabel = (id) => id, actedAfter = () => [], releaseOf = () => null }) {
    this.session = session;
    this.model = model;
    this.seatLabel = seatLabel;
    this.actedAfter = actedAfter;
    this.releaseOf = releaseOf;
    const scenario = model.scenario;
    const timed = scenario.injects.filter((inject) => inject.at !== null && inject.at !== undefined);
    timed.sort((a, b) => scenarioSeconds(a.at) - scenarioSeconds(b.at));
    const contingent = scenario.injects.filter((inject) => inject.at === null || inject.at === undefined);
    this.rows = new Map();
    const body = h(
      'tbody',
      {},
      [...timed, ...contingent].map((inject) => this.row(inject)),
    );
    this.body = body;
    this.summary = h('p', { class: 'msel-summary', 'aria-live': 'polite' });
    this.element = h(
      'div',
      { class: 'msel' },
      h('p', { class: 'help', text: t('msel.help') }),
      this.summary,
      h(
        'table',
        { class: 'table msel-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['msel.col_when', 'msel.col_inject', 'msel.col_actions'].map((key) =>
              h('th', { scope: 'col', text: t(key) }),
            ),
          ),
        ),
        body,
      ),
    );
    model.subscribe((_, event) => {
      if (
        !event ||
        event.type.startsWith('inject_') ||
        event.type === 'action_taken' ||
        event.type === 'injects_seen' ||
        event.type.startsWith('exercise_') ||
        event.type === 'lobby_opened'
      )
        this.sync();
    });
    this.sync();
  }

  row(inject) {
    const scenario = this.model.scenario;
    const status = h('span', { class: 'inject-status' });
    const actual = h('span', { class: 'actual muted block' });
    const delivery = h('div', { class: 'delivery', hidden: true });
    const feedback = h('span', { class: 'form-status small', role: 'status' });
    const fire = this.button(
      'msel.fire',
      'primary',
      () => ({ type: 'fire_inject', inject_id: inject.id }),
      feedback,
      inject,
    );
    const hold = this.button(
      'msel.hold',
      'secondary',
      () => ({ type: 'hold_inject', inject_id: inject.id }),
      feedback,
      inject,
    );
    const unhold = this.button(
      'msel.unhold',
      'secondary',
      () => ({ type: 'unhold_inject', inject_id: inject.id }),
      feedback,
      inject,
    );
    const skip = h('button', { type: 'button', class: 'button small danger-outline', text: t('msel.skip') });
    skip.setAttribute('aria-label', t('msel.skip_label', { title: inject.title }));
    skip.addEventListener('click', () => this.askSkip(inject));
    const planned = inject.adhoc
      ? t('msel.adhoc')
      : inject.at !== null && inject.at !== undefined
        ? formatScenario(scenarioSeconds(inject.at))
        : t('msel.contingent');
    const audience =
      inject.audience === 'all'
        ? t('audience.all')
        : inject.audience
            .map((target) =>
              target.role
                ? `${scenario.teamName(target.team)} — ${scenario.roleName(target.team, target.role)}`
                : scenario.teamName(target.team),
            )
            .join(', ');
    const details = h(
      'details',
      {},
      h('summary', { text: t('msel.details') }),
      h('p', { class: 'inject-text', text: inject.text }),
      inject.notes
        ? h('p', { class: 'notes' }, h('span', { class: 'detail-label', text: `${t('msel.notes')}: ` }), inject.notes)
        : null,
      inject.expected_actions?.length
        ? h(
            'p',
            { class: 'notes' },
            h('span', { class: 'detail-label', text: `${t('msel.expected')}: ` }),
            inject.expected_actions.map((id) => scenario.action(id)?.label || id).join('; '),
          )
        : null,
    );
    const tr = h(
      'tr',
      { dataset: { inject: inject.id } },
      h(
        'td',
        { class: 'nowrap when-cell' },
        h('span', { class: 'planned strong block', text: planned }),
        status,
        actual,
      ),
      h(
        'td',
        {},
        h('span', { class: 'inject-title strong', text: inject.title }),
        h('span', {
          class: 'muted block',
          text: t('msel.where', {
            channel: scenario.channelName(inject.channel),
            audience,
            originator: inject.originator,
          }),
        }),
        inject.condition ? h('span', { class: 'condition block', text: this.conditionText(inject.condition) }) : null,
        delivery,
        details,
      ),
      h('td', {}, h('div', { class: 'cell-actions' }, fire, hold, unhold, skip, feedback)),
    );
    this.rows.set(inject.id, { tr, status, actual, delivery, fire, hold, unhold, skip });
    return tr;
  }

  button(key, tone, command, feedback, inject) {
    const button = h('button', { type: 'button', class: `button small ${tone}`, text: t(key) });
    button.setAttribute('aria-label', t(`${key}_label`, { title: inject.title }));
    button.addEventListener('click', async () => {
      await runWithStatus(() => this.session.send(command()), feedback, { busyElement: button });
      keepFocus(button);
    });
    return button;
  }

  askSkip(inject) {
    openDialog({
      title: t('msel.skip_title', { title: inject.title }),
      body: [h('p', { text: t('msel.skip_help') })],
      confirmLabel: t('msel.skip'),
      tone: 'danger',
      onConfirm: () => this.session.send({ type: 'skip_inject', inject_id: inject.id }),
    });
  }

  /** Who has seen a released inject (read receipts) and which team moved after it, and when. */
  renderDelivery(injectId, state, element) {
    element.hidden = state.status !== 'released';
    if (element.hidden) return;
    const seen = Object.entries(this.model.seen?.[injectId] || {}).sort((a, b) => a[1] - b[1]);
    const acted = this.actedAfter(injectId, state.released_seq);
    fill(
      element,
      h(
        'p',
        { class: 'seen-by' },
        h('span', { class: 'detail-label', text: `${t('msel.seen_by')}: ` }),
        seen.length
          ? seen.map(([seat, time]) => `${this.seatLabel(seat)} (${formatScenario(time)})`).join(' · ')
          : t('msel.seen_nobody'),
      ),
      h(
        'p',
        { class: 'acted-after' },
        h('span', { class: 'detail-label', text: `${t('msel.acted_after')}: ` }),
        this.model.scenario.teams
          .map((team) => {
            const move = acted.find((entry) => entry.team === team.id);
            return move
              ? t('msel.acted', { team: team.name, time: formatScenario(move.time), action: move.label })
              : t('msel.not_acted', { team: team.name });
          })
          .join(' · '),
      ),
    );
  }

  conditionText(condition) {
    const scenario = this.model.scenario;
    const delay = formatScenario(scenarioSeconds(condition.delay) || 0, { prefix: '' });
    const team = condition.team ? scenario.teamName(condition.team) : t('msel.either_team');
    switch (condition.type) {
      case 'no_contact':
        return t('msel.when_no_contact', {
          channel: scenario.channelName(condition.channel),
          by: formatScenario(scenarioSeconds(condition.by)),
        });
      case 'action_taken':
        return t('msel.when_action', {
          delay,
          team,
          action: scenario.action(condition.action)?.label || condition.action,
        });
      case 'inject_released':
        return t('msel.when_inject', { delay, inject: scenario.inject(condition.inject)?.title || condition.inject });
      case 'band_reached':
        return t('msel.when_band', { delay, team, band: condition.band });
      default:
        return condition.type;
    }
  }

  /** Ad hoc injects join the list once released, so their read receipts are followed like the others'. */
  addAdhocRows(injects) {
    for (const [id, state] of Object.entries(injects)) {
      if (state.cause !== 'adhoc' || this.rows.has(id)) continue;
      const release = this.releaseOf(id);
      if (!release) continue; // its event is still on its way (history after the hello)
      const p = release.payload;
      const audience = release.audience.includes('all')
        ? 'all'
        : release.audience
            .filter((entry) => entry.startsWith('team:') || entry.startsWith('role:'))
            .map((entry) => {
              const [, team, role] = entry.split(':');
              return role ? { team, role } : { team };
            });
      const inject = { ...p, id, audience, at: null, adhoc: true, notes: null, condition: null };
      this.body.append(this.row(inject));
    }
  }

  sync() {
    const injects = this.model.injects || {};
    this.addAdhocRows(injects);
    const exerciseOpen = ['lobby', 'running', 'paused'].includes(this.model.status);
    const editable = this.model.status !== 'ended';
    let released = 0;
    for (const [id, row] of this.rows) {
      const state = injects[id] || { status: 'pending' };
      const shown = state.status === 'released' && state.late ? 'late' : state.status;
      if (state.status === 'released') released += 1;
      row.tr.dataset.status = shown;
      fill(
        row.status,
        h(
          'span',
          { class: `status-chip ${shown}` },
          icon(STATUS_ICON[shown] || 'clock'),
          h('span', { text: t(`inject_status.${shown}`) }),
        ),
      );
      row.actual.textContent =
        state.released_at !== null && state.released_at !== undefined
          ? t('msel.actual', { time: formatScenario(state.released_at) })
          : '';
      this.renderDelivery(id, state, row.delivery);
      // Only the buttons that can act on the inject now are shown, so a long MSEL stays readable.
      row.fire.hidden = !exerciseOpen || state.status === 'released';
      row.hold.hidden = !editable || state.status !== 'pending';
      row.unhold.hidden = !editable || state.status !== 'held';
      row.skip.hidden = !editable || !['pending', 'held'].includes(state.status);
    }
    this.summary.textContent = t('msel.summary', { released, total: this.rows.size });
  }
}
