// The channels between the teams — hotline, mil-mil link, cables, public statements — with their
// state in words (IDLE, RINGING, CONNECTED, SUSPENDED, OPEN) and Suspend / Restore.

import { h, fill, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { openDialog } from '../dialog.js';
import { runWithStatus } from '../feedback.js';

const KINDS = ['call', 'cable', 'statement'];
const STATE_ICON = { idle: 'phone', ringing: 'phone', connected: 'signal', suspended: 'lock', open: 'check' };

export class ChannelsPanel {
  constructor({ session, model }) {
    this.session = session;
    this.model = model;
    this.rows = model.scenario.channels
      .filter((channel) => KINDS.includes(channel.kind))
      .map((channel) => this.row(channel));
    this.element = h(
      'div',
      { class: 'channels' },
      h('p', { class: 'help', text: t('channels.help') }),
      h(
        'ul',
        { class: 'channel-list' },
        this.rows.map((row) => row.item),
      ),
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  row(channel) {
    const badge = h('span', { class: 'state-badge' });
    const detail = h('span', { class: 'muted channel-detail' });
    const feedback = h('span', { class: 'form-status small', role: 'status' });
    const suspend = h('button', { type: 'button', class: 'button small danger-outline', text: t('channels.suspend') });
    suspend.setAttribute('aria-label', t('channels.suspend_label', { channel: channel.name }));
    suspend.addEventListener('click', () => this.askSuspend(channel));
    const restore = h('button', { type: 'button', class: 'button small secondary', text: t('channels.restore') });
    restore.setAttribute('aria-label', t('channels.restore_label', { channel: channel.name }));
    restore.addEventListener('click', () =>
      runWithStatus(() => this.session.send({ type: 'restore_channel', channel: channel.id }), feedback, {
        busyElement: restore,
      }),
    );
    const item = h(
      'li',
      { class: 'channel-row', dataset: { channel: channel.id } },
      h('span', { class: 'channel-name strong', text: channel.name }),
      badge,
      detail,
      h('div', { class: 'cell-actions channel-actions' }, suspend, restore),
      feedback,
    );
    return { channel, item, badge, detail, suspend, restore };
  }

  sync() {
    const model = this.model;
    const open = ['lobby', 'running', 'paused'].includes(model.status);
    for (const row of this.rows) {
      const state = model.channelStatus(row.channel.id);
      row.item.dataset.state = state;
      row.badge.dataset.state = state;
      fill(row.badge, icon(STATE_ICON[state] || 'dot'), h('span', { text: t(`channel_state.${state}`) }));
      const call = model.activeCall(row.channel.id);
      let detail = '';
      if (state === 'suspended') detail = model.channels[row.channel.id]?.reason || '';
      else if (call) {
        detail = t(`channels.call_${call.status}`, {
          from: model.scenario.teamName(call.from_team),
          to: model.scenario.teamName(call.to_team),
        });
      }
      row.detail.textContent = detail;
      row.suspend.hidden = state === 'suspended';
      row.restore.hidden = state !== 'suspended';
      row.suspend.disabled = !open;
      row.restore.disabled = !open;
    }
  }

  askSuspend(channel) {
    const reason = h('input', { type: 'text', maxlength: 300 });
    openDialog({
      title: t('channels.suspend_title', { channel: channel.name }),
      body: [
        h('p', { text: t('channels.suspend_help') }),
        field(t('channels.reason'), reason, t('channels.reason_help')).wrapper,
      ],
      confirmLabel: t('channels.suspend'),
      tone: 'danger',
      onConfirm: () => this.session.send({ type: 'suspend_channel', channel: channel.id, reason: reason.value.trim() }),
    });
  }
}
