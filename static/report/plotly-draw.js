// Draws the report's plotly figures, which the server builds, and keeps them sized for screen and paper.
// Import-free but for sibling modules: the self-contained export inlines this file (app/reports/inline.py).

/** 180 mm at 96 dpi: the text width of an A4 page with the report's margins (Letter is wider, so it fits). */
const PRINT_WIDTH_PX = 680;
const PRINT_HEIGHT_SHARE = 0.8;

const PLOT_CONFIG = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ['lasso2d', 'select2d', 'toImage'],
};

/** Draw `figure` ({data, layout}) into `element`; `onPick(seq)` runs when a point with a seq is clicked. */
export async function drawFigure(element, figure, onPick) {
  await Plotly.react(element, figure.data, { ...figure.layout, autosize: true }, PLOT_CONFIG);
  if (onPick && !element.dataset.picking) {
    element.dataset.picking = 'yes';
    element.on('plotly_click', (clicked) => {
      const seq = clicked.points && clicked.points[0] ? clicked.points[0].customdata : null;
      if (typeof seq === 'number') onPick(seq);
    });
  }
  return element;
}

/** Resize the charts to the page width while printing, and back afterwards. */
export function keepChartsPrintable(elements) {
  const fit = async (printing) => {
    for (const element of elements()) {
      if (!element.data) continue;
      if (!element.dataset.screenHeight) element.dataset.screenHeight = String(element.layout.height || 400);
      const screenHeight = Number(element.dataset.screenHeight);
      // A little shorter on paper, so the timeline and the escalation chart share a page.
      const size = printing
        ? { width: PRINT_WIDTH_PX, height: Math.round(screenHeight * PRINT_HEIGHT_SHARE), autosize: false }
        : { width: null, height: screenHeight, autosize: true };
      await Plotly.relayout(element, size);
      element.dataset.fitted = printing ? 'print' : 'screen';
    }
  };
  const media = window.matchMedia('print');
  media.addEventListener('change', (change) => fit(change.matches));
  window.addEventListener('beforeprint', () => fit(true));
  window.addEventListener('afterprint', () => fit(false));
}
