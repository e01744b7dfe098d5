// Diplomatic cables: written, asynchronous messages between the two foreign ministries.

import { h } from '../dom.js';
import { ChannelComposer } from './channel-composer.js';
import { attachCounter } from '../counter.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario, formatWall } from '../time.js';

export class CablePanel {
  constructor({ session, model, channelId }) {
    this.session = session;
    this.model = model;
    this.subject = h('input', { type: 'text', maxlength: 200 });
    this.text = h('textarea', { rows: 4, maxlength: 4000 });
    const other = model.scenario.otherTeam(model.you.team);
    this.composer = new ChannelComposer({
      model,
      channelId,
      symbol: 'cable',
      submitText: t('cables.send'),
      help: t('cables.help', { team: other?.name || '' }),
      fields: [
        [t('cables.subject'), this.subject],
        [t('cables.text'), this.text],
      ],
      className: 'cables',
      listClass: 'cable-list',
      listLabel: t('cables.list'),
      emptyText: t('cables.empty'),
      onSubmit: () => this.send(),
    });
    this.element = this.composer.element;
    this.status = this.composer.status;
    this.submit = this.composer.submit;
    attachCounter(this.text);
  }

  sync() {
    this.composer.sync();
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
    this.composer.prepend(
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
