// Public statements (press and leader): seen by both teams and treated as media-visible; and the
// other side's public moves — their public actions and statements — as our team sees them.

import { append, h } from '../dom.js';
import { attachCounter } from '../counter.js';
import { openDialog } from '../dialog.js';
import { icon } from '../icons.js';
import { ChannelComposer } from './channel-composer.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { bandName, formatWeight } from '../scenario.js';
import { formatScenario, formatWall } from '../time.js';

export class StatementPanel {
  constructor({ session, model, channelId }) {
    this.session = session;
    this.model = model;
    this.text = h('textarea', { rows: 3, maxlength: 4000 });
    this.composer = new ChannelComposer({
      model,
      channelId,
      symbol: 'megaphone',
      submitText: t('statements.publish'),
      help: t('statements.help'),
      fields: [[t('statements.text'), this.text]],
      className: 'statements',
      listClass: 'statement-list',
      listLabel: t('statements.ours'),
      emptyText: t('statements.empty'),
      onSubmit: () => this.publish(),
    });
    this.element = this.composer.element;
    this.status = this.composer.status;
    this.submit = this.composer.submit;
    attachCounter(this.text);
  }

  sync() {
    this.composer.sync();
  }

  /** A statement cannot be taken back: show it as the world will read it and ask before publishing. */
  publish() {
    const text = this.text.value.trim();
    if (!text) {
      this.status.textContent = t('statements.need_text');
      this.status.classList.remove('done');
      this.status.classList.add('error');
      this.text.focus();
      return;
    }
    openDialog({
      title: t('statements.confirm_title'),
      body: [
        h('p', { text: t('statements.confirm_help') }),
        h('blockquote', { class: 'statement-preview', text }),
      ],
      confirmLabel: t('statements.publish'),
      onConfirm: async () => {
        this.status.classList.remove('error');
        await this.session.send({ type: 'publish_statement', text });
        this.text.value = '';
        this.text.dispatchEvent(new Event('input'));
        this.status.textContent = t('statements.published');
        this.status.classList.add('done');
        this.sync(); // the status may have changed while this was being sent
      },
    });
  }

  add(event) {
    this.composer.prepend(
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
    // dom.js's append, not Element.append: an absent detail (null) must add nothing, not the word "null".
    if (event.type === 'action_taken') {
      append(
        item,
        [
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
        ],
      );
    } else {
      append(
        item,
        [
        h(
          'div',
          { class: 'item-head' },
          icon('megaphone'),
          h('h4', { class: 'item-title', text: t('public.statement') }),
        ),
        meta,
        h('p', { class: 'item-text', text: p.text }),
        ],
      );
    }
    this.empty.hidden = true;
    this.list.prepend(item);
  }
}
