// Timeline, escalation chart and the filterable events table of the live report page (mirrors
// templates/_timeline.html.j2). The chart elements and the filter form are made once and kept across
// refreshes, so a live report keeps the reader's zoom and filters while new events arrive.

import { has, t } from '../js/i18n.js';
import { wireEventFilter } from './event-filter.js';
import { cites, fill, h } from './dom.js';
import { clock, duration, times, wall, wallShort } from './format.js';
import { CATEGORIES, categoryName } from './sections-overview.js';

/** The event type in words, in the page's language (the report carries the English). */
function typeName(event) {
  const key = `report.type.${event.type}`;
  return has(key) ? t(key) : event.type_name || event.type;
}

function option(val, text) {
  return h('option', { value: val, text });
}

export class TimelineSections {
  constructor(sections) {
    this.timelineHint = h('p', { class: 'hint' });
    this.timelineChart = h('div', {
      class: 'chart',
      id: 'timeline-chart',
      role: 'img',
      'aria-label': t('report.timeline_label'),
    });
    this.clockChanges = h('ul', { class: 'clock-changes' });
    fill(sections.timeline, this.timelineHint, this.timelineChart, this.clockChanges);

    this.escalationHint = h('p', { class: 'hint' });
    this.escalationChart = h('div', {
      class: 'chart',
      id: 'escalation-chart',
      role: 'img',
      'aria-label': t('report.escalation_label'),
    });
    fill(sections.escalation, this.escalationHint, this.escalationChart);

    this.teamSelect = h('select', { name: 'team' }, option('', t('report.filter_all')));
    const kinds = CATEGORIES.map((key) => option(key, categoryName(key)));
    this.form = h(
      'form',
      { class: 'filters no-print', id: 'event-filters', hidden: true },
      h('label', {}, `${t('report.filter_kind')} `, h('select', { name: 'category' }, option('', t('report.filter_all')), kinds)),
      h('label', {}, `${t('report.filter_team')} `, this.teamSelect),
      h('label', {}, `${t('report.filter_search')} `, h('input', { type: 'search', name: 'text', placeholder: t('report.filter_words') })),
      h('label', { class: 'checkbox' }, h('input', { type: 'checkbox', name: 'admin' }), ` ${t('report.filter_admin')}`),
      h('output', { name: 'count' }),
    );
    this.tbody = h('tbody');
    this.table = h(
      'table',
      { class: 'events', id: 'events-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['#', t('report.col.scenario'), t('report.col.wall'), t('report.col.kind'), t('report.col.who'), t('report.col.what')].map((head) =>
            h('th', { scope: 'col', text: head }),
          ),
        ),
      ),
      this.tbody,
    );
    fill(sections.events, this.form, this.table);
    this.filter = wireEventFilter(this.form, this.table, {
      countText: (shown, total) => t('report.events_shown', { shown, total }),
    });
  }

  render(report) {
    const clockRecord = report.clock;
    this.timelineHint.textContent =
      t('report.timeline_hint') +
      (clockRecord.pauses.length || clockRecord.jumps.length
        ? ` ${t('report.pauses_jumps', { pauses: clockRecord.pauses.length, jumps: clockRecord.jumps.length })}`
        : '');
    fill(
      this.clockChanges,
      clockRecord.pauses.map((pause) =>
        h(
          'li',
          { class: 'pause' },
          t('report.paused_at', { wall: wall(pause.wall_start), time: clock(pause.scenario_time) }),
          pause.wall_end
            ? ` ${t('report.paused_for', { duration: duration((Date.parse(pause.wall_end) - Date.parse(pause.wall_start)) / 1000) })}`
            : ` ${t('report.still_paused')}`,
          `: ${pause.reason} `,
          cites([pause.seq]),
        ),
      ),
      clockRecord.jumps.map((jump) =>
        h('li', { class: 'jump' }, `${t('report.jump', { wall: wall(jump.wall_time), from: clock(jump.from_time), to: clock(jump.to_time) })} `, cites([jump.seq])),
      ),
      clockRecord.compression_changes.map((change) =>
        h('li', {}, `${t('report.compression_set', { compression: times(change.compression), time: clock(change.scenario_time) })} `, cites([change.seq])),
      ),
    );
    this.clockChanges.hidden = !this.clockChanges.childElementCount;
    const peaks = report.escalation
      .map((series) =>
        series.peak_band === null
          ? t('report.no_move', { team: series.name })
          : t('report.peaked', { team: series.name, band: series.peak_band }),
      )
      .join(t('report.clause_separator'));
    const pressure = (report.pressure || [])
      .map((series) => t('report.pressure_peak', { team: series.name, peak: Math.round(series.peak) }))
      .join(t('report.clause_separator'));
    this.escalationHint.textContent = `${t('report.escalation_hint')} ${peaks}${t('report.sentence_end')}${
      pressure ? ` ${t('report.pressure_hint')} ${pressure}${t('report.sentence_end')}` : ''
    }`;
    this.renderTeams(report);
    this.renderEvents(report);
  }

  renderTeams(report) {
    if (this.teamSelect.options.length > 1) return;
    for (const team of report.overview.teams) this.teamSelect.append(option(team.id, team.name));
  }

  renderEvents(report) {
    const rows = report.events.map((event) => {
      const row = h(
        'tr',
        { id: `event-${event.seq}`, dataset: { category: event.category, team: event.team || '' } },
        h('td', { class: 'num', text: event.seq }),
        h('td', { text: clock(event.scenario_time) }),
        h('td', { text: wallShort(event.wall_time) }),
        h('td', {}, typeName(event), event.not_played ? h('span', { class: 'not-played', text: t(`report.not_played.${event.not_played}`) }) : null),
        h('td', { text: event.who }),
        h('td', { text: event.text }),
      );
      if (event.band !== null) row.dataset.band = String(event.band);
      return row;
    });
    this.tbody.replaceChildren(...rows);
    this.filter.refresh();
  }
}
