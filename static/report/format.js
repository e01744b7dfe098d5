// How the report page writes times, durations and scores: the same as app/reports/formatting.py
// (in the language the page shows).

import { t } from '../js/i18n.js';

/** Scenario seconds as T+HH:MM (hours go past 24 so times sort as text). */
export function clock(seconds) {
  const whole = Math.floor(Math.max(0, seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  return `T+${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** An ISO wall time as 'YYYY-MM-DD HH:MM:SS UTC'. */
export function wall(iso) {
  if (!iso) return '—';
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function wallShort(iso) {
  return new Date(iso).toISOString().slice(11, 19);
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const total = Math.round(seconds / 60);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours && minutes) return t('time.duration_hm', { hours, minutes: String(minutes).padStart(2, '0') });
  return hours ? t('time.duration_h', { hours }) : t('time.duration_m', { minutes });
}

/** A metric or score: N/A for a metric whose trigger never happened. */
export function value(number) {
  return number === null || number === undefined ? t('scores.na') : String(Math.round(number));
}

/** Compression like Python's '%g'. */
export function times(compression) {
  return `${Number(compression.toPrecision(6))}×`;
}

const INDICATORS = new Set([
  'richardson_reactivity',
  'restraint',
  'public_threat_share',
  'escalations',
  'cooperative_moves',
  'messages',
  'peak_band',
]);
const SHARES = new Set(['restraint', 'public_threat_share']);

export function indicatorName(key) {
  if (INDICATORS.has(key)) return t(`report.indicator.${key}`);
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function indicatorValue(key, number) {
  if (number === null || number === undefined) return '—';
  if (SHARES.has(key) && typeof number === 'number') return `${Math.round(number * 100)}%`;
  if (typeof number === 'object') return JSON.stringify(number);
  return String(number);
}
