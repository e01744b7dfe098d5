// Building DOM nodes. Text always goes in through textContent or text nodes, so nothing that comes
// from the server or from another player can ever become markup (docs/architecture.md, "Security").

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Create an element. `attrs` keys: `class`, `text` (textContent), `dataset`, `on<event>` (a function),
 * anything else becomes an attribute (true → present, false/null/undefined → absent).
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

export function setAttributes(element, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style') throw new Error('inline style attributes break the Content-Security-Policy');
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on')) {
      if (typeof value !== 'function') throw new Error(`${key} must be a function`);
      element.addEventListener(key.slice(2), value);
    } else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
}

/** Append children: nodes as they are, strings and numbers as text nodes, arrays flattened. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  for (const child of children) element.append(child);
  return element;
}

let idCounter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: returns the wrapper and the control. */
export function field(labelText, control, helpText) {
  if (!control.id) control.id = uid('field');
  const label = h('label', { for: control.id, text: labelText });
  const wrapper = h('div', { class: 'field' }, label, control);
  if (helpText) {
    const help = h('p', { class: 'help', id: uid('help'), text: helpText });
    control.setAttribute('aria-describedby', help.id);
    wrapper.append(help);
  }
  return { wrapper, control, label };
}

/** Options for a <select> from [value, text] pairs. */
export function options(select, pairs, selected) {
  select.replaceChildren(...pairs.map(([value, text]) => h('option', { value, text, selected: value === selected })));
  return select;
}

/** A titled panel: <section> with an <h2> and the body; `actions` go in the header on the right. */
export function panel({ title, body = [], id = null, className = '', actions = [], symbol = null }) {
  const headingId = uid('panel-title');
  const heading = h('h2', { id: headingId }, symbol, h('span', { text: title }));
  return h(
    'section',
    { class: `panel ${className}`.trim(), id, 'aria-labelledby': headingId },
    h(
      'header',
      { class: 'panel-head' },
      heading,
      actions.length ? h('div', { class: 'panel-actions' }, actions) : null,
    ),
    h('div', { class: 'panel-body' }, body),
  );
}
