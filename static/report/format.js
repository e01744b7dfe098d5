// How the report page writes times, durations and scores: the same as app/reports/formatting.py.

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
  if (hours && minutes) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  return hours ? `${hours} h` : `${minutes} min`;
}

/** A metric or score: N/A for a metric whose trigger never happened. */
export function value(number) {
  return number === null || number === undefined ? 'N/A' : String(Math.round(number));
}

/** Compression like Python's '%g'. */
export function times(compression) {
  return `${Number(compression.toPrecision(6))}×`;
}

export const INDICATOR_NAMES = {
  richardson_reactivity: 'Richardson reactivity',
  restraint: 'Restraint',
  public_threat_share: 'Share of escalations made in public',
  escalations: 'Escalations',
  cooperative_moves: 'Cooperative moves',
  messages: 'Messages sent',
  peak_band: 'Peak band',
};
const SHARES = new Set(['restraint', 'public_threat_share']);

export function indicatorName(key) {
  const known = INDICATOR_NAMES[key];
  if (known) return known;
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function indicatorValue(key, number) {
  if (number === null || number === undefined) return '—';
  if (SHARES.has(key) && typeof number === 'number') return `${Math.round(number * 100)}%`;
  if (typeof number === 'object') return JSON.stringify(number);
  return String(number);
}
