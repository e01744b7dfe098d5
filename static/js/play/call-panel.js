// A live link between the two sides — the leaders' hotline or the mil-mil link: its state in words
// (IDLE, RINGING, CONNECTED, SUSPENDED), request / accept / decline / hang up, a message form with the
// structured facts, intent and proposal fields, and a log of the calls on this channel.

import { h, fill, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario } from '../time.js';
import { attachCounter } from '../counter.js';
import { clearSubstance, readSubstance, substanceInputs, substanceLines } from './substance.js';

const STATE_ICON = { idle: 'phone', ringing: 'phone', connected: 'signal', suspended: 'lock' };
const LOGGED = new Set([
  'call_requested',
  'call_accepted',
  'call_declined',
  'call_missed',
  'call_ended',
  'call_message',
  'channel_suspended',
  'channel_restored',
  'channel_refused',
]);

export class CallPanel {
  constructor({ session, model, channelId }) {
    this.session = session;
    this.model = model;
    this.channelId = channelId;
    this.badge = h('span', { class: 'state-badge' });
    this.line = h('p', { class: 'call-line' });
    this.buttons = h('div', { class: 'call-buttons' });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.log = h('ol', { class: 'call-log', 'aria-label': t('call.log') });
    this.logHead = h('h3', { class: 'subhead', text: t('call.log'), hidden: true });
    const substance = substanceInputs();
    this.fields = substance.inputs;
    this.sendButton = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('send'),
      h('span', { text: t('call.send') }),
    );
    this.formStatus = h('p', { class: 'form-status', role: 'status' });
    this.form = h(
      'form',
      { class: 'call-form stack', novalidate: true, hidden: true },
      h('p', { class: 'help', text: t('call.form_help') }),
      substance.fields.map(([label, input]) => field(label, input).wrapper),
      h('div', { class: 'form-actions' }, this.sendButton, this.formStatus),
    );
    for (const input of Object.values(this.fields)) attachCounter(input);
    this.form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.sendMessage();
    });
    this.element = h(
      'div',
      { class: 'call-panel', dataset: { channel: channelId } },
      h('div', { class: 'call-state' }, this.badge, this.buttons),
      this.line,
      this.status,
      this.logHead,
      this.log,
      this.form,
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  get other() {
    return this.model.scenario.otherTeam(this.model.you.team);
  }

  /** The call ringing for us on this channel, if any. */
  incoming() {
    const call = this.model.activeCall(this.channelId);
    return call && call.status === 'ringing' && call.to_team === this.model.you.team ? call : null;
  }

  sync() {
    const model = this.model;
    const state = model.channelStatus(this.channelId);
    const call = model.activeCall(this.channelId);
    const otherName = this.other?.name || '';
    this.element.dataset.state = state;
    fill(this.badge, icon(STATE_ICON[state] || 'phone'), h('span', { text: t(`channel_state.${state}`) }));
    this.badge.dataset.state = state;
    const running = model.status === 'running';
    const buttons = [];
    let line;
    if (state === 'suspended') {
      const reason = model.channels[this.channelId]?.reason;
      line = reason ? t('call.suspended_reason', { reason }) : t('call.suspended');
    } else if (!call) {
      line = running ? t('call.idle', { team: otherName }) : t(`call.idle_${model.status}`);
      const last = this.lastUnanswered();
      if (last) line = `${line} ${t(`call.last_${last.status}`, { time: formatScenario(last.requested_at) })}`;
      buttons.push(
        this.button(
          'call.request',
          'primary',
          () => ({ type: 'call_request', channel: this.channelId }),
          !running,
          'phone',
        ),
      );
    } else if (call.status === 'ringing' && call.to_team === model.you.team) {
      line = t('call.incoming', { team: otherName });
      buttons.push(
        this.button(
          'call.accept',
          'primary',
          () => ({ type: 'call_accept', call_id: call.call_id }),
          !running,
          'phone',
        ),
      );
      buttons.push(
        this.button('call.decline', 'secondary', () => ({ type: 'call_decline', call_id: call.call_id }), !running),
      );
    } else if (call.status === 'ringing') {
      line = t('call.outgoing', { team: otherName });
      buttons.push(this.button('call.cancel', 'secondary', () => ({ type: 'call_hangup', call_id: call.call_id })));
    } else {
      line = t('call.connected', { team: otherName, time: formatScenario(call.accepted_at ?? call.requested_at) });
      buttons.push(
        this.button('call.hangup', 'danger-outline', () => ({ type: 'call_hangup', call_id: call.call_id })),
      );
    }
    this.line.textContent = line;
    fill(this.buttons, buttons);
    this.form.hidden = state !== 'connected';
  }

  /** The latest call on this channel, if it was declined or missed (so nobody overlooks it). */
  lastUnanswered() {
    const calls = [...this.model.calls.values()].filter((call) => call.channel === this.channelId);
    const last = calls.sort((a, b) => a.requested_at - b.requested_at).at(-1);
    return last && ['declined', 'missed'].includes(last.status) ? last : null;
  }

  button(key, tone, command, disabled = false, symbol = null) {
    const button = h(
      'button',
      { type: 'button', class: `button ${tone}`, disabled },
      symbol ? icon(symbol) : null,
      h('span', { text: t(key) }),
    );
    button.dataset.command = key.split('.')[1];
    button.addEventListener('click', () =>
      runWithStatus(() => this.session.send(command()), this.status, { busyElement: button }),
    );
    return button;
  }

  async sendMessage() {
    const call = this.model.activeCall(this.channelId);
    if (!call) return;
    const said = readSubstance(this.fields);
    if (!said) {
      this.formStatus.textContent = t('call.need_text');
      this.formStatus.classList.add('error');
      this.fields.facts.focus();
      return;
    }
    const command = { type: 'call_message', call_id: call.call_id, ...said };
    const ok = await runWithStatus(() => this.session.send(command), this.formStatus, { busyElement: this.sendButton });
    if (ok) clearSubstance(this.fields);
  }

  /** Does this event belong in this panel's log? */
  accepts(event) {
    return LOGGED.has(event.type) && event.payload?.channel === this.channelId;
  }

  add(event) {
    const scenario = this.model.scenario;
    const p = event.payload;
    const mine = event.actor.team === this.model.you.team;
    const who = scenario.actorName(event.actor);
    const item = h('li', {
      class: `call-entry ${event.type}${mine ? ' mine' : ' theirs'}`,
      dataset: { seq: String(event.seq) },
    });
    item.append(h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }));
    if (event.type === 'call_message') {
      item.append(h('div', { class: 'call-message' }, h('p', { class: 'author', text: who }), substanceLines(p)));
    } else {
      const key = `call.log_${event.type}`;
      item.append(h('span', { text: t(key, { who, team: scenario.teamName(p.to_team), reason: p.reason || '' }) }));
    }
    this.log.append(item);
    this.logHead.hidden = false;
  }
}
