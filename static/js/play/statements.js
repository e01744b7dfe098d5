// Public statements (press and leader): seen by both teams and treated as media-visible; and the
// other side's public moves — their public actions and statements — as our team sees them.

import { h, field } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { bandName, formatWeight } from '../scenario.js';
import { formatScenario, formatWall } from '../time.js';

export class StatementPanel {
  constructor({ session, model, channelId }) {
    this.session = session;
    this.model = model;
    this.channelId = channelId;
    this.text = h('textarea', { rows: 3, maxlength: 4000 });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.submit = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('megaphone'),
      h('span', { text: t('statements.publish') }),
    );
    this.state = h('p', { class: 'state-hint help', hidden: true });
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { class: 'help', text: t('statements.help') }),
      this.state,
      field(t('statements.text'), this.text).wrapper,
      h('div', { class: 'form-actions' }, this.submit, this.status),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.publish();
    });
    this.list = h('ol', { class: 'statement-list', 'aria-label': t('statements.ours') });
    this.empty = h('p', { class: 'empty', text: t('statements.empty') });
    this.element = h(
      'div',
      { class: 'statements' },
      form,
      h('h3', { class: 'subhead', text: t('statements.ours') }),
      this.empty,
      this.list,
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  sync() {
    const channel = this.model.channels[this.channelId];
    const running = this.model.status === 'running';
    // A suspended channel stays usable on purpose: the attempt is refused by the server and logged.
    this.submit.disabled = !running;
    this.state.hidden = running && !channel?.suspended;
    if (!running) this.state.textContent = t(`actions.closed.${this.model.status}`);
    else if (channel?.suspended) this.state.textContent = t('channel.suspended_note', { reason: channel.reason || '' });
  }

  async publish() {
    const text = this.text.value.trim();
    if (!text) {
      this.text.focus();
      return;
    }
    const ok = await runWithStatus(() => this.session.send({ type: 'publish_statement', text }), this.status, {
      busyElement: this.submit,
      doneText: t('statements.published'),
    });
    this.sync(); // the status may have changed while this was being sent
    if (ok) this.text.value = '';
  }

  add(event) {
    this.empty.hidden = true;
    this.list.prepend(
      h(
        'li',
        { class: 'statement', dataset: { seq: String(event.seq) } },
        h(
          'p',
          { class: 'item-meta' },
          h('span', { class: 'author', text: this.model.scenario.actorName(event.actor) }),
          h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
          h('span', { class: 'wall-time', text: formatWall(event.wall_time, { withSeconds: false }) }),
        ),
        h('p', { class: 'item-text', text: event.payload.text }),
      ),
    );
  }
}

export class PublicMoves {
  constructor({ model }) {
    this.model = model;
    this.list = h('ol', { class: 'public-moves', 'aria-label': t('public.title') });
    this.empty = h('p', { class: 'empty', text: t('public.empty') });
    this.element = h(
      'div',
      { class: 'public' },
      h('p', { class: 'help', text: t('public.help') }),
      this.empty,
      this.list,
    );
  }

  /** Is this a public move of the other side? */
  accepts(event) {
    const theirs = event.actor?.team && event.actor.team !== this.model.you.team;
    return (
      theirs &&
      (event.type === 'statement_published' || (event.type === 'action_taken' && event.payload.visibility === 'public'))
    );
  }

  add(event) {
    const p = event.payload;
    const scenario = this.model.scenario;
    const item = h('li', { class: `public-move ${event.type}`, dataset: { seq: String(event.seq) } });
    const meta = h(
      'p',
      { class: 'item-meta' },
      h('span', { class: 'author', text: scenario.actorName(event.actor) }),
      h('span', { class: 'scenario-time', text: formatScenario(event.scenario_time) }),
      h('span', { class: 'wall-time', text: formatWall(event.wall_time, { withSeconds: false }) }),
    );
    if (event.type === 'action_taken') {
      item.append(
        h(
          'div',
          { class: 'item-head' },
          h('span', { class: `band band-${p.band}`, text: t('band.short', { band: p.band }) }),
          h('h4', { class: 'item-title', text: scenario.actionLabel(p.action_id, p.label) }),
        ),
        meta,
        h('p', {
          class: 'help',
          text: t('public.action_facts', { band_name: bandName(p.band), weight: formatWeight(p.weight) }),
        }),
        p.text ? h('p', { class: 'item-text', text: p.text }) : null,
      );
    } else {
      item.append(
        h(
          'div',
          { class: 'item-head' },
          icon('megaphone'),
          h('h4', { class: 'item-title', text: t('public.statement') }),
        ),
        meta,
        h('p', { class: 'item-text', text: p.text }),
      );
    }
    this.empty.hidden = true;
    this.list.prepend(item);
  }
}
