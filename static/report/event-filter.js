// Filters the events table by kind, team and words, on rows the page or the server rendered.
// Import-free: the self-contained export inlines this file.

/**
 * Wire `form` (fields category, team, text, count) to the rows of `table`; returns {refresh, reveal}.
 * `countText(shown, total)` words the count (the page passes its translated sentence).
 */
export function wireEventFilter(form, table, { countText = (shown, total) => `${shown} of ${total} events shown` } = {}) {
  let rows = [];
  let texts = [];
  const index = () => {
    rows = Array.from(table.tBodies[0].rows);
    texts = rows.map((row) => row.textContent.toLowerCase());
  };
  const apply = () => {
    const category = form.elements.category.value;
    // Seat administration (links issued, joins, read receipts) is noise in a review: hidden unless asked for.
    const admin = form.elements.admin?.checked || category === 'admin';
    const team = form.elements.team.value;
    const words = form.elements.text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((row, at) => {
      const visible =
        (!category || row.dataset.category === category) &&
        (admin || row.dataset.category !== 'admin') &&
        (!team || row.dataset.team === team) &&
        words.every((word) => texts[at].includes(word));
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    form.elements.count.value = countText(shown, rows.length);
  };
  form.addEventListener('input', apply);
  form.addEventListener('submit', (submitted) => submitted.preventDefault());
  form.hidden = false;
  index();
  apply();
  return {
    /** Re-read the rows after the table was re-rendered, keeping the chosen filters. */
    refresh() {
      index();
      apply();
    },
    /** Make sure `row` is visible, clearing the filters if they hide it. */
    reveal(row) {
      if (!row.hidden) return;
      form.reset();
      apply();
    },
  };
}
