// A metric's name and theme in the language shown now. Cards come from the server in English; the ten
// metrics are fixed (docs/scoring.md), so the dictionaries name each one, and a metric they do not know
// keeps the server's words.

import { has, t } from './i18n.js';

export function metricName(id, fallback) {
  return has(`metric.${id}`) ? t(`metric.${id}`) : fallback;
}

export function metricTheme(id, fallback) {
  return has(`metric.${id}.theme`) ? t(`metric.${id}.theme`) : fallback;
}
