// Citation links (#event-N) jump to the event's row in the timeline's events table, highlight it, and
// mark its moment on the timeline chart; clicking a point on the chart does the same.
// Import-free but for sibling modules: the self-contained export inlines this file.

const MARK_COLOR = '#ffbf47';

/** Wall time (the chart's x) of each seq plotted on the timeline figure. */
function momentsOf(figure) {
  const moments = new Map();
  for (const trace of figure.data) {
    if (!trace.customdata || trace.yaxis === 'y2') continue;
    trace.customdata.forEach((seq, at) => {
      if (typeof seq === 'number') moments.set(seq, trace.x[at]);
    });
  }
  return moments;
}

export class Citations {
  /** @param {{filter: {reveal(row): void}, timeline: () => HTMLElement | null, figure: () => object | null}} parts */
  constructor({ filter, timeline, figure }) {
    this.filter = filter;
    this.timeline = timeline;
    this.figure = figure;
    this.current = null;
    document.addEventListener('click', (clicked) => {
      const link = clicked.target.closest ? clicked.target.closest('a.cite') : null;
      if (!link) return;
      const seq = Number(link.getAttribute('href').replace('#event-', ''));
      if (!Number.isInteger(seq)) return;
      clicked.preventDefault();
      this.show(seq);
    });
  }

  /** Scroll to event `seq`, highlight its row and mark it on the timeline. */
  show(seq) {
    const row = document.getElementById(`event-${seq}`);
    if (!row) return;
    this.filter.reveal(row);
    if (this.current) this.current.classList.remove('highlight');
    row.classList.add('highlight');
    this.current = row;
    history.replaceState(null, '', `#event-${seq}`);
    row.scrollIntoView({ block: 'center' });
    this.mark(seq);
  }

  mark(seq) {
    const chart = this.timeline();
    const figure = this.figure();
    if (!chart || !figure || !chart.data) return;
    if (!this.moments || this.momentsFigure !== figure) {
      this.moments = momentsOf(figure);
      this.momentsFigure = figure;
    }
    const x = this.moments.get(seq);
    const shapes = (figure.layout.shapes || []).slice();
    if (x !== undefined) {
      shapes.push({ type: 'line', xref: 'x', yref: 'paper', x0: x, x1: x, y0: 0, y1: 1, line: { color: MARK_COLOR, width: 3 } });
    }
    Plotly.relayout(chart, { shapes });
  }
}
