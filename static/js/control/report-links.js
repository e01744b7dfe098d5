// Links from the control console to an exercise's after-action report (/report/<id>) and to the
// comparison of the runs of its scenario (/report/compare?scenario=<id>). Both open in a new tab that
// is already signed in: rel="opener" has the browser copy this tab's sessionStorage, where the
// facilitator secret is kept, into the tab it opens (a plain target=_blank would start it empty).

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';

function newTabLink(href, text, label, className) {
  return h(
    'a',
    { href, target: '_blank', rel: 'opener', class: `button small secondary ${className}`, 'aria-label': label },
    h('span', { text }),
    icon('link'),
  );
}

/** The report of one exercise. */
export function reportLink(exerciseId, title) {
  return newTabLink(
    `/report/${encodeURIComponent(exerciseId)}`,
    t('reports.report'),
    t('reports.report_label', { title }),
    'report-link',
  );
}

/** Every run of a scenario side by side (worth a link once it has run twice). */
export function compareLink(scenarioId, runs) {
  return newTabLink(
    `/report/compare?scenario=${encodeURIComponent(scenarioId)}`,
    t('reports.compare'),
    t('reports.compare_label', { runs }),
    'compare-link',
  );
}

/** The report link, and the comparison link when the scenario has two runs or more. */
export function reportLinks(exerciseId, scenarioId, title, runs = 1) {
  return [reportLink(exerciseId, title), runs > 1 ? compareLink(scenarioId, runs) : null];
}
