// The report page, /report/<exercise id>: sign in with the facilitator secret (kept in this tab's
// sessionStorage, like the control console) or open a reviewer link (#key=…); then the whole HSEEP
// report of the exercise, kept live while it runs (the page asks every few seconds whether the log
// has grown, and fetches the report again when it has) and final once it has ended.

import { t, initLanguage, bindLanguageSwitch, onLanguageChange } from '../js/i18n.js';
import { captureDrafts, restoreDrafts } from '../js/drafts.js';
import { ApiError, createReportApi } from './api.js';
import { Citations } from './citations.js';
import { fill, h, section } from './dom.js';
import { wall } from './format.js';
import { drawFigure, keepChartsPrintable } from './plotly-draw.js';
import { PlanEditor } from './plan-editor.js';
import { renderObjectives, renderScorecard } from './sections-analysis.js';
import { renderHotwash, renderObservations } from './sections-feedback.js';
import { renderOverview, renderSummary } from './sections-overview.js';
import { TimelineSections } from './sections-timeline.js';

const SECRET_KEY = 'hotline.secret'; // the control console keeps the facilitator secret under this name
const POLL_MS = 4000;
const MAX_POLL_MS = 60000;
// Each section: its id, and whether it starts a new page in print. Titles: report.section.<id> (the
// heading) and report.toc.<id> (the short name in the table of contents).
const SECTIONS = [
  ['overview'],
  ['summary'],
  ['objectives', true],
  ['scorecard', true],
  ['timeline', true],
  ['escalation'],
  ['events', true],
  ['observations', true],
  ['hotwash'],
  ['plan', true],
];

const store = {
  get(name) {
    try {
      return sessionStorage.getItem(name);
    } catch {
      return null;
    }
  },
  set(name, text) {
    try {
      sessionStorage.setItem(name, text);
    } catch {
      // Storage disabled: the value lasts as long as the page.
    }
  },
  remove(name) {
    try {
      sessionStorage.removeItem(name);
    } catch {
      // Nothing stored.
    }
  },
};

/** Read `name` from the URL fragment and remove it from the address bar. */
function takeFromFragment(name) {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const found = params.get(name);
  if (found === null) return null;
  params.delete(name);
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  return found;
}

class ReportPage {
  constructor() {
    this.exerciseId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
    this.keyName = `hotline.report-key:${this.exerciseId}`;
    const secret = takeFromFragment('secret');
    if (secret) store.set(SECRET_KEY, secret);
    const key = takeFromFragment('key');
    if (key) store.set(this.keyName, key);
    this.notices = document.getElementById('notices');
    this.main = document.getElementById('report-main');
    this.status = document.getElementById('report-status');
    this.lastSeq = null;
    this.pollDelay = POLL_MS;
    this.figures = null;
  }

  credentials() {
    const secret = store.get(SECRET_KEY);
    if (secret) return { secret };
    const key = store.get(this.keyName);
    return key ? { key } : null;
  }

  notify(text, kind = 'info') {
    const notice = h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', text });
    this.notices.replaceChildren(notice);
  }

  start() {
    if (!this.exerciseId) {
      this.notify(t('report.no_exercise'), 'error');
      return;
    }
    document.getElementById('signin-form').addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      const value = submitted.target.elements.secret.value.trim();
      if (!value) return;
      store.set(SECRET_KEY, value);
      this.open();
    });
    if (typeof Plotly === 'undefined') this.notify(t('report.no_plotly'), 'error');
    // Built once: they find the current sections' parts through these getters after a language switch.
    this.citations = new Citations({
      filter: { reveal: (row) => this.timeline.filter.reveal(row) },
      timeline: () => this.timeline?.timelineChart || null,
      figure: () => (this.figures ? this.figures.timeline : null),
    });
    keepChartsPrintable(() => (this.timeline ? [this.timeline.timelineChart, this.timeline.escalationChart] : []));
    this.wireToolbar();
    onLanguageChange(() => this.relabel());
    this.open();
  }

  showSignin(message) {
    document.getElementById('signin').hidden = false;
    document.getElementById('toolbar').hidden = true;
    document.getElementById('toc').hidden = true;
    if (message) this.notify(message, 'error');
    document.querySelector('#signin input').focus();
  }

  async open() {
    const credentials = this.credentials();
    if (!credentials) {
      this.showSignin(null);
      return;
    }
    this.api = createReportApi({ exerciseId: this.exerciseId, ...credentials });
    document.getElementById('signin').hidden = true;
    this.notify(t('report.loading'));
    try {
      await this.load();
      this.notices.replaceChildren();
    } catch (error) {
      this.failed(error);
    }
  }

  failed(error) {
    if (error instanceof ApiError && error.status === 401) {
      store.remove(SECRET_KEY);
      store.remove(this.keyName);
      this.showSignin(t('report.not_accepted'));
      return;
    }
    if (error instanceof ApiError && error.status === 404) {
      this.notify(t('report.not_found', { message: error.message }), 'error');
      return;
    }
    this.notify(error.message || String(error), 'error');
  }

  build() {
    if (this.sections) return;
    this.sections = {};
    const elements = SECTIONS.map(([id, pageBreak]) => {
      const { element, body } = section(id, t(`report.section.${id}`), { pageBreak: Boolean(pageBreak) });
      this.sections[id] = body;
      return element;
    });
    fill(this.main, elements);
    fill(
      document.getElementById('toc'),
      SECTIONS.map(([id]) => h('a', { href: `#${id}`, text: t(`report.toc.${id}`) })),
    );
    const previous = this.plan;
    this.timeline = new TimelineSections(this.sections);
    this.plan = new PlanEditor({ body: this.sections.plan, api: this.api, notify: (text, kind) => this.notify(text, kind) });
    if (previous) {
      // Rebuilt after a language switch: the same rows, and the form that was open stays open.
      this.plan.items = previous.items;
      this.plan.objectives = previous.objectives;
      if (previous.editing) this.plan.open(previous.current, { quiet: true });
    }
  }

  /** After a language switch: every section again in the new language, keeping filters and typed text. */
  relabel() {
    if (!this.view) return;
    const drafts = captureDrafts(this.main);
    this.sections = null;
    this.build();
    this.render(this.view);
    restoreDrafts(this.main, drafts);
  }

  async load() {
    const view = await this.api.view();
    this.build();
    this.render(view);
    this.schedule(view.report);
  }

  render(view) {
    const { report, charts } = view;
    this.view = view;
    this.report = report;
    this.figures = charts;
    this.lastSeq = report.last_seq;
    const o = report.overview;
    document.title = t('report.page_title', { title: o.title });
    document.getElementById('report-title').textContent = o.title;
    document.getElementById('report-subtitle').textContent = t(report.final ? 'report.subtitle_final' : 'report.subtitle_interim', {
      scenario: o.scenario_title,
      id: o.exercise_id,
      status: t(`report.status.${o.status}`),
      updated: wall(report.generated_at),
    });
    this.status.replaceChildren(
      report.final
        ? t('report.final', { endex: wall(o.endex) })
        : h(
            'span',
            {},
            h('span', { class: 'live-dot', 'aria-hidden': 'true' }),
            t('report.live', { status: t(`report.status.${o.status}`), seq: report.last_seq }),
          ),
    );
    renderOverview(this.sections.overview, report);
    renderSummary(this.sections.summary, report);
    renderObjectives(this.sections.objectives, report, this.api.canEdit ? (draft) => this.plan.open(draft) : null);
    renderScorecard(this.sections.scorecard, report);
    this.timeline.render(report);
    renderObservations(this.sections.observations, report);
    renderHotwash(this.sections.hotwash, report);
    this.plan.update(report);
    document.getElementById('toolbar').hidden = false;
    document.getElementById('toc').hidden = false;
    document.getElementById('reviewer-link').hidden = !this.api.canEdit;
    document.getElementById('compare-link').href = `/report/compare?scenario=${encodeURIComponent(report.overview.scenario_id)}`;
    document.getElementById('compare-link').hidden = !this.api.canEdit;
    this.drawCharts().then(() => {
      document.body.dataset.ready = 'yes'; // lets tests and printing scripts wait for the charts
      const target = location.hash.match(/^#event-(\d+)$/);
      if (target && !this.shownTarget) {
        this.shownTarget = true;
        this.citations.show(Number(target[1]));
      }
    });
  }

  async drawCharts() {
    if (typeof Plotly === 'undefined') return;
    const keepZoom = (figure) => ({ data: figure.data, layout: { ...figure.layout, uirevision: 'report' } });
    await drawFigure(this.timeline.timelineChart, keepZoom(this.figures.timeline), (seq) => this.citations.show(seq));
    await drawFigure(this.timeline.escalationChart, keepZoom(this.figures.escalation));
  }

  schedule(report) {
    clearTimeout(this.timer);
    if (report.final) return;
    this.timer = setTimeout(() => this.poll(), this.pollDelay);
  }

  async poll() {
    try {
      const state = await this.api.status();
      if (state.last_seq !== this.lastSeq || state.final !== this.report.final) {
        await this.load();
      } else {
        this.schedule(this.report);
      }
      this.pollDelay = POLL_MS;
    } catch (error) {
      this.pollDelay = Math.min(MAX_POLL_MS, this.pollDelay * 2);
      if (error instanceof ApiError && error.status === 401) {
        this.failed(error);
        return;
      }
      this.notify(t('report.update_failed', { message: error.message, seconds: Math.round(this.pollDelay / 1000) }), 'error');
      this.schedule(this.report);
    }
  }

  wireToolbar() {
    for (const button of document.querySelectorAll('[data-export]')) {
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          const name = await this.api.download(button.dataset.export);
          this.notify(t('report.downloaded', { name }));
        } catch (error) {
          this.notify(t('report.download_failed', { message: error.message }), 'error');
        } finally {
          button.disabled = false;
        }
      });
    }
    document.getElementById('print-button').addEventListener('click', () => window.print());
    document.getElementById('reviewer-link').addEventListener('click', async () => {
      try {
        const link = await this.api.reviewerLink();
        const field = h('input', { type: 'text', readonly: true, value: link.url, size: 60, 'aria-label': t('report.reviewer_link') });
        this.notices.replaceChildren(h('div', { class: 'notice', role: 'status' }, `${t('report.reviewer_link_notice')} `, field));
        field.select();
        if (navigator.clipboard) await navigator.clipboard.writeText(link.url).catch(() => {});
      } catch (error) {
        this.notify(t('report.no_reviewer_link', { message: error.message }), 'error');
      }
    });
  }
}

async function start() {
  await initLanguage();
  bindLanguageSwitch(document.getElementById('language'));
  new ReportPage().start();
}

start();
