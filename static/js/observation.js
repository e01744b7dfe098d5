// The observation composer for facilitators and observers: a note, the events it is about (linked by
// clicking timeline items), an optional objective and a P/S/M/U rating; and the notes recorded so far.

import { h, field, options, fill } from './dom.js';
import { icon } from './icons.js';
import { t } from './i18n.js';
import { runWithStatus } from './feedback.js';
import { formatScenario } from './time.js';

const RATINGS = ['P', 'S', 'M', 'U'];

export class ObservationComposer {
  constructor({ session, scenario, onLinksChanged = () => {} }) {
    this.session = session;
    this.scenario = scenario;
    this.onLinksChanged = onLinksChanged;
    this.linked = new Map(); // seq → summary

    this.text = h('textarea', { rows: 3, maxlength: 4000, required: true });
    this.objective = options(h('select'), [
      ['', t('observation.no_objective')],
      ...scenario.objectives.map((objective) => [objective.id, objective.title]),
    ]);
    this.rating = options(h('select'), [
      ['', t('observation.no_rating')],
      ...RATINGS.map((r) => [r, t(`rating.${r}`)]),
    ]);
    this.links = h('ul', { class: 'chips', 'aria-label': t('observation.linked') });
    this.linksHelp = h('p', { class: 'help', text: t('observation.link_help') });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.submit = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('send'),
      h('span', { text: t('observation.submit') }),
    );
    this.recorded = h('ol', { class: 'observations', 'aria-label': t('observation.recorded') });
    this.noneYet = h('p', { class: 'empty', text: t('observation.none') });

    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      field(t('observation.text'), this.text).wrapper,
      h(
        'div',
        { class: 'field' },
        h('span', { class: 'label', text: t('observation.linked') }),
        this.linksHelp,
        this.links,
      ),
      h(
        'div',
        { class: 'row' },
        field(t('observation.objective'), this.objective).wrapper,
        field(t('observation.rating'), this.rating, t('observation.rating_help')).wrapper,
      ),
      h('div', { class: 'form-actions' }, this.submit, this.status),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      this.send();
    });
    this.element = h(
      'div',
      { class: 'observation-composer' },
      form,
      h('h3', { class: 'subhead', text: t('observation.recorded') }),
      this.noneYet,
      this.recorded,
    );
    this.renderLinks();
  }

  toggleLink(seq, summary) {
    if (this.linked.has(seq)) this.linked.delete(seq);
    else this.linked.set(seq, summary);
    this.renderLinks();
  }

  renderLinks() {
    const chips = [...this.linked.entries()]
      .sort(([a], [b]) => a - b)
      .map(([seq, summary]) => {
        const remove = h(
          'button',
          {
            type: 'button',
            class: 'chip-remove',
            'aria-label': t('observation.unlink', { seq }),
          },
          icon('x'),
        );
        remove.addEventListener('click', () => this.toggleLink(seq, summary));
        return h('li', { class: 'chip', title: summary }, h('span', { text: `#${seq} ${summary}` }), remove);
      });
    fill(this.links, chips);
    this.linksHelp.hidden = chips.length > 0;
    this.onLinksChanged(new Set(this.linked.keys()));
  }

  async send() {
    const text = this.text.value.trim();
    if (!text) {
      this.status.textContent = t('observation.need_text');
      this.status.classList.add('error');
      this.text.focus();
      return;
    }
    const command = { type: 'add_observation', text, linked_seqs: [...this.linked.keys()] };
    if (this.objective.value) command.objective_id = this.objective.value;
    if (this.rating.value) command.rating = this.rating.value;
    const ok = await runWithStatus(() => this.session.send(command), this.status, {
      busyElement: this.submit,
      doneText: t('observation.saved'),
    });
    if (ok) {
      this.text.value = '';
      this.rating.value = '';
      this.linked.clear();
      this.renderLinks();
    }
  }

  /** Show a recorded observation (observation_added event). */
  addRecorded(event) {
    const p = event.payload;
    const meta = [formatScenario(event.scenario_time), p.author];
    if (p.objective_id)
      meta.push(this.scenario.objectives.find((o) => o.id === p.objective_id)?.title || p.objective_id);
    const item = h(
      'li',
      { class: 'observation', dataset: { seq: String(event.seq) } },
      h('p', { class: 'meta', text: meta.join(' · ') }),
      p.rating ? h('span', { class: `rating rating-${p.rating}`, text: t(`rating.${p.rating}`) }) : null,
      h('p', { text: p.text }),
      p.linked_seqs?.length
        ? h('p', { class: 'help', text: t('observation.about', { seqs: p.linked_seqs.map((s) => `#${s}`).join(' ') }) })
        : null,
    );
    this.noneYet.hidden = true;
    this.recorded.prepend(item);
  }
}
