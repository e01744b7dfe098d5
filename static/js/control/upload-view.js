// How the upload panel shows a checked file: each problem located by line (a scenario file) or by row
// and column (an MSEL spreadsheet), the scenario file itself with the offending lines marked and their
// messages beneath them, and the summary of a valid scenario. Everything from the file and the server
// goes in as text.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { formatDuration } from '../time.js';

const has = (value) => value !== null && value !== undefined && value !== '';

/** "Line 12", "Row 3, column “Scenario time”", or "The whole file". */
export function problemPlace(problem) {
  if (has(problem.row)) {
    return has(problem.column)
      ? t('upload.at_cell', { row: problem.row, column: problem.column })
      : t('upload.at_row', { row: problem.row });
  }
  if (has(problem.line)) return t('upload.at_line', { line: problem.line });
  if (has(problem.column)) return t('upload.at_column', { column: problem.column });
  return t('upload.at_file');
}

/** The problems, one per item; a problem with a line shows it in the file view when clicked. */
export function problemList(problems, onShowLine = null) {
  return h(
    'ol',
    { class: 'problem-list' },
    problems.map((problem) => {
      const place = problemPlace(problem);
      const where =
        has(problem.line) && onShowLine
          ? h('button', {
              type: 'button',
              class: 'problem-place link-button',
              text: place,
              title: t('upload.show_line', { line: problem.line }),
              onclick: () => onShowLine(problem.line),
            })
          : h('span', { class: 'problem-place', text: place });
      return h(
        'li',
        { class: 'problem', dataset: { line: String(problem.line ?? ''), row: String(problem.row ?? '') } },
        where,
        problem.path ? h('code', { class: 'problem-path', text: problem.path }) : null,
        h('span', { class: 'problem-message', text: problem.message }),
      );
    }),
  );
}

/** The scenario file, line by line and numbered, the lines with problems marked and explained. */
export function sourceView(text, problems) {
  const notes = new Map();
  for (const problem of problems) {
    if (!has(problem.line)) continue;
    if (!notes.has(problem.line)) notes.set(problem.line, []);
    notes.get(problem.line).push(problem.message);
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  // A problem found at the very end (an unclosed bracket) may name the line after the last one.
  while (lines.length < Math.max(0, ...notes.keys())) lines.push('');
  const items = lines.map((line, index) => {
    const number = index + 1;
    const found = notes.get(number);
    return h(
      'li',
      { class: `source-line${found ? ' marked' : ''}`, dataset: { line: String(number) } },
      h('span', { class: 'line-no', text: String(number) }),
      found
        ? h('span', { class: 'line-mark' }, icon('alert'), h('span', { class: 'sr-only', text: t('upload.marked') }))
        : null,
      h('code', { class: 'line-text', text: line || ' ' }),
      found ? found.map((message) => h('p', { class: 'line-note', text: message })) : null,
    );
  });
  return h('ol', { class: 'source-view', tabindex: '0', 'aria-label': t('upload.source_label') }, items);
}

/** Scroll the file view so that `line` is in sight, and mark it as the one just asked for. */
export function showLine(view, line) {
  const item = view.querySelector(`[data-line="${Number(line)}"]`);
  if (!item) return;
  view.querySelector('.source-line.current')?.classList.remove('current');
  item.classList.add('current');
  view.scrollTop = Math.max(0, item.offsetTop - view.clientHeight / 3);
  item.scrollIntoView({ block: 'nearest' }); // and the box itself into the window
  view.focus({ preventScroll: true });
}

/** What a valid file would add to the library. */
export function summaryCard(summary) {
  const teams = summary.teams.map((team) => team.name).join(t('home.versus'));
  return h(
    'div',
    { class: 'upload-summary', dataset: { scenario: summary.id } },
    h('p', { class: 'scenario-title', text: summary.title }),
    h('p', { class: 'scenario-teams', text: teams }),
    h('p', { class: 'scenario-summary', text: summary.summary }),
    h('p', {
      class: 'scenario-facts',
      text: t('home.scenario_facts', {
        roles: summary.roles,
        injects: summary.injects,
        end: summary.end_label,
        duration: formatDuration(summary.planned_minutes * 60),
      }),
    }),
    h('p', {
      class: 'scenario-facts',
      text: t('upload.identity', { id: summary.id, file: summary.file, languages: summary.languages.join(', ') }),
    }),
  );
}
