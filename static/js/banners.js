// Banners under the header for what everyone must notice at a glance: PAUSED with its reason, the
// lobby before STARTEX, an incoming call, a connection the server refused. Each says it in words.

import { h, fill } from './dom.js';
import { icon } from './icons.js';
import { t } from './i18n.js';

/** A banner element; `tone` is info, warning, alert or call. */
export function banner(tone, symbol, title, text = '', actions = []) {
  return h(
    'div',
    { class: `banner ${tone}`, role: tone === 'alert' || tone === 'call' ? 'alert' : 'status' },
    icon(symbol),
    h('p', {}, h('strong', { text: title }), text ? h('span', { text: ` ${text}` }) : null),
    actions.length ? h('div', { class: 'banner-actions' }, actions) : null,
  );
}

/** The exercise-state banner (paused, lobby) for a model; null when running or ended. */
export function statusBanner(model) {
  if (!model.loaded) return null;
  if (model.status === 'paused') {
    const banner_ = banner('warning', 'pause', t('banner.paused'), model.pauseReason || t('banner.paused_no_reason'));
    banner_.id = 'paused-banner';
    return banner_;
  }
  if (model.status === 'lobby' || model.status === 'draft')
    return banner('info', 'clock', t('banner.lobby'), t('banner.lobby_text'));
  return null;
}

/** Words for a close code after which the console cannot reconnect. */
export function fatalText(fatal) {
  const key = `connection.closed.${fatal.code}`;
  const text = t(key);
  return text === key ? fatal.reason || t('connection.closed.other') : text;
}

/** Re-render the banner area from a list of banners (nulls ignored), keeping it stable otherwise. */
export function renderBanners(area, banners) {
  fill(area, banners.filter(Boolean));
}
