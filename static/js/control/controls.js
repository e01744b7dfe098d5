// The exercise's lifecycle controls: start (STARTEX), pause with a reason, resume, jump the clock to a
// scenario time or by a duration, change the compression, and end (ENDEX). Each button is enabled
// only in the states where the server accepts it, and its result is shown next to the bar.

import { h, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { openDialog } from '../dialog.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario, parseScenarioTime } from '../time.js';

export class LifecycleControls {
  constructor({ session, model, heading = null }) {
    this.session = session;
    this.model = model;
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.openLobby = this.button('controls.open_lobby', 'primary', 'link', () => this.run({ type: 'open_lobby' }));
    this.start = this.button('controls.start', 'primary', 'play', () => this.run({ type: 'start' }));
    this.pause = this.button('controls.pause', 'secondary', 'pause', () => this.askPause());
    this.resume = this.button('controls.resume', 'primary', 'play', () => this.run({ type: 'resume' }));
    this.jump = this.button('controls.jump', 'secondary', 'skip', () => this.askJump());
    this.end = this.button('controls.end', 'danger-outline', 'flag', () => this.askEnd());
    this.compression = h('input', { type: 'number', min: '0.1', max: '10000', step: 'any', class: 'compact' });
    this.compressionButton = h('button', {
      type: 'submit',
      class: 'button secondary small',
      text: t('controls.apply'),
    });
    const compressionForm = h(
      'form',
      { class: 'inline-form', novalidate: true },
      h('label', { for: 'compression-input', text: t('controls.compression') }),
      this.compression,
      this.compressionButton,
    );
    this.compression.id = 'compression-input';
    this.compression.title = t('controls.compression_help');
    compressionForm.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.changeCompression();
    });
    this.hint = h('p', { class: 'help controls-hint' });
    this.element = h(
      'div',
      { class: 'controls-bar' },
      heading,
      h(
        'div',
        { class: 'controls-buttons', role: 'toolbar', 'aria-label': t('controls.label') },
        this.openLobby,
        this.start,
        this.pause,
        this.resume,
        this.jump,
        compressionForm,
        this.end,
      ),
      h('div', { class: 'controls-feedback' }, this.hint, this.status),
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  button(key, tone, symbol, onClick) {
    const button = h(
      'button',
      { type: 'button', class: `button ${tone}`, dataset: { control: key.split('.')[1] } },
      icon(symbol),
      h('span', { text: t(key) }),
    );
    button.addEventListener('click', onClick);
    return button;
  }

  sync() {
    const status = this.model.status;
    const live = status === 'running' || status === 'paused';
    this.openLobby.hidden = status !== 'draft';
    this.start.hidden = status !== 'lobby';
    this.pause.hidden = status !== 'running';
    this.resume.hidden = status !== 'paused';
    this.jump.disabled = !live;
    this.end.disabled = status === 'ended';
    this.compressionButton.disabled = status === 'ended';
    this.compression.disabled = status === 'ended';
    if (document.activeElement !== this.compression) this.compression.value = String(this.model.compression ?? '');
    this.hint.textContent = t(`controls.hint.${status}`);
  }

  run(command, button = null) {
    return runWithStatus(() => this.session.send(command), this.status, { busyElement: button, doneText: '' });
  }

  changeCompression() {
    const compression = Number(this.compression.value);
    if (!(compression > 0 && compression <= 10000)) {
      this.status.textContent = t('home.compression_invalid');
      this.status.classList.add('error');
      return;
    }
    this.run({ type: 'set_compression', compression }, this.compressionButton);
  }

  askPause() {
    const reason = h('input', { type: 'text', maxlength: 300, value: t('controls.pause_default') });
    openDialog({
      title: t('controls.pause_title'),
      body: [h('p', { text: t('controls.pause_help') }), field(t('controls.reason'), reason).wrapper],
      confirmLabel: t('controls.pause'),
      onConfirm: () => this.session.send({ type: 'pause', reason: reason.value.trim() || t('controls.pause_default') }),
    });
  }

  askJump() {
    const target = h('input', { type: 'text', placeholder: 'T+06:00', autocomplete: 'off' });
    const toMode = h('input', { type: 'radio', name: 'jump-mode', value: 'to', checked: true, id: 'jump-to' });
    const byMode = h('input', { type: 'radio', name: 'jump-mode', value: 'by', id: 'jump-by' });
    const preview = h('p', { class: 'help', 'aria-live': 'polite' });
    const now = () => this.model.clock.now();
    const update = () => {
      target.placeholder = toMode.checked ? 'T+06:00' : '02:00';
      const seconds = parseScenarioTime(target.value);
      if (seconds === null) {
        preview.textContent = t('controls.jump_now', { now: formatScenario(now()) });
        return;
      }
      const to = toMode.checked ? seconds : now() + seconds;
      preview.textContent = t('controls.jump_preview', { now: formatScenario(now()), to: formatScenario(to) });
    };
    for (const input of [target, toMode, byMode]) input.addEventListener('input', update);
    update();
    openDialog({
      title: t('controls.jump_title'),
      body: [
        h('p', { text: t('controls.jump_help') }),
        h(
          'fieldset',
          { class: 'plain radio-row' },
          h('legend', { text: t('controls.jump_mode') }),
          h('label', { for: 'jump-to' }, toMode, h('span', { text: t('controls.jump_to') })),
          h('label', { for: 'jump-by' }, byMode, h('span', { text: t('controls.jump_by') })),
        ),
        field(t('controls.jump_target'), target, t('controls.jump_format')).wrapper,
        preview,
      ],
      confirmLabel: t('controls.jump'),
      onConfirm: () => {
        const seconds = parseScenarioTime(target.value);
        if (seconds === null) return Promise.reject({ message: t('controls.jump_unreadable') });
        const command = { type: 'jump' };
        command[toMode.checked ? 'to' : 'by'] = formatScenario(seconds, { withSeconds: seconds % 60 !== 0 });
        return this.session.send(command);
      },
    });
  }

  askEnd() {
    const reason = h('input', { type: 'text', maxlength: 300, value: 'ENDEX' });
    openDialog({
      title: t('controls.end_title'),
      body: [h('p', { text: t('controls.end_help') }), field(t('controls.reason'), reason).wrapper],
      confirmLabel: t('controls.end'),
      tone: 'danger',
      onConfirm: () => this.session.send({ type: 'end', reason: reason.value.trim() || 'ENDEX' }),
    });
  }
}
