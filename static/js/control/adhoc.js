// The ad-hoc inject composer: a message the facilitator writes now (not in the MSEL) to everyone, one
// team, or one role, on a feed channel; and, when it reports an act of one side, whose act it is.

import { h, field, options } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { AttributionFields } from './adhoc-attribution.js';

export class AdhocComposer {
  constructor({ session, model }) {
    this.session = session;
    const scenario = model.scenario;
    const audiences = [['all', t('audience.all')]];
    for (const team of scenario.teams) {
      audiences.push([`team:${team.id}`, t('adhoc.whole_team', { team: team.name })]);
      for (const role of team.roles) audiences.push([`role:${team.id}:${role.id}`, `${team.name} — ${role.name}`]);
    }
    this.audience = options(h('select'), audiences, 'all');
    const feeds = scenario.channelsOfKind('feed');
    this.channel = options(
      h('select'),
      (feeds.length ? feeds : scenario.channels).map((channel) => [channel.id, channel.name]),
    );
    this.originator = h('input', { type: 'text', maxlength: 200, value: t('adhoc.originator_default') });
    this.title = h('input', { type: 'text', maxlength: 200, required: true });
    this.text = h('textarea', { rows: 4, maxlength: 4000, required: true });
    this.attribution = new AttributionFields({ scenario });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.submit = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('send'),
      h('span', { text: t('adhoc.send') }),
    );
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { class: 'help', text: t('adhoc.help') }),
      h(
        'div',
        { class: 'row' },
        field(t('adhoc.audience'), this.audience).wrapper,
        field(t('adhoc.channel'), this.channel).wrapper,
      ),
      field(t('adhoc.originator'), this.originator, t('adhoc.originator_help')).wrapper,
      field(t('adhoc.title'), this.title).wrapper,
      field(t('adhoc.text'), this.text).wrapper,
      this.attribution.element,
      h('div', { class: 'form-actions' }, this.submit, this.status),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.send();
    });
    this.element = h('div', { class: 'adhoc' }, form);
  }

  audienceValue() {
    const value = this.audience.value;
    if (value === 'all') return 'all';
    const [kind, team, role] = value.split(':');
    return [kind === 'team' ? { team } : { team, role }];
  }

  async send() {
    const title = this.title.value.trim();
    const text = this.text.value.trim();
    if (!title || !text) {
      this.status.textContent = t('adhoc.need_text');
      this.status.classList.add('error');
      (title ? this.text : this.title).focus();
      return;
    }
    const attribution = this.attribution.readValue();
    if (attribution?.error) {
      this.status.textContent = attribution.error;
      this.status.classList.add('error');
      attribution.element.focus();
      return;
    }
    const command = {
      type: 'adhoc_inject',
      audience: this.audienceValue(),
      channel: this.channel.value,
      originator: this.originator.value.trim() || t('adhoc.originator_default'),
      title,
      text,
    };
    if (attribution) command.attribution = attribution;
    const ok = await runWithStatus(() => this.session.send(command), this.status, {
      busyElement: this.submit,
      doneText: t('adhoc.sent'),
    });
    if (ok) {
      this.title.value = '';
      this.text.value = '';
      this.attribution.reset();
    }
  }
}
