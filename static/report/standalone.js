// The self-contained export's only script (inlined with its imports by app/reports/inline.py): draws the
// charts from the JSON the file carries, and wires the events filter and the citation links.

import { drawFigure, keepChartsPrintable } from './plotly-draw.js';
import { wireEventFilter } from './event-filter.js';
import { Citations } from './citations.js';

const exportFigures = JSON.parse(document.getElementById('report-charts').textContent);
const exportTimeline = document.getElementById('timeline-chart');
const exportEscalation = document.getElementById('escalation-chart');
const exportFilter = wireEventFilter(document.getElementById('event-filters'), document.getElementById('events-table'));
const exportCitations = new Citations({
  filter: exportFilter,
  timeline: () => exportTimeline,
  figure: () => exportFigures.timeline,
});

keepChartsPrintable(() => [exportTimeline, exportEscalation]);
Promise.all([
  drawFigure(exportTimeline, exportFigures.timeline, (seq) => exportCitations.show(seq)),
  drawFigure(exportEscalation, exportFigures.escalation),
]).then(() => {
  document.body.dataset.ready = 'yes'; // lets tests and printing scripts wait for the charts
});
