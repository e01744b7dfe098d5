// Letters between the leaders, on a call channel that carries them: a teletype over the line (minutes)
// or a letter an embassy carries (hours). The form writes one; the list shows ours on their way and once
// delivered, and the other side's when they arrive (the server sends them to us only then).

import { h, options } from '../dom.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { attachCounter } from '../counter.js';
import { formatDuration, formatScenario } from '../time.js';
import { ChannelComposer } from './channel-composer.js';
import { clearSubstance, readSubstance, substanceInputs, substanceLines } from './substance.js';

export class LetterPanel {
  constructor({ session, model, channelId, media }) {
    this.session = session;
    this.model = model;
    this.channelId = channelId;
    this.items = new Map();
    this.medium = h('select', { name: 'medium' });
    options(
      this.medium,
      Object.entries(media).map(([medium, delay]) => [
        medium,
        t('letters.medium_delay', { medium: t(`letters.medium.${medium}`), delay: formatDuration(delay) }),
      ]),
    );
    this.subject = h('input', { type: 'text', maxlength: 200 });
    const substance = substanceInputs('letters.text');
    this.inputs = substance.inputs;
    const other = model.scenario.otherTeam(model.you.team);
    this.composer = new ChannelComposer({
      model,
      channelId,
      symbol: 'send',
      submitText: t('letters.send'),
      help: t('letters.help', { team: other?.name || '' }),
      fields: [[t('letters.medium_label'), this.medium], [t('letters.subject'), this.subject], ...substance.fields],
      className: 'letters',
      listClass: 'letter-list',
      listLabel: t('letters.list'),
      emptyText: t('letters.empty'),
      onSubmit: () => this.send(),
    });
    for (const input of Object.values(this.inputs)) attachCounter(input);
    // The form folds away under its title, so the hotline panel stays short; the list stays in view.
    const form = this.composer.element.querySelector('form');
    this.compose = h('details', { class: 'letter-compose' }, h('summary', { text: t('letters.heading') }), form);
    this.composer.element.prepend(this.compose);
    this.element = this.composer.element;
    this.element.dataset.channel = channelId;
  }

  async send() {
    const status = this.composer.status;
    const said = readSubstance(this.inputs);
    if (!said) {
      status.textContent = t('call.need_text');
      status.classList.add('error');
      this.inputs.facts.focus();
      return;
    }
    const command = {
      type: 'send_letter',
      channel: this.channelId,
      medium: this.medium.value,
      subject: this.subject.value.trim(),
      ...said,
    };
    const ok = await runWithStatus(() => this.session.send(command), status, {
      busyElement: this.composer.submit,
      doneText: t('letters.sent'),
    });
    this.composer.sync();
    if (ok) {
      clearSubstance(this.inputs);
      this.subject.value = '';
    }
  }

  accepts(event) {
    return (event.type === 'letter_sent' || event.type === 'letter_delivered') && event.payload?.channel === this.channelId;
  }

  add(event) {
    const p = event.payload;
    const mine = p.from_team === this.model.you.team;
    const state = this.stateLine(event, mine);
    const known = this.items.get(p.letter_id);
    if (known) {
      known.item.classList.replace('in-transit', 'delivered');
      known.state.textContent = state;
      return;
    }
    const stateLine = h('span', { class: 'letter-state', text: state });
    const scenario = this.model.scenario;
    const item = h(
      'li',
      {
        class: `letter ${mine ? 'mine' : 'theirs'} ${event.type === 'letter_sent' ? 'in-transit' : 'delivered'}`,
        dataset: { letter: p.letter_id, seq: String(event.seq) },
      },
      h(
        'p',
        { class: 'item-meta' },
        h('span', {
          class: 'direction',
          text: mine
            ? t('letters.outgoing', { medium: t(`letters.medium.${p.medium}`), team: scenario.teamName(p.to_team) })
            : t('letters.incoming', { medium: t(`letters.medium.${p.medium}`), team: scenario.teamName(p.from_team) }),
        }),
        stateLine,
      ),
      p.subject ? h('h4', { class: 'item-title', text: p.subject }) : null,
      h('div', { class: 'call-message' }, substanceLines(p)),
    );
    this.items.set(p.letter_id, { item, state: stateLine });
    this.composer.prepend(item);
  }

  stateLine(event, mine) {
    const p = event.payload;
    if (event.type === 'letter_sent') {
      return t('letters.on_its_way', {
        sent: formatScenario(event.scenario_time),
        arrives: formatScenario(event.scenario_time + p.delay),
      });
    }
    const key = mine ? 'letters.delivered_ours' : 'letters.delivered_theirs';
    return t(key, { sent: formatScenario(p.sent_at), arrived: formatScenario(p.due_at) });
  }
}
