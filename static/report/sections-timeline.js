// Timeline, escalation chart and the filterable events table of the live report page (mirrors
// templates/_timeline.html.j2). The chart elements and the filter form are made once and kept across
// refreshes, so a live report keeps the reader's zoom and filters while new events arrive.

import { wireEventFilter } from './event-filter.js';
import { cites, fill, h } from './dom.js';
import { clock, duration, times, wall, wallShort } from './format.js';
import { CATEGORY_NAMES } from './sections-overview.js';

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
      'aria-label': 'Timeline of injects, actions, contacts and escalation bands on both clocks',
    });
    this.clockChanges = h('ul', { class: 'clock-changes' });
    fill(sections.timeline, this.timelineHint, this.timelineChart, this.clockChanges);

    this.escalationHint = h('p', { class: 'hint' });
    this.escalationChart = h('div', {
      class: 'chart',
      id: 'escalation-chart',
      role: 'img',
      'aria-label': 'Escalation band of each team over scenario time',
    });
    fill(sections.escalation, this.escalationHint, this.escalationChart);

    this.teamSelect = h('select', { name: 'team' }, option('', 'all'));
    this.form = h(
      'form',
      { class: 'filters no-print', id: 'event-filters', hidden: true },
      h('label', {}, 'Kind ', h('select', { name: 'category' }, option('', 'all'), Object.entries(CATEGORY_NAMES).map(([key, name]) => option(key, name)))),
      h('label', {}, 'Team ', this.teamSelect),
      h('label', {}, 'Search ', h('input', { type: 'search', name: 'text', placeholder: 'words in the event' })),
      h('output', { name: 'count' }),
    );
    this.tbody = h('tbody');
    this.table = h(
      'table',
      { class: 'events', id: 'events-table' },
      h('thead', {}, h('tr', {}, ['#', 'Scenario', 'Wall (UTC)', 'Kind', 'Who', 'What'].map((head) => h('th', { scope: 'col', text: head })))),
      this.tbody,
    );
    fill(sections.events, this.form, this.table);
    this.filter = wireEventFilter(this.form, this.table);
  }

  render(report) {
    const clockRecord = report.clock;
    this.timelineHint.textContent =
      'Wall time runs along the bottom, the scenario clock along the top. Grey spans are pauses (the scenario clock stood still), ' +
      "dashed orange lines are jumps (it leapt forward). Below the lanes, each team's escalation band: the band of its latest move." +
      (clockRecord.pauses.length || clockRecord.jumps.length ? ` ${clockRecord.pauses.length} pause(s), ${clockRecord.jumps.length} jump(s).` : '');
    fill(
      this.clockChanges,
      clockRecord.pauses.map((pause) =>
        h(
          'li',
          { class: 'pause' },
          `Paused ${wall(pause.wall_start)} at ${clock(pause.scenario_time)}`,
          pause.wall_end ? ` for ${duration((Date.parse(pause.wall_end) - Date.parse(pause.wall_start)) / 1000)}` : ' (still paused)',
          `: ${pause.reason} `,
          cites([pause.seq]),
        ),
      ),
      clockRecord.jumps.map((jump) =>
        h('li', { class: 'jump' }, `Jump at ${wall(jump.wall_time)} from ${clock(jump.from_time)} to ${clock(jump.to_time)} `, cites([jump.seq])),
      ),
      clockRecord.compression_changes.map((change) =>
        h('li', {}, `Compression set to ${times(change.compression)} at ${clock(change.scenario_time)} `, cites([change.seq])),
      ),
    );
    this.clockChanges.hidden = !this.clockChanges.childElementCount;
    const peaks = report.escalation
      .map((series) => (series.peak_band === null ? `${series.name} made no catalog move` : `${series.name} peaked at band ${series.peak_band}`))
      .join('; ');
    this.escalationHint.textContent =
      "Each team's escalation band over scenario time (0 cooperative … 6 nuclear). Shaded: scenario time skipped by a jump. " + `${peaks}.`;
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
        h('td', { text: event.type }),
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
