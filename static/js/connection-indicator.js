// The connection state in the header, in words and an icon: CONNECTED, CONNECTING, RECONNECTING (with
// a countdown and "Reconnect now") or DISCONNECTED when the server refused the seat for good.

import { h, fill } from './dom.js';
import { icon } from './icons.js';
import { t, onLanguageChange } from './i18n.js';

export class ConnectionIndicator {
  constructor(session) {
    this.session = session;
    this.label = h('span', { class: 'connection-label' });
    this.retry = h('button', { type: 'button', class: 'button small secondary', hidden: true });
    this.retry.addEventListener('click', () => session.reconnectNow());
    this.element = h('div', { class: 'connection', role: 'status', 'aria-live': 'polite' }, this.label, this.retry);
    session.on('state', () => this.render());
    session.on('tick', () => {
      if (session.state === 'reconnecting') this.render();
    });
    onLanguageChange(() => this.render());
    this.render();
  }

  render() {
    const { state } = this.session;
    this.element.dataset.state = state;
    let text;
    let symbol;
    if (state === 'open') {
      text = t('connection.open');
      symbol = 'signal';
    } else if (state === 'failed') {
      text = t('connection.failed');
      symbol = 'off';
    } else if (state === 'reconnecting' && this.session.nextRetryAt) {
      const seconds = Math.max(0, Math.ceil((this.session.nextRetryAt - Date.now()) / 1000));
      text = t('connection.retrying', { seconds });
      symbol = 'off';
    } else {
      text = t('connection.connecting');
      symbol = 'clock';
    }
    fill(this.label, icon(symbol), h('span', { text }));
    this.retry.textContent = t('connection.retry_now');
    this.retry.hidden = !(state === 'reconnecting' && this.session.nextRetryAt);
  }
}
