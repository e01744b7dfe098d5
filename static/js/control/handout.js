// Handing out seat links. The server keeps only a fingerprint of each link, so a link can be shown
// only by the console that was given it, right after the seats were issued: this panel offers every way
// to pass them on at that moment — copy all as text, a CSV file, and printable seat cards (scenario,
// team, role, link and a QR code the server draws) — and says plainly that the links will not be shown
// again anywhere else.

import { h } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { copyText } from './links.js';

/** A CSV cell that a spreadsheet will show as text, never run as a formula: the rule of every CSV Hotline
 * writes (app/guards/csvcells.py, docs/security.md), an apostrophe before a cell that could start one. */
function csvCell(value) {
  let text = String(value ?? '');
  if (/^([\t\r\n']| *[=+\-@])/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function linksCsv(rows) {
  const head = ['seat', 'team', 'role', 'kind', 'link'];
  const lines = [head, ...rows.map((row) => [row.label, row.team, row.role, row.kind, row.url])];
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export class Handout {
  /** `rows()` gives the kept links as [{seat_id, label, team, role, kind, url}] in table order. */
  constructor({ api, exerciseId, scenarioTitle, rows }) {
    this.api = api;
    this.exerciseId = exerciseId;
    this.scenarioTitle = scenarioTitle;
    this.rows = rows;
    this.status = h('p', { class: 'form-status', role: 'status' });
    const button = (key, symbol, onClick) => {
      const element = h('button', { type: 'button', class: 'button secondary', dataset: { handout: key } }, icon(symbol), h('span', { text: t(`handout.${key}`) }));
      element.addEventListener('click', () => onClick(element));
      return element;
    };
    this.count = h('strong');
    this.element = h(
      'section',
      { class: 'handout', id: 'handout', 'aria-labelledby': 'handout-title' },
      h('h3', { id: 'handout-title' }, icon('link'), h('span', { text: t('handout.title') })),
      h('p', { class: 'handout-rule' }, this.count, ' ', t('handout.rule')),
      h(
        'div',
        { class: 'handout-actions' },
        button('copy_all', 'copy', (element) => this.copyAll(element)),
        button('csv', 'cable', () => this.downloadCsv()),
        button('cards', 'flag', (element) => this.printCards(element)),
      ),
      this.status,
    );
    this.render();
  }

  render() {
    const count = this.rows().length;
    this.element.hidden = count === 0;
    this.count.textContent = t('handout.count', { count });
  }

  text() {
    return this.rows()
      .map((row) => `${row.label}\n${row.url}`)
      .join('\n\n');
  }

  async copyAll() {
    const ok = await copyText(`${this.scenarioTitle()}\n\n${this.text()}\n`);
    this.status.textContent = ok ? t('handout.copied', { count: this.rows().length }) : t('seats.copy_failed');
  }

  downloadCsv() {
    const blob = new Blob([linksCsv(this.rows())], { type: 'text/csv;charset=utf-8' });
    const link = h('a', { href: URL.createObjectURL(blob), download: `${this.exerciseId}-seat-links.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    this.status.textContent = t('handout.downloaded');
  }

  async printCards(button) {
    let cards = [];
    const ok = await runWithStatus(
      async () => {
        cards = await this.api.seatCards(this.exerciseId, this.rows().map((row) => row.url));
      },
      this.status,
      { busyElement: button, sendingText: t('handout.preparing') },
    );
    if (ok) showCards(cards, this.rows(), this.scenarioTitle());
  }
}

/** A full-page sheet of seat cards with Print and Close; printing shows only the cards. */
function showCards(cards, rows, scenarioTitle) {
  document.getElementById('seat-cards')?.remove();
  const labels = new Map(rows.map((row) => [row.seat_id, row.label]));
  const print = h('button', { type: 'button', class: 'button primary' }, icon('flag'), h('span', { text: t('handout.print') }));
  const close = h('button', { type: 'button', class: 'button secondary', text: t('handout.close') });
  const sheet = h(
    'section',
    { class: 'seat-cards', id: 'seat-cards', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'seat-cards-title' },
    h(
      'header',
      { class: 'seat-cards-head no-print' },
      h('h2', { id: 'seat-cards-title', text: t('handout.cards_title', { count: cards.length }) }),
      h('p', { class: 'help', text: t('handout.cards_help') }),
      h('div', { class: 'form-actions' }, print, close),
    ),
    h(
      'div',
      { class: 'card-grid' },
      cards.map((card) =>
        h(
          'article',
          { class: 'seat-card', dataset: { seat: card.seat_id } },
          h('p', { class: 'card-scenario', text: scenarioTitle }),
          h('h3', { class: 'card-seat', text: labels.get(card.seat_id) || card.label }),
          h('img', {
            class: 'card-qr',
            alt: t('handout.qr_alt', { label: labels.get(card.seat_id) || card.label }),
            src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(card.qr_svg)}`,
          }),
          h('p', { class: 'card-link', text: card.url }),
          h('p', { class: 'card-note', text: t('handout.card_note') }),
        ),
      ),
    ),
  );
  const opener = document.activeElement;
  const dismiss = () => {
    sheet.remove();
    document.body.classList.remove('printing-cards');
    opener?.focus?.();
  };
  close.addEventListener('click', dismiss);
  sheet.addEventListener('keydown', (pressed) => {
    if (pressed.key === 'Escape') dismiss();
  });
  print.addEventListener('click', () => window.print());
  document.body.classList.add('printing-cards');
  document.body.append(sheet);
  print.focus();
}
