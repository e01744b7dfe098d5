// Telling a player that something arrived: a toast for each inject, incoming call, letter and statement
// of the other side; the number of unseen arrivals in the tab's title while the tab is in the background; and,
// when the player turns them on (off by default, remembered per seat), a sound and a desktop notification.
// A call ringing for this seat rings — with sound on — until it is answered, declined or missed.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';

const TOAST_MS = 7000;
const MAX_TOASTS = 4;
const RING_EVERY_MS = 2500;

function load(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || '{}');
  } catch {
    return {};
  }
}

function save(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

export class Alerts {
  constructor({ exerciseId, seatKey, area }) {
    this.key = `hotline.alerts.${exerciseId}.${seatKey}`;
    this.settings = { sound: false, desktop: false, ...load(this.key) };
    this.area = area;
    this.unseen = 0;
    this.baseTitle = document.title;
    this.ringTimer = null;
    this.audio = null;
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) this.clearUnseen();
    });
    window.addEventListener('focus', () => this.clearUnseen());
  }

  /** The two switches, for the feed panel's header. */
  controls() {
    const toggle = (name, label) => {
      const input = h('input', { type: 'checkbox', id: `alert-${name}` });
      input.checked = Boolean(this.settings[name]);
      input.addEventListener('change', () => this.set(name, input.checked, input));
      return h('label', { class: 'checkbox small-text', for: input.id }, input, h('span', { text: label }));
    };
    this.status = h('span', { class: 'form-status small', role: 'status' });
    return h(
      'div',
      { class: 'alert-settings' },
      toggle('sound', t('alerts.sound')),
      toggle('desktop', t('alerts.desktop')),
      this.status,
    );
  }

  async set(name, on, input) {
    if (name === 'desktop' && on) {
      if (!('Notification' in window)) {
        input.checked = false;
        this.status.textContent = t('alerts.desktop_unsupported');
        return;
      }
      const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
      if (permission !== 'granted') {
        input.checked = false;
        this.status.textContent = t('alerts.desktop_denied');
        return;
      }
    }
    this.status.textContent = '';
    this.settings[name] = on;
    save(this.key, this.settings);
    if (name === 'sound' && on) this.beep(660, 0.12); // a taste of the sound, and browsers need a click to unlock audio
  }

  /** Something arrived live: `kind` is inject, call, letter or statement. */
  notify(kind, title, text = '') {
    this.toast(kind, title, text);
    if (document.hidden || !document.hasFocus()) {
      this.unseen += 1;
      this.renderTitle();
    }
    if (this.settings.sound && kind !== 'call') this.beep(kind === 'statement' ? 520 : 740, 0.18);
    if (this.settings.desktop && document.hidden && 'Notification' in window && Notification.permission === 'granted') {
      try {
        new Notification(title, { body: text.slice(0, 180), tag: `hotline-${kind}` });
      } catch {
        // Some browsers allow notifications only from a service worker: the toast and title still tell.
      }
    }
  }

  toast(kind, title, text) {
    const symbol = { inject: 'alert', call: 'phone', statement: 'megaphone', letter: 'send' }[kind] || 'dot';
    const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': t('alerts.dismiss') }, icon('x'));
    const toast = h(
      'div',
      { class: `toast ${kind}`, role: kind === 'call' ? 'alert' : 'status' },
      icon(symbol),
      h('p', {}, h('strong', { text: title }), text ? h('span', { class: 'toast-text', text }) : null),
      close,
    );
    close.addEventListener('click', () => toast.remove());
    this.area.append(toast);
    while (this.area.querySelectorAll('.toast').length > MAX_TOASTS) this.area.querySelector('.toast').remove();
    setTimeout(() => toast.remove(), TOAST_MS);
  }

  renderTitle() {
    document.title = this.unseen ? `(${this.unseen}) ${this.baseTitle}` : this.baseTitle;
  }

  /** The page set its own title (seat, language): keep the count in front of it. */
  setBaseTitle(title) {
    this.baseTitle = title;
    this.renderTitle();
  }

  clearUnseen() {
    if (!this.unseen) return;
    this.unseen = 0;
    this.renderTitle();
  }

  /** Ring while a call waits for this seat (sound on only); stop when it no longer does. */
  ringing(on) {
    if (on && !this.ringTimer) {
      const ring = () => {
        if (!this.settings.sound) return;
        this.beep(880, 0.2);
        setTimeout(() => this.beep(880, 0.2), 300);
      };
      ring();
      this.ringTimer = setInterval(ring, RING_EVERY_MS);
    } else if (!on && this.ringTimer) {
      clearInterval(this.ringTimer);
      this.ringTimer = null;
    }
  }

  beep(frequency, seconds) {
    try {
      this.audio = this.audio || new AudioContext();
      const oscillator = this.audio.createOscillator();
      const gain = this.audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, this.audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, this.audio.currentTime + seconds);
      oscillator.connect(gain).connect(this.audio.destination);
      oscillator.start();
      oscillator.stop(this.audio.currentTime + seconds);
    } catch {
      // No audio device: the toast is enough.
    }
  }
}
