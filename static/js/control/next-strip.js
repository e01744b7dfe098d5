// The cockpit strip under the controls: the next timed inject and how long until it is released, in
// wall time ("in 04:32"), the planned ENDEX likewise, and "Fire now" for the next inject. It ticks
// every second from the local clock; contingency injects are not in it, since they wait on the teams.

import { h, fill } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { formatScenario, scenarioSeconds } from '../time.js';

function countdown(seconds) {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = String(total % 60).padStart(2, '0');
  return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${String(minutes).padStart(2, '0')}:${rest}`;
}

export class NextStrip {
  constructor({ model, onFire }) {
    this.model = model;
    this.onFire = onFire;
    this.next = h('p', { class: 'next-inject', 'aria-live': 'off' });
    this.endex = h('p', { class: 'next-endex' });
    this.status = h('span', { class: 'form-status small', role: 'status' });
    this.fire = h('button', { type: 'button', class: 'button small secondary' }, icon('skip'), h('span', { text: t('next.fire') }));
    this.fire.addEventListener('click', () => {
      const inject = this.upcoming();
      if (inject) runWithStatus(() => this.onFire({ type: 'fire_inject', inject_id: inject.id }), this.status, { busyElement: this.fire });
    });
    this.element = h('div', { class: 'next-strip', id: 'next-strip' }, icon('clock'), this.next, this.fire, this.status, this.endex);
    model.subscribe(() => this.render());
    this.timer = setInterval(() => {
      if (!this.element.isConnected) clearInterval(this.timer);
      else this.render();
    }, 1000);
    this.render();
  }

  /** The pending timed inject due soonest. */
  upcoming() {
    const injects = this.model.injects || {};
    return (
      this.model.scenario.injects
        .filter((inject) => inject.at !== null && inject.at !== undefined && (injects[inject.id]?.status || 'pending') === 'pending')
        .sort((a, b) => scenarioSeconds(a.at) - scenarioSeconds(b.at))[0] || null
    );
  }

  wallUntil(scenarioTime) {
    const now = this.model.clock.now();
    const compression = Number(this.model.compression || 1);
    return (scenarioTime - now) / compression;
  }

  render() {
    const model = this.model;
    const status = model.status;
    const inject = this.upcoming();
    const open = ['lobby', 'running', 'paused'].includes(status);
    this.element.hidden = status === 'ended' || status === 'draft';
    this.fire.hidden = !inject || !open;
    if (!inject) {
      this.next.textContent = t('next.none');
    } else {
      const at = scenarioSeconds(inject.at);
      const when =
        status === 'running'
          ? t('next.in', { time: countdown(this.wallUntil(at)) })
          : t(status === 'paused' ? 'next.paused' : 'next.not_started');
      fill(
        this.next,
        h('span', { class: 'next-label', text: t('next.label') }),
        ' ',
        h('strong', { class: 'next-title', text: inject.title }),
        ` · ${formatScenario(at)} · `,
        h('span', { class: 'next-when', text: when }),
      );
    }
    const endex = model.endex;
    if (endex === null || endex === undefined) {
      this.endex.textContent = '';
    } else {
      this.endex.textContent =
        status === 'running'
          ? t('next.endex_in', { endex: formatScenario(endex), time: countdown(this.wallUntil(endex)) })
          : t('next.endex', { endex: formatScenario(endex) });
    }
  }
}
