// The part that cables and public statements share: a form that sends on one channel, a hint when the
// exercise is not running or the channel is suspended, and the list of what was sent.

import { h, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';

/**
 * Builds `element` (form, list heading, empty note, list). `fields` are [label, control] pairs;
 * `onSubmit` runs when the form is submitted. Call `sync()` whenever the model changes.
 */
export class ChannelComposer {
  constructor({ model, channelId, symbol, submitText, help, fields, className, listClass, listLabel, emptyText, onSubmit }) {
    this.model = model;
    this.channelId = channelId;
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.submit = h('button', { type: 'submit', class: 'button primary' }, icon(symbol), h('span', { text: submitText }));
    this.state = h('p', { class: 'state-hint help', hidden: true });
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { class: 'help', text: help }),
      this.state,
      fields.map(([label, control]) => field(label, control).wrapper),
      h('div', { class: 'form-actions' }, this.submit, this.status),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      onSubmit();
    });
    this.list = h('ol', { class: listClass, 'aria-label': listLabel });
    this.empty = h('p', { class: 'empty', text: emptyText });
    this.element = h(
      'div',
      { class: className },
      form,
      h('h3', { class: 'subhead', text: listLabel }),
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

  /** Show a sent item at the top of the list. */
  prepend(item) {
    this.empty.hidden = true;
    this.list.prepend(item);
  }
}
