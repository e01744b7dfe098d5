// The exercise's lifecycle controls: start (STARTEX), pause with a reason, resume, jump the clock to a
// scenario time or by a duration, change the compression, and end (ENDEX). Each button is enabled
// only in the states where the server accepts it, and its result is shown next to the bar.

import { h, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { openDialog } from '../dialog.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario, parseScenarioTime } from '../time.js';
import { errorText } from '../feedback.js';

/** "1 inject will…" / "3 injects will…": the dictionary's `_one` form for one. */
function counted(key, count) {
  return t(count === 1 ? `${key}_one` : key, { count });
}

export class LifecycleControls {
  constructor({ session, model, heading = null, api = null, exerciseId = '', emptySeats = () => [] }) {
    this.session = session;
    this.model = model;
    this.api = api;
    this.exerciseId = exerciseId;
    this.emptySeats = emptySeats;
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.openLobby = this.button('controls.open_lobby', 'primary', 'link', () => this.run({ type: 'open_lobby' }));
    this.start = this.button('controls.start', 'primary', 'play', () => this.askStart());
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
    this.endexLine = h('span', { class: 'endex-line' });
    this.extend = h('button', { type: 'button', class: 'button small secondary', text: t('controls.extend') });
    this.extend.addEventListener('click', () => this.askExtend());
    this.autoEnd = h('input', { type: 'checkbox', id: 'auto-end' });
    this.autoEnd.addEventListener('change', () =>
      this.run({ type: 'set_auto_end', enabled: this.autoEnd.checked }).then((ok) => {
        if (!ok) this.autoEnd.checked = this.model.autoEnd;
      }),
    );
    const endex = h(
      'div',
      { class: 'endex-controls' },
      this.endexLine,
      this.extend,
      h('label', { class: 'checkbox small-text', for: 'auto-end' }, this.autoEnd, h('span', { text: t('controls.auto_end') })),
    );
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
      endex,
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
    const endex = this.model.endex ?? null;
    this.endexLine.textContent = endex === null ? '' : t('controls.endex', { time: formatScenario(endex) });
    this.extend.disabled = status === 'ended';
    this.autoEnd.disabled = status === 'ended';
    this.autoEnd.checked = Boolean(this.model.autoEnd);
  }

  /** STARTEX with roles nobody holds yet asks first, naming them. */
  askStart() {
    const empty = this.emptySeats();
    if (!empty.length) return this.run({ type: 'start' }, this.start);
    openDialog({
      title: t('controls.start_empty_title', { count: empty.length }),
      body: [
        h('p', { text: t('controls.start_empty_help') }),
        h('ul', { class: 'empty-seats' }, empty.map((label) => h('li', { text: label }))),
      ],
      confirmLabel: t('controls.start_anyway'),
      onConfirm: () => this.session.send({ type: 'start' }),
    });
    return null;
  }

  askExtend(suggested = null) {
    const current = this.model.endex ?? 0;
    const target = h('input', { type: 'text', autocomplete: 'off', value: formatScenario(suggested ?? current + 3600) });
    openDialog({
      title: t('controls.extend_title'),
      body: [
        h('p', { text: t('controls.extend_help', { time: formatScenario(current) }) }),
        field(t('controls.extend_to'), target, t('controls.jump_format')).wrapper,
      ],
      confirmLabel: t('controls.extend'),
      onConfirm: async () => {
        const seconds = parseScenarioTime(target.value);
        if (seconds === null) throw { message: t('controls.jump_unreadable') };
        await this.session.send({ type: 'extend_endex', to: formatScenario(seconds, { withSeconds: seconds % 60 !== 0 }) });
      },
    });
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
    const released = h('div', { class: 'jump-release', 'aria-live': 'polite' });
    const extend = h('input', { type: 'checkbox', id: 'jump-extend' });
    const extendRow = h(
      'label',
      { class: 'checkbox jump-extend', for: 'jump-extend', hidden: true },
      extend,
      h('span', { class: 'extend-text' }),
    );
    const now = () => this.model.clock.now();
    let asked = 0;
    let lastPreview = null;
    const update = async () => {
      target.placeholder = toMode.checked ? 'T+06:00' : '02:00';
      const seconds = parseScenarioTime(target.value);
      lastPreview = null;
      if (seconds === null) {
        preview.textContent = t('controls.jump_now', { now: formatScenario(now()) });
        released.replaceChildren();
        extendRow.hidden = true;
        return;
      }
      const to = toMode.checked ? seconds : now() + seconds;
      preview.textContent = t('controls.jump_preview', { now: formatScenario(now()), to: formatScenario(to) });
      if (!this.api) return;
      const ticket = (asked += 1);
      try {
        const answer = await this.api.jumpPreview(this.exerciseId, { to: formatScenario(to, { withSeconds: true }) });
        if (ticket !== asked) return; // a later keystroke asked again
        lastPreview = answer;
        const count = answer.injects.length;
        const list = count
          ? h(
              'ul',
              { class: 'release-list' },
              answer.injects.slice(0, 8).map((inject) =>
                h('li', { text: `${formatScenario(inject.due_at)} · ${this.model.scenario.inject(inject.id)?.title || inject.title}` }),
              ),
              count > 8 ? h('li', { text: t('controls.jump_more', { count: count - 8 }) }) : null,
            )
          : null;
        // What else the jump does on the way, as the engine will: letters arrive, ringing calls go unanswered.
        const alsoDone = [
          [answer.letters, 'controls.jump_letters', 'release-letters'],
          [answer.missed_calls, 'controls.jump_missed_calls', 'release-missed'],
        ].map(([n, key, className]) => (n ? h('p', { class: `${className} some`, text: counted(key, n) }) : null));
        const parts = [
          h('p', { class: `release-count${count ? ' some' : ''}`, text: counted('controls.jump_releases', count) }),
          list,
          ...alsoDone,
        ];
        released.replaceChildren(...parts.filter(Boolean)); // replaceChildren would write a null as "null"
        extendRow.hidden = !answer.past_endex;
        extendRow.querySelector('.extend-text').textContent = t('controls.jump_extend', {
          endex: formatScenario(answer.endex),
          to: formatScenario(to),
        });
      } catch (error) {
        if (ticket === asked) released.replaceChildren(h('p', { class: 'form-status error', text: errorText(error) }));
      }
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
        released,
        extendRow,
      ],
      confirmLabel: t('controls.jump'),
      onConfirm: async () => {
        const seconds = parseScenarioTime(target.value);
        if (seconds === null) throw { message: t('controls.jump_unreadable') };
        const to = toMode.checked ? seconds : now() + seconds;
        const text = formatScenario(to, { withSeconds: to % 60 !== 0 });
        if (lastPreview?.past_endex) {
          if (!extend.checked) throw { message: t('controls.jump_past_endex', { endex: formatScenario(lastPreview.endex) }) };
          await this.session.send({ type: 'extend_endex', to: text });
        }
        await this.session.send({ type: 'jump', to: text });
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
