// Small line icons drawn as inline SVG (no icon font and no image from another host). Every icon is
// decorative: the state it marks is always written next to it in words.

import { svg } from './dom.js';

const PATHS = {
  phone: 'M5 4h3l2 5-2.5 1.5a11 11 0 0 0 6 6L15 14l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z',
  pause: 'M8 5v14M16 5v14',
  play: 'M7 4l13 8-13 8z',
  alert: 'M12 3l10 18H2zM12 10v5M12 18v.5',
  check: 'M4 12l5 5L20 6',
  link: 'M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1',
  signal: 'M2 12h3l3-7 4 14 3-9 2 2h5',
  off: 'M4 4l16 16M9 5h10v10M5 9v10h10',
  clock: 'M12 7v5l3 2M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  dot: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z',
  ring: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z',
  lock: 'M6 11h12v9H6zM8 11V8a4 4 0 0 1 8 0v3',
  skip: 'M5 5l8 7-8 7zM17 5v14',
  hold: 'M6 5h4v14H6zM14 5h4v14h-4z',
  send: 'M3 11l18-8-8 18-2-8z',
  flag: 'M5 21V4h12l-2 4 2 4H5',
  eye: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  cable: 'M3 6h18v12H3zM3 7l9 6 9-6',
  megaphone: 'M3 10v4h4l8 5V5L7 10zM18 9a4 4 0 0 1 0 6',
  copy: 'M9 9h11v11H9zM5 15V4h11',
  x: 'M6 6l12 12M18 6L6 18',
  upload: 'M12 15V4M7 9l5-5 5 5M4 15v5h16v-5',
};

const FILLED = new Set(['dot', 'play']);

/** An icon element; `name` is one of the keys above. */
export function icon(name, extraClass = '') {
  const path = PATHS[name] || PATHS.dot;
  const filled = FILLED.has(name);
  return svg(
    'svg',
    {
      class: `icon icon-${name} ${extraClass}`.trim(),
      viewBox: '0 0 24 24',
      width: '1em',
      height: '1em',
      'aria-hidden': 'true',
      focusable: 'false',
      fill: filled ? 'currentColor' : 'none',
      stroke: 'currentColor',
      'stroke-width': filled ? '0' : '2',
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    },
    svg('path', { d: path }),
  );
}
