// Building the report page's DOM. Text always goes in through textContent or text nodes, so nothing
// from the exercise log can become markup.

import { t } from '../js/i18n.js';
import { h } from '../js/dom.js';

export { append, fill, h } from '../js/dom.js';

/** Links to the events behind a statement; they jump to the event in the timeline's table. */
export function cites(seqs) {
  if (!seqs || !seqs.length) return null;
  return h(
    'span',
    { class: 'cites' },
    seqs.map((seq) => h('a', { class: 'cite', href: `#event-${seq}`, text: `#${seq}` })),
  );
}

/** A P/S/M/U rating as its letter, named in full in its tooltip. */
export function rating(letter) {
  return h('span', {
    class: `rating rating-${letter || 'none'}`,
    title: t(letter && 'PSMU'.includes(letter) ? `report.rating.${letter}` : 'report.rating.none'),
    text: letter || '—',
  });
}

/** A list of findings with their citations; `extra(item)` may add a control to each item. */
export function findings(items, empty, extra = () => null) {
  if (!items.length) return h('p', { class: 'empty', text: empty });
  return h(
    'ul',
    { class: 'findings' },
    items.map((item) => h('li', {}, item.text, ' ', cites(item.evidence), extra(item))),
  );
}

export function table(className, heads, rows) {
  return h(
    'table',
    { class: className },
    h('thead', {}, h('tr', {}, heads.map((head) => h('th', { scope: 'col', text: head })))),
    h('tbody', {}, rows),
  );
}

export function section(id, title, { pageBreak = false } = {}) {
  const body = h('div', { class: 'section-body' });
  const element = h(
    'section',
    { id, class: `report-section${pageBreak ? ' page-break' : ''}`, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: title }),
    body,
  );
  return { element, body };
}
