// Diplomatic cables: written, asynchronous messages between the two foreign ministries.

import { h, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario, formatWall } from '../time.js';

export class CablePanel {
  constructor({ session, model, channelId }) {
    this.session = session;
    this.model = model;
    this.channelId = channelId;
    this.subject = h('input', { type: 'text', maxlength: 200 });
    this.text = h('textarea', { rows: 4, maxlength: 4000 });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.submit = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('cable'),
      h('span', { text: t('cables.send') }),
    );
    this.state = h('p', { class: 'state-hint help', hidden: true });
    const other = model.scenario.otherTeam(model.you.team);
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { class: 'help', text: t('cables.help', { team: other?.name || '' }) }),
      this.state,
      field(t('cables.subject'), this.subject).wrapper,
      field(t('cables.text'), this.text).wrapper,
      h('div', { class: 'form-actions' }, this.submit, this.status),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.send();
    });
    this.list = h('ol', { class: 'cable-list', 'aria-label': t('cables.list') });
    this.empty = h('p', { class: 'empty', text: t('cables.empty') });
    this.element = h(
      'div',
      { class: 'cables' },
      form,
      h('h3', { class: 'subhead', text: t('cables.list') }),
      this.empty,
      this.list,
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  sync() {
    const channel = this.model.channels[this.channelId];
    const running = this.model.status === 'running';
    // A suspended channel stays usable on purpose: the attempt is refused by the server and logged.
    this.submit.disabled = !running;
    this.state.hidden = running && !channel?.suspended;
    if (!running) this.state.textContent = t(`actions.closed.${this.model.status}`);
    else if (channel?.suspended) this.state.textContent = t('channel.suspended_note', { reason: channel.reason || '' });
  }

  async send() {
    const subject = this.subject.value.trim();
    const text = this.text.value.trim();
    if (!subject || !text) {
      this.status.textContent = t('cables.need_both');
      this.status.classList.add('error');
      (subject ? this.text : this.subject).focus();
      return;
    }
    const ok = await runWithStatus(() => this.session.send({ type: 'send_cable', subject, text }), this.status, {
      busyElement: this.submit,
      doneText: t('cables.sent'),
    });
    this.sync(); // the status may have changed while this was being sent
    if (ok) {
      this.subject.value = '';
      this.text.value = '';
    }
  }

  add(event) {
    const p = event.payload;
    const mine = event.actor.team === this.model.you.team;
    const scenario = this.model.scenario;
    this.empty.hidden = true;
    this.list.prepend(
      h(
        'li',
        { class: `cable${mine ? ' mine' : ' theirs'}`, dataset: { seq: String(event.seq) } },
        h(
          'p',
          { class: 'item-meta' },
          h('span', {
            class: 'direction',
            text: mine
              ? t('cables.outgoing', { team: scenario.teamName(p.to_team) })
              : t('cables.incoming', { team: scenario.teamName(event.actor.team) }),
          }),
          h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
          h('span', { class: 'wall-time', text: formatWall(event.wall_time, { withSeconds: false }) }),
        ),
        h('h4', { class: 'item-title', text: p.subject }),
        h('p', { class: 'item-text', text: p.text }),
      ),
    );
  }
}
