// Accessible tabs (WAI-ARIA tab pattern): arrow keys move between tabs, Home/End jump to the ends.

import { h, uid } from './dom.js';

export class Tabs {
  /** @param {{key: string, label: string, body: Node}[]} pages */
  constructor(pages, { label }) {
    this.pages = pages.map((page) => {
      const tabId = uid('tab');
      const panelId = uid('tabpanel');
      const tab = h('button', {
        type: 'button',
        role: 'tab',
        class: 'tab',
        id: tabId,
        'aria-controls': panelId,
        tabindex: '-1',
        dataset: { tab: page.key },
      });
      tab.append(h('span', { text: page.label }));
      const panel = h(
        'div',
        { role: 'tabpanel', class: 'tab-panel', id: panelId, 'aria-labelledby': tabId, hidden: true },
        page.body,
      );
      tab.addEventListener('click', () => this.select(page.key));
      tab.addEventListener('keydown', (pressed) => this.onKey(pressed, page.key));
      return { ...page, tab, panel };
    });
    this.tabList = h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': label },
      this.pages.map((page) => page.tab),
    );
    this.element = h(
      'div',
      { class: 'tabbed' },
      this.tabList,
      this.pages.map((page) => page.panel),
    );
    this.select(this.pages[0].key, { focus: false });
  }

  select(key, { focus = true } = {}) {
    for (const page of this.pages) {
      const selected = page.key === key;
      page.tab.setAttribute('aria-selected', String(selected));
      page.tab.tabIndex = selected ? 0 : -1;
      page.panel.hidden = !selected;
      if (selected && focus) page.tab.focus();
    }
    this.selected = key;
  }

  onKey(pressed, key) {
    const keys = this.pages.map((page) => page.key);
    const index = keys.indexOf(key);
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: keys.length - 1 };
    if (!(pressed.key in moves)) return;
    pressed.preventDefault();
    this.select(keys[(moves[pressed.key] + keys.length) % keys.length]);
  }
}
