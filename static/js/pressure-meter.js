// A team's domestic pressure (0–100) as a meter: the team sees its own, the control cell both. It follows
// the model, which takes the value from the snapshot and every pressure_changed event.

import { h } from './dom.js';
import { t } from './i18n.js';

export function pressureLevel(value) {
  if (value >= 70) return 'high';
  if (value >= 40) return 'rising';
  return 'low';
}

export class PressureMeter {
  constructor({ model, team }) {
    this.model = model;
    this.team = team;
    this.bar = h('span', { class: 'pressure-fill' });
    this.value = h('span', { class: 'pressure-value' });
    this.gauge = h(
      'span',
      { class: 'pressure-gauge', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100' },
      this.bar,
    );
    this.element = h(
      'div',
      { class: 'pressure-meter', dataset: { team } },
      h('span', { class: 'pressure-label', text: t('pressure.label', { team: model.scenario.teamName(team) }) }),
      this.gauge,
      this.value,
    );
    this.gauge.setAttribute('aria-label', t('pressure.label', { team: model.scenario.teamName(team) }));
    model.subscribe(() => this.sync());
    this.sync();
  }

  sync() {
    const value = this.model.pressure?.[this.team];
    this.element.hidden = value === undefined;
    if (value === undefined) return;
    const rounded = Math.round(value);
    const level = pressureLevel(value);
    this.gauge.setAttribute('aria-valuenow', String(rounded));
    this.gauge.setAttribute('aria-valuetext', `${rounded} — ${t(`pressure.${level}`)}`);
    this.bar.style.width = `${Math.max(0, Math.min(100, value))}%`;
    this.element.dataset.level = level;
    this.value.textContent = `${rounded} · ${t(`pressure.${level}`)}`;
  }
}

/** Meters for the teams a console may see, or null when the scenario has no media world. */
export function pressureMeters(model, teams) {
  if (!model.scenario.data.media) return null;
  return h('div', { class: 'pressure-meters' }, teams.map((team) => new PressureMeter({ model, team }).element));
}
