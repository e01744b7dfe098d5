// Team chat: internal deliberation the other side never sees. Enter sends, Shift+Enter starts a new line.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { attachCounter } from '../counter.js';
import { formatScenario, formatWall } from '../time.js';

export class TeamChat {
  constructor({ session, model }) {
    this.session = session;
    this.model = model;
    this.log = h('ol', { class: 'chat-log', 'aria-live': 'polite', 'aria-label': t('chat.log') });
    this.empty = h('p', { class: 'empty', text: t('chat.empty') });
    this.input = h('textarea', { rows: 2, maxlength: 4000, id: 'chat-input', placeholder: t('chat.placeholder') });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.submit = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('send'),
      h('span', { text: t('chat.send') }),
    );
    const help = h('p', { class: 'help', id: 'chat-help', text: t('chat.help') });
    this.input.setAttribute('aria-describedby', 'chat-help');
    const form = h(
      'form',
      { class: 'chat-form', novalidate: true },
      h('label', { class: 'sr-only', for: 'chat-input', text: t('chat.message') }),
      h('div', { class: 'chat-compose' }, this.input, this.submit),
      help,
      this.status,
    );
    this.input.addEventListener('keydown', (pressed) => {
      if (pressed.key === 'Enter' && !pressed.shiftKey && !pressed.isComposing) {
        pressed.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.send();
    });
    this.element = h('div', { class: 'chat' }, this.empty, this.log, form);
    attachCounter(this.input, form.querySelector('.chat-compose'));
    model.subscribe(() => this.sync());
    this.sync();
  }

  /** Team chat is open from the lobby until ENDEX. */
  sync() {
    const open = ['lobby', 'running', 'paused'].includes(this.model.status);
    this.input.disabled = !open;
    this.submit.disabled = !open;
  }

  async send() {
    const text = this.input.value.trim();
    if (!text) {
      this.status.textContent = t('chat.need_text');
      this.status.classList.add('error');
      this.input.focus();
      return;
    }
    const ok = await runWithStatus(() => this.session.send({ type: 'send_chat', text }), this.status, {
      busyElement: this.submit,
    });
    this.sync(); // the status may have changed while this was being sent
    if (ok) {
      this.input.value = '';
      this.input.focus();
    }
  }

  add(event) {
    const mine = event.actor.seat_id && event.actor.seat_id === this.model.you.seat_id;
    const who = event.actor.role
      ? this.model.scenario.roleName(event.actor.team, event.actor.role)
      : this.model.scenario.teamName(event.actor.team);
    this.empty.hidden = true;
    const atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 40;
    this.log.append(
      h(
        'li',
        { class: `chat-message${mine ? ' mine' : ''}`, dataset: { seq: String(event.seq) } },
        h(
          'p',
          { class: 'item-meta' },
          h('span', { class: 'author', text: mine ? t('chat.you', { who }) : who }),
          h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
          h('span', { class: 'wall-time', text: formatWall(event.wall_time, { withSeconds: false }) }),
        ),
        h('p', { class: 'chat-text', text: event.payload.text }),
      ),
    );
    if (atBottom || mine) this.log.scrollTop = this.log.scrollHeight;
  }
}
