// The large scenario clock with the exercise status (LOBBY, RUNNING, PAUSED, ENDED) in words, the
// compression and the local wall time; it ticks locally every second from the clock anchor.

import { h, fill } from './dom.js';
import { icon } from './icons.js';
import { t, onLanguageChange } from './i18n.js';
import { formatScenario, formatWall } from './time.js';

const STATUS_ICON = { draft: 'clock', lobby: 'clock', running: 'play', paused: 'pause', ended: 'flag' };

export class ClockWidget {
  constructor(model) {
    this.model = model;
    this.time = h('span', { class: 'clock-time', 'aria-label': '' });
    this.status = h('span', { class: 'status-badge' });
    this.meta = h('span', { class: 'clock-meta' });
    this.element = h(
      'div',
      { class: 'clock' },
      h('div', { class: 'clock-main' }, this.time),
      h('div', { class: 'clock-side' }, this.status, this.meta),
    );
    model.subscribe(() => this.render());
    onLanguageChange(() => this.render());
    this.timer = setInterval(() => {
      // The control console replaces its clock when it opens another exercise: stop the old one.
      if (!this.element.isConnected) clearInterval(this.timer);
      else this.render();
    }, 1000);
    this.render();
  }

  render() {
    const model = this.model;
    if (!model.loaded) {
      this.time.textContent = 'T+--:--';
      return;
    }
    const now = model.clock.now();
    const text = formatScenario(now);
    if (this.time.textContent !== text) this.time.textContent = text;
    this.time.setAttribute('aria-label', t('clock.label', { time: text }));
    const status = model.halted || model.status; // a revoked seat's console stops: it says so, not RUNNING
    this.element.dataset.status = status;
    fill(this.status, icon(STATUS_ICON[status] || 'off'), h('span', { text: t(`status.${status}`) }));
    this.status.dataset.status = status;
    const compression = Number(model.compression || 1);
    const wall = formatWall(new Date(), { withSeconds: false });
    this.meta.textContent = t('clock.meta', { compression: compression.toLocaleString(), wall });
  }
}
