// Building the report page's DOM. Text always goes in through textContent or text nodes, so nothing
// from the exercise log can become markup.

import { t } from '../js/i18n.js';

/** Create an element: `attrs` keys `class`, `text`, `dataset`, `on<event>`; anything else is an attribute. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, val] of Object.entries(attrs)) {
    if (val === undefined || val === null || val === false) continue;
    if (key === 'class') element.className = val;
    else if (key === 'text') element.textContent = String(val);
    else if (key === 'dataset') Object.assign(element.dataset, val);
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), val);
    else if (val === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(val));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

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
