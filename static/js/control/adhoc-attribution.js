// The part of the ad-hoc composer that says whose act an improvised inject reports ("the other side
// rammed our ship"): scored as that side's move, exactly as a scenario inject's attribution is. Players
// never see it.

import { h, field, options } from '../dom.js';
import { t } from '../i18n.js';
import { attributionText } from '../describe.js';
import { bandName } from '../scenario.js';
import { formatScenario, parseScenarioTime } from '../time.js';

const BANDS = [0, 1, 2, 3, 4, 5, 6];

export class AttributionFields {
  constructor({ scenario }) {
    this.scenario = scenario;
    this.side = options(h('select', { name: 'attribution-side' }), [
      ['', t('adhoc.attribution_none')],
      ...scenario.teams.map((team) => [team.id, t('adhoc.attribution_side', { team: team.name })]),
    ]);
    this.band = options(
      h('select', { name: 'attribution-band' }),
      BANDS.map((band) => [String(band), `${band} — ${bandName(band)}`]),
      '2',
    );
    this.weight = h('input', { type: 'number', name: 'attribution-weight', min: -10, max: 10, step: 0.1, value: -6 });
    this.duration = h('input', { type: 'text', name: 'attribution-duration', placeholder: '06:00', autocomplete: 'off' });
    this.liftedBy = h('select', { name: 'attribution-lifted-by' });
    this.details = h(
      'div',
      { class: 'attribution-details', hidden: true },
      h(
        'div',
        { class: 'row' },
        field(t('adhoc.attribution_band'), this.band).wrapper,
        field(t('adhoc.attribution_weight'), this.weight, t('adhoc.attribution_weight_help')).wrapper,
      ),
      h(
        'div',
        { class: 'row' },
        field(t('adhoc.attribution_duration'), this.duration, t('adhoc.attribution_duration_help')).wrapper,
        field(t('adhoc.attribution_lifted_by'), this.liftedBy).wrapper,
      ),
    );
    this.summary = h('p', { class: 'help attribution-summary', 'aria-live': 'polite' });
    this.element = h(
      'fieldset',
      { class: 'plain attribution' },
      h('legend', { text: t('adhoc.attribution') }),
      h('p', { class: 'help', text: t('adhoc.attribution_help') }),
      field(t('adhoc.attribution_whose'), this.side).wrapper,
      this.details,
      this.summary,
    );
    this.side.addEventListener('change', () => this.sideChanged());
    for (const input of [this.band, this.weight, this.duration, this.liftedBy]) {
      input.addEventListener('input', () => this.describe());
    }
    this.sideChanged();
  }

  /** The actions the chosen side may take end its act when one of them lifts it. */
  sideChanged() {
    const side = this.side.value;
    this.details.hidden = !side;
    const own = this.scenario.actions.filter((action) => !action.teams?.length || action.teams.includes(side));
    options(this.liftedBy, [['', t('adhoc.attribution_lifted_by_none')], ...own.map((a) => [a.id, a.label])]);
    this.describe();
  }

  describe() {
    const value = this.readValue();
    this.summary.textContent = value && !value.error ? attributionText(value, this.scenario) : '';
  }

  /** The command's `attribution` (null when nobody's act), or {error} naming what to fix. */
  readValue() {
    const side = this.side.value;
    if (!side) return null;
    const weight = Number(this.weight.value);
    if (this.weight.value.trim() === '' || !Number.isFinite(weight) || weight < -10 || weight > 10) {
      return { error: t('adhoc.attribution_bad_weight'), element: this.weight };
    }
    const attribution = { side, band: Number(this.band.value), weight };
    if (this.duration.value.trim()) {
      const seconds = parseScenarioTime(this.duration.value);
      if (!seconds) return { error: t('adhoc.attribution_bad_duration'), element: this.duration };
      // The server reads a bare number as minutes: send the duration as the scenario notation writes it.
      attribution.duration = formatScenario(seconds, { withSeconds: seconds % 60 !== 0, prefix: '' });
    }
    if (this.liftedBy.value) attribution.lifted_by = [this.liftedBy.value];
    return attribution;
  }

  reset() {
    this.side.value = '';
    this.duration.value = '';
    this.sideChanged();
  }
}
