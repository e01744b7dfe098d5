// Showing what happened to what the user just did: "Sending…", then done, or the server's error in
// plain words next to the form or button that caused it.

import { t, has } from './i18n.js';

/** Words for an error from `Session.send`, the REST helper, or a thrown Error. */
export function errorText(error) {
  if (!error) return t('error.unknown');
  if (error.code === 'internal') return t('error.internal');
  if (error.code === 'disconnected') return t('error.disconnected');
  if (error.message) return error.message;
  if (error.code && has(`error.${error.code}`)) return t(`error.${error.code}`);
  return t('error.unknown');
}

/**
 * Run `task()` (which returns a promise) for a form or button, showing progress and the result in
 * `statusElement`. Disables `busyElement` meanwhile. Resolves true on success.
 */
export async function runWithStatus(task, statusElement, { busyElement = null, doneText = '', sendingText } = {}) {
  if (busyElement) busyElement.disabled = true;
  statusElement.classList.remove('error', 'done');
  statusElement.textContent = sendingText ?? t('common.sending');
  try {
    await task();
    statusElement.textContent = doneText;
    if (doneText) statusElement.classList.add('done');
    return true;
  } catch (error) {
    statusElement.textContent = errorText(error);
    statusElement.classList.add('error');
    return false;
  } finally {
    if (busyElement) busyElement.disabled = false;
  }
}

/** A transient message in the page's notice area (errors that belong to no form, e.g. rate limiting). */
export function notify(area, text, tone = 'info') {
  const item = document.createElement('p');
  item.className = `notice ${tone}`;
  item.setAttribute('role', tone === 'error' ? 'alert' : 'status');
  item.textContent = text;
  area.append(item);
  setTimeout(() => item.remove(), 8000);
}
