// A character counter under a text field with a limit, so nothing is ever cut without the writer seeing
// it: "812 / 4000", turning to a warning near the limit and saying so when it is reached.

import { h } from './dom.js';
import { t } from './i18n.js';

/** Show a counter for `control` (which has a maxlength) after `anchor` (the control itself by default). */
export function attachCounter(control, anchor = control) {
  const limit = Number(control.getAttribute('maxlength'));
  if (!limit) return null;
  const counter = h('p', { class: 'counter', 'aria-live': 'polite' });
  const render = () => {
    const used = control.value.length;
    counter.classList.toggle('near', used >= limit * 0.9);
    counter.classList.toggle('full', used >= limit);
    counter.textContent =
      used >= limit ? t('counter.full', { limit }) : t('counter.count', { used, limit });
  };
  control.addEventListener('input', render);
  anchor.after(counter);
  render();
  return counter;
}
