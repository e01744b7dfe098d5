// Modal dialogs on the native <dialog> element: showModal() makes the rest of the page inert, so
// focus stays inside, and Escape closes it. Focus returns to whatever opened the dialog.

import { h, uid } from './dom.js';
import { t } from './i18n.js';
import { errorText } from './feedback.js';

const FOCUSABLE = [
  'button:not(:disabled)',
  'input:not(:disabled)',
  'select:not(:disabled)',
  'textarea:not(:disabled)',
  '[href]',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** A modal dialog leaves the page inert, but Tab would still leave for the browser's own toolbar: wrap it. */
function trapTab(dialog, pressed) {
  if (pressed.key !== 'Tab') return;
  const focusable = [...dialog.querySelectorAll(FOCUSABLE)].filter((element) => element.offsetParent !== null);
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (pressed.shiftKey && document.activeElement === first) {
    pressed.preventDefault();
    last.focus();
  } else if (!pressed.shiftKey && document.activeElement === last) {
    pressed.preventDefault();
    first.focus();
  }
}

/**
 * Open a dialog. `onConfirm()` may return a promise; if it rejects, the error is shown inside the
 * dialog, which stays open so the user can fix what they entered or cancel.
 */
export function openDialog({
  title,
  body = [],
  confirmLabel,
  cancelLabel,
  tone = 'primary',
  onConfirm,
  className = '',
}) {
  const opener = document.activeElement;
  const titleId = uid('dialog-title');
  const status = h('p', { class: 'form-status', role: 'alert' });
  const cancel = h('button', { type: 'button', class: 'button secondary', text: cancelLabel || t('common.cancel') });
  const confirm = h('button', { type: 'submit', class: `button ${tone}`, text: confirmLabel || t('common.confirm') });
  const form = h(
    'form',
    { class: 'dialog-form', method: 'dialog', novalidate: true },
    h('h2', { id: titleId, text: title }),
    h('div', { class: 'dialog-body' }, body),
    status,
    h('div', { class: 'dialog-buttons' }, cancel, confirm),
  );
  const dialog = h('dialog', { class: `dialog ${className}`.trim(), 'aria-labelledby': titleId }, form);

  const close = () => {
    if (dialog.open) dialog.close();
  };
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  });
  cancel.addEventListener('click', close);
  dialog.addEventListener('keydown', (pressed) => trapTab(dialog, pressed));
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    if (!onConfirm) {
      close();
      return;
    }
    confirm.disabled = true;
    status.textContent = t('common.sending');
    try {
      const keepOpen = (await onConfirm()) === false;
      if (!keepOpen) close();
      else status.textContent = '';
    } catch (error) {
      status.textContent = errorText(error);
    } finally {
      confirm.disabled = false;
    }
  });

  document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('input, textarea, select');
  (first || confirm).focus();
  return { dialog, close, status };
}
