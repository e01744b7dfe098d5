// The hot-wash questionnaire a player gets at ENDEX: what worked, what did not, a rating from 1 to 5,
// and whether to answer anonymously. The answer goes to the server as a `submit_hotwash` command over
// the player's own websocket session; only the control cell sees it, in the after-action report
// (an anonymous answer there shows the team, never the seat).
//
// The team console calls `mountHotwash(container, { send, model })` once: `send(command)` is its
// session's send (a Promise of the ack), `model` its console model (`status`, `subscribe`,
// `exerciseId`, `you`). The container stays hidden until the exercise has ended. Its words are in the
// consoles' dictionaries (static/i18n/, keys `hotwash.*`); the console mounts it again after a
// language change.

import { t } from '../js/i18n.js';
import { attachCounter } from '../js/counter.js';
import { randomHex } from '../js/session.js';

const MAX_TEXT = 2000;

function el(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, val] of Object.entries(attrs)) {
    if (val === undefined || val === null || val === false) continue;
    if (key === 'class') element.className = val;
    else if (key === 'text') element.textContent = String(val);
    else if (val === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(val));
  }
  for (const child of children.flat()) {
    if (child) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let counter = 0;

function storageKey(model) {
  const you = model.you || {};
  return `hotline.hotwash:${model.exerciseId}:${you.seat_id || you.team || 'seat'}`;
}

function answered(key) {
  try {
    return localStorage.getItem(key) === 'sent';
  } catch {
    return false;
  }
}

function markAnswered(key) {
  try {
    localStorage.setItem(key, 'sent');
  } catch {
    // Storage disabled: the form shows again after a reload, and a second answer is only a duplicate.
  }
}

function linkStylesheet() {
  if (document.querySelector('link[data-hotwash]')) return;
  const sheet = el('link', { rel: 'stylesheet', href: '/static/report/hotwash.css' });
  sheet.dataset.hotwash = 'yes';
  document.head.append(sheet);
}

/** Build the questionnaire in `container`; it shows itself when `model.status` becomes 'ended'. */
export function mountHotwash(container, { send, model }) {
  linkStylesheet();
  counter += 1;
  const id = (name) => `hotwash-${counter}-${name}`;
  const key = storageKey(model);
  const message = el('p', { class: 'hotwash-message', role: 'status', 'aria-live': 'polite' });
  const worked = el('textarea', { id: id('worked'), name: 'worked', rows: 3, maxlength: MAX_TEXT });
  const didNotWork = el('textarea', { id: id('not'), name: 'did_not_work', rows: 3, maxlength: MAX_TEXT });
  // Scenarios with a media world ask how the domestic pressure was felt.
  const media = Boolean(model.scenario?.data?.media);
  const pressure = el('textarea', { id: id('pressure'), name: 'pressure', rows: 3, maxlength: MAX_TEXT });
  const anonymous = el('input', { type: 'checkbox', id: id('anonymous'), name: 'anonymous' });
  const ratings = [1, 2, 3, 4, 5].map((score) =>
    el(
      'label',
      { class: 'hotwash-rating' },
      el('input', { type: 'radio', name: 'rating', value: score, required: true }),
      ` ${t(`hotwash.rating_${score}`)}`,
    ),
  );
  // 'button primary' is the console's own button style (static/css/base.css).
  const submit = el('button', { type: 'submit', class: 'button primary', text: t('hotwash.submit') });
  const form = el(
    'form',
    { class: 'hotwash-form', 'aria-labelledby': id('title'), novalidate: true },
    el('h3', { id: id('title'), text: t('hotwash.title') }),
    el('p', { text: t('hotwash.lead') }),
    el('label', { for: id('worked') }, t('hotwash.worked'), el('span', { class: 'hint', text: ` ${t('hotwash.worked_hint')}` })),
    worked,
    el('label', { for: id('not') }, t('hotwash.did_not_work'), el('span', { class: 'hint', text: ` ${t('hotwash.did_not_work_hint')}` })),
    didNotWork,
    media ? el('label', { for: id('pressure') }, t('hotwash.pressure_felt'), el('span', { class: 'hint', text: ` ${t('hotwash.pressure_moved')}` })) : null,
    media ? pressure : null,
    el('fieldset', { class: 'hotwash-ratings' }, el('legend', { text: t('hotwash.rating') }), ratings),
    el('label', { for: id('anonymous'), class: 'hotwash-anonymous' }, anonymous, ` ${t('hotwash.anonymous')}`),
    el('p', {}, submit),
    message,
  );
  const thanks = el('p', { class: 'hotwash-thanks', role: 'status', text: t('hotwash.thanks') });
  attachCounter(worked);
  attachCounter(didNotWork);

  const sync = () => {
    const ended = model.status === 'ended';
    container.hidden = !ended;
    if (!ended) return;
    const done = answered(key);
    form.hidden = done;
    thanks.hidden = !done;
  };

  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    const chosen = form.querySelector('input[name="rating"]:checked');
    if (!chosen) {
      message.textContent = t('hotwash.need_rating');
      message.classList.add('error');
      form.querySelector('input[name="rating"]').focus();
      return;
    }
    message.classList.remove('error');
    submit.disabled = true;
    submit.textContent = t('common.sending');
    message.textContent = '';
    try {
      // An anonymous answer gets a random id of its own, not one in this console's numbered series,
      // so nothing in it links the answer to the seat's other commands (docs/security.md).
      await send({
        ...(anonymous.checked ? { id: `anon-${randomHex(16)}` } : {}),
        type: 'submit_hotwash',
        worked: worked.value.trim().slice(0, MAX_TEXT),
        did_not_work: didNotWork.value.trim().slice(0, MAX_TEXT),
        ...(media ? { pressure: pressure.value.trim().slice(0, MAX_TEXT) } : {}),
        rating: Number(chosen.value),
        anonymous: anonymous.checked,
      });
      markAnswered(key);
      sync();
    } catch (error) {
      message.textContent =
        error && error.message ? t('hotwash.failed_because', { reason: error.message }) : t('hotwash.failed');
    } finally {
      submit.disabled = false;
      submit.textContent = t('hotwash.submit');
    }
  });

  container.append(form, thanks);
  model.subscribe(sync);
  sync();
  return { form, sync };
}
