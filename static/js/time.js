// Scenario time (seconds since STARTEX, shown T+HH:MM) and wall time, and the local scenario clock.

import { t, currentLanguage } from './i18n.js';

function pad(value) {
  return String(value).padStart(2, '0');
}

/** 3725 → "T+01:02" (or "T+01:02:05" with seconds); hours run past 24 so times sort as text. */
export function formatScenario(seconds, { withSeconds = false, prefix = 'T+' } = {}) {
  const total = Math.max(0, Math.floor(seconds || 0));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const body = `${pad(hours)}:${pad(minutes)}` + (withSeconds ? `:${pad(total % 60)}` : '');
  return `${prefix}${body}`;
}

/** A duration in scenario time, e.g. 5400 → "1 h 30 min". */
export function formatDuration(seconds) {
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  if (hours && minutes % 60) return t('time.duration_hm', { hours, minutes: minutes % 60 });
  if (hours) return t('time.duration_h', { hours });
  return t('time.duration_m', { minutes });
}

const CLOCK = /^\s*(?:T\s*\+\s*)?(\d{1,4}):([0-5]\d)(?::([0-5]\d))?\s*$/i;
const DHM_WHOLE = /^\s*(?:[DHMS]\s*\+?\s*\d+\s*)+$/i;
const DHM_PART = /([DHMS])\s*\+?\s*(\d+)/gi;
const UNIT = { D: 86400, H: 3600, M: 60, S: 1 };

/**
 * Read what a facilitator typed, in the notations the server accepts: "T+06:00", "06:00",
 * "D+1 H+3 M+45" or a number of minutes. Returns seconds, or null if it cannot be read.
 */
export function parseScenarioTime(text) {
  const value = String(text ?? '').trim();
  if (!value) return null;
  const clock = CLOCK.exec(value);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] || 0);
  if (DHM_WHOLE.test(value)) {
    let total = 0;
    for (const [, unit, amount] of value.matchAll(DHM_PART)) total += UNIT[unit.toUpperCase()] * Number(amount);
    return total;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 60);
  return null;
}

/** A time as the scenario JSON holds it ("T+01:30", "T+01:30:15" or seconds) → seconds. */
export function scenarioSeconds(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  return parseScenarioTime(value);
}

/** Local wall time of an ISO timestamp, e.g. "14:05:09". */
export function formatWall(iso, { withSeconds = true } = {}) {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const options = { hour: '2-digit', minute: '2-digit', hour12: false };
  if (withSeconds) options.second = '2-digit';
  return date.toLocaleTimeString(currentLanguage(), options);
}

export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short', hour12: false });
}

/**
 * The scenario clock, computed locally from the server's anchor so it ticks without traffic:
 * scenario = anchor.scenario + (now - anchor.wall) × compression while running. `skewMs` corrects
 * for a browser clock that differs from the server's (learned from heartbeats and hello).
 */
export class ScenarioClock {
  constructor() {
    this.anchor = null;
    this.skewMs = 0;
  }

  setAnchor(anchor) {
    this.anchor = anchor ? { ...anchor, wallMs: Date.parse(anchor.wall) } : null;
  }

  /** The server said its scenario time is `scenarioTime` right now: learn the clock skew from it. */
  syncScenario(scenarioTime) {
    const anchor = this.anchor;
    if (!anchor || !anchor.running || !anchor.compression) return;
    const serverWall = anchor.wallMs + ((scenarioTime - anchor.scenario) / anchor.compression) * 1000;
    this.skewMs = Date.now() - serverWall;
  }

  /** The server's wall time right now (from a heartbeat). */
  syncWall(iso) {
    const serverWall = Date.parse(iso);
    if (!Number.isNaN(serverWall)) this.skewMs = Date.now() - serverWall;
  }

  now() {
    const anchor = this.anchor;
    if (!anchor) return 0;
    if (!anchor.running) return anchor.scenario;
    const elapsed = (Date.now() - this.skewMs - anchor.wallMs) / 1000;
    return anchor.scenario + Math.max(0, elapsed) * anchor.compression;
  }
}
