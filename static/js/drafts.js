// What a person has typed or chosen in a view, kept across a re-render: a language switch builds a
// console again from its events, and nothing the user was in the middle of may be lost. The view is
// rebuilt with the same structure, so each control is found again by its path (child indexes from the
// view's root) and is only restored when it is still the same kind of control there.

const FIELDS = 'input, textarea, select, details';
const SKIPPED_TYPES = new Set(['hidden', 'file', 'button', 'submit', 'reset', 'image']);

function pathOf(root, element) {
  const steps = [];
  for (let node = element; node && node !== root; node = node.parentElement) {
    steps.push(Array.prototype.indexOf.call(node.parentElement.children, node));
  }
  return steps.reverse().join('/');
}

function at(root, path) {
  let node = root;
  for (const step of path ? path.split('/') : []) {
    node = node?.children[Number(step)];
  }
  return node || null;
}

function kindOf(element) {
  return `${element.tagName}:${element.type || ''}`;
}

function keeps(element) {
  if (element.tagName === 'DETAILS') return true;
  return !SKIPPED_TYPES.has(element.type) && !element.readOnly;
}

/** Remember the values, open <details>, selected tabs, scroll positions and focus under `root`. */
export function captureDrafts(root) {
  if (!root) return null;
  const fields = [];
  for (const element of root.querySelectorAll(FIELDS)) {
    if (!keeps(element)) continue;
    const entry = { path: pathOf(root, element), kind: kindOf(element) };
    if (element.tagName === 'DETAILS') entry.open = element.open;
    else if (element.type === 'checkbox' || element.type === 'radio') entry.checked = element.checked;
    else entry.value = element.value;
    fields.push(entry);
  }
  const tabs = [...root.querySelectorAll('[role="tab"][aria-selected="true"]')].map((tab) => pathOf(root, tab));
  const scrolled = [root, ...root.querySelectorAll('*')]
    .filter((element) => element.scrollTop > 0)
    .map((element) => ({ path: pathOf(root, element), top: element.scrollTop }));
  const active = document.activeElement;
  const focus = active && active !== root && root.contains(active) ? pathOf(root, active) : null;
  const selection =
    focus !== null && typeof active.selectionStart === 'number'
      ? [active.selectionStart, active.selectionEnd]
      : null;
  return { fields, tabs, scrolled, focus, selection };
}

/** Tell the view's own listeners, as typing or choosing would (some listen for input, some for change). */
function changed(element) {
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * Put back what `captureDrafts` remembered into the rebuilt view under `root` (in document order, so a
 * choice that resets later fields — a scenario that sets its own compression — comes before them).
 */
export function restoreDrafts(root, drafts) {
  if (!root || !drafts) return;
  for (const path of drafts.tabs) {
    const tab = at(root, path);
    if (tab?.getAttribute('role') === 'tab' && tab.getAttribute('aria-selected') !== 'true') tab.click();
  }
  for (const entry of drafts.fields) {
    const element = at(root, entry.path);
    if (!element || kindOf(element) !== entry.kind) continue;
    if ('open' in entry) {
      element.open = entry.open;
    } else if ('checked' in entry) {
      // A radio is unchecked by checking another of its group, which comes in its own entry.
      if (element.checked === entry.checked || (element.type === 'radio' && !entry.checked)) continue;
      element.checked = entry.checked;
      changed(element);
    } else if (element.value !== entry.value) {
      element.value = entry.value;
      changed(element);
    }
  }
  for (const { path, top } of drafts.scrolled) {
    const element = at(root, path);
    if (element) element.scrollTop = top;
  }
  const focused = drafts.focus !== null ? at(root, drafts.focus) : null;
  if (focused && typeof focused.focus === 'function') {
    focused.focus({ preventScroll: true });
    if (drafts.selection && typeof focused.setSelectionRange === 'function') {
      try {
        focused.setSelectionRange(...drafts.selection);
      } catch {
        // Not a text field after all: the focus is enough.
      }
    }
  }
}
