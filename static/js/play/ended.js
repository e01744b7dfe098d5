// After ENDEX: a clear notice at the top of the team console. The element with id "after-action"
// below it (`slot`) is where the hot-wash questionnaire mounts; it stays hidden until the exercise ends.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';

export class EndedPanel {
  constructor({ model }) {
    this.model = model;
    this.afterAction = h('div', { id: 'after-action', class: 'after-action', hidden: true });
    this.reason = h('p', { class: 'ended-reason' });
    this.element = h(
      'section',
      { class: 'panel ended-panel', id: 'ended', hidden: true, 'aria-labelledby': 'ended-title', tabindex: '-1' },
      h('h2', { id: 'ended-title' }, icon('flag'), h('span', { text: t('ended.title') })),
      h('p', { class: 'ended-lead', text: t('ended.text') }),
      this.reason,
      this.afterAction,
    );
    model.subscribe((_, event) => this.sync(event));
    this.sync(null);
  }

  sync(event) {
    const ended = this.model.status === 'ended';
    const wasHidden = this.element.hidden;
    this.element.hidden = !ended;
    if (ended && wasHidden && event) this.element.scrollIntoView({ block: 'start' });
  }

  /** The facilitator's closing words, from the exercise_ended event (live or replayed). */
  setReason(reason) {
    this.reason.textContent = reason && reason !== 'ENDEX' ? reason : '';
  }

  /** Where the hot-wash questionnaire mounts (static/report/hotwash.js shows it at ENDEX). */
  get slot() {
    return this.afterAction;
  }
}
