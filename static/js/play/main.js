// The team and observer console page, /play/<exercise>#token=…: reads the seat token from the
// fragment (then keeps it in this tab's sessionStorage), joins, and shows the team console or the
// observers' watch view. Reconnects by itself and resumes from the last event it has.

import { byId, h, fill } from '../dom.js';
import { t, initLanguage, bindLanguageSwitch, onLanguageChange } from '../i18n.js';
import { Session } from '../session.js';
import { ExerciseModel } from '../model.js';
import { ClockWidget } from '../clock-widget.js';
import { ConnectionIndicator } from '../connection-indicator.js';
import { banner, fatalText, renderBanners, statusBanner } from '../banners.js';
import { errorText, notify } from '../feedback.js';
import { takeFromFragment, tabStore } from '../storage.js';
import { captureDrafts, restoreDrafts } from '../drafts.js';
import { watchChineseFont } from '../fonts.js';
import { formatDuration, formatScenario } from '../time.js';
import { TeamConsole } from './team-console.js';
import { WatchConsole } from './watch.js';

const exerciseId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const tokenKey = `hotline.token.${exerciseId}`;

function readToken() {
  const fromLink = takeFromFragment('token');
  if (fromLink) {
    tabStore.set(tokenKey, fromLink);
    return fromLink;
  }
  return tabStore.get(tokenKey);
}

class PlayPage {
  constructor(token) {
    this.main = byId('main');
    this.bannerArea = byId('banners');
    this.notices = byId('notices');
    this.session = new Session(`/ws/exercises/${encodeURIComponent(exerciseId)}`, { token });
    this.model = new ExerciseModel();
    this.events = [];
    this.view = null;
    this.fatal = null;
    this.scores = null;
    this.exerciseTitle = '';

    byId('clock-slot').append(new ClockWidget(this.model).element);
    byId('connection-slot').append(new ConnectionIndicator(this.session).element);
    fill(this.main, h('p', { class: 'loading', text: t('play.joining') }));

    this.session.on('hello', (hello) => this.onHello(hello));
    this.session.on('event', (event, { history }) => this.onEvent(event, history));
    this.session.on('heartbeat', (beat) => this.model.clock.syncWall(beat.wall_time));
    this.session.on('scores', (card) => {
      this.scores = card;
      this.view?.showScores(card);
    });
    this.session.on('notice', (error) => notify(this.notices, errorText(error), 'error'));
    this.session.on('fatal', (fatal) => this.onFatal(fatal));
    this.model.subscribe(() => this.renderBanners());
    onLanguageChange(() => this.rebuild());
    this.session.start();
  }

  onHello(hello) {
    this.model.load(hello);
    if (!this.view) this.rebuild();
    this.renderHeader();
  }

  onEvent(event, history) {
    // Events up to hello.last_seq are already in the snapshot: list them, do not apply them again.
    if (!history) this.model.apply(event);
    if (event.type === 'exercise_created') this.exerciseTitle = event.payload.title;
    this.events.push(event);
    this.view?.add(event, { fresh: !history });
    if (event.type === 'exercise_created') this.renderHeader();
    if (event.type === 'clock_jumped' && !history) {
      this.jump = event;
      this.renderBanners();
    }
  }

  /**
   * The server closed this seat for good. A revoked or replaced seat says so at once and stops: the
   * clock freezes and nothing more can be sent, so nobody plays on in a console that is no longer theirs.
   */
  onFatal(fatal) {
    this.fatal = fatal;
    if (fatal.code === 4401 && this.model.loaded) {
      const replaced = /replaced/i.test(fatal.reason || '');
      this.model.halt(replaced ? 'replaced' : 'revoked');
      document.body.dataset.closed = 'yes';
      fill(
        this.main,
        h(
          'section',
          { class: 'panel narrow seat-closed', id: 'seat-closed', tabindex: '-1' },
          h('h1', { text: t(replaced ? 'play.replaced_title' : 'play.revoked_title') }),
          h('p', { text: t(replaced ? 'play.replaced_text' : 'play.revoked_text') }),
        ),
      );
      this.view = null;
      byId('seat-closed').focus();
    } else if (!this.view) fill(this.main, h('p', { class: 'empty', text: t('play.cannot_join') }));
    this.renderBanners();
  }

  /**
   * Build the console from the model and every event received so far; after a language change, what
   * the player was typing or had chosen (drafts, open tab, scroll position) is put back.
   */
  rebuild() {
    if (!this.model.loaded) return;
    const drafts = this.view ? captureDrafts(this.main) : null;
    const kept = this.view?.keep?.();
    const View = this.model.you.kind === 'observer' ? WatchConsole : TeamConsole;
    this.dropView?.();
    [this.view, this.dropView] = this.model.collect(
      () => new View({ session: this.session, model: this.model, toasts: this.notices }),
    );
    for (const event of this.events) this.view.add(event);
    if (kept) this.view.restore(kept);
    if (this.scores) this.view.showScores(this.scores);
    fill(this.main, this.view.element);
    restoreDrafts(this.main, drafts);
    document.body.dataset.kind = this.model.you.kind;
    this.renderHeader();
    this.renderBanners();
  }

  renderHeader() {
    if (!this.model.loaded) return;
    const you = this.model.you;
    const scenario = this.model.scenario;
    const seat = you.kind === 'observer' ? t('play.observer_seat') : scenario.seatName(you);
    byId('seat-label').textContent = seat;
    // The exercise keeps its scenario's title unless the facilitator gave it one: then show it translated.
    const custom = this.exerciseTitle && this.exerciseTitle !== scenario.data.title;
    byId('exercise-title').textContent = custom ? this.exerciseTitle : scenario.title;
    const header = byId('topbar');
    header.dataset.teamIndex = you.team ? String(scenario.teamIndex(you.team)) : '';
    document.title = t('play.page_title_seat', { seat });
    this.view?.alerts?.setBaseTitle(document.title);
  }

  renderBanners() {
    const banners = [];
    if (this.fatal) banners.push(banner('alert', 'off', t('connection.failed'), fatalText(this.fatal)));
    if (this.model.halted) {
      renderBanners(this.bannerArea, banners);
      return;
    }
    banners.push(statusBanner(this.model));
    banners.push(this.jumpBanner());
    if (this.view?.briefing && this.model.loaded) {
      const open = h('button', { type: 'button', class: 'button small ghost', id: 'open-briefing', text: t('briefing.open') });
      open.addEventListener('click', () => this.view.briefing.open());
      byId('briefing-slot').replaceChildren(open);
    }
    for (const { channel, view } of this.view?.incomingCalls() || []) {
      const go = h('button', { type: 'button', class: 'button small primary', text: t('banner.answer') });
      go.addEventListener('click', () => {
        view.element.scrollIntoView({ block: 'center' });
        view.element.querySelector('[data-command="accept"]')?.focus();
      });
      const other = this.model.scenario.otherTeam(this.model.you.team);
      banners.push(
        banner(
          'call',
          'phone',
          t('banner.incoming', { channel: channel.name }),
          t('banner.incoming_from', { team: other?.name || '' }),
          [go],
        ),
      );
    }
    renderBanners(this.bannerArea, banners);
  }

  /** "18 hours later": after a jump of the clock, until the player dismisses it (remembered per seat). */
  jumpBanner() {
    const jump = this.jump;
    if (!jump) return null;
    const key = `hotline.jump-seen.${this.model.exerciseId}.${this.model.you.seat_id || this.model.you.team}`;
    let dismissed = 0;
    try {
      dismissed = Number(localStorage.getItem(key) || 0);
    } catch {
      dismissed = 0;
    }
    if (dismissed >= jump.seq) return null;
    const p = jump.payload;
    const close = h('button', { type: 'button', class: 'button small secondary', text: t('banner.dismiss') });
    close.addEventListener('click', () => {
      try {
        localStorage.setItem(key, String(jump.seq));
      } catch {
        // Storage disabled: dismissed for this page only.
      }
      this.jump = null;
      this.renderBanners();
    });
    const element = banner(
      'info',
      'skip',
      t('banner.jumped', { duration: formatDuration(p.to_time - p.from_time) }),
      t('banner.jumped_text', { from: formatScenario(p.from_time), to: formatScenario(p.to_time) }),
      [close],
    );
    element.id = 'jump-banner';
    return element;
  }
}

// A new seat link opened in this same tab changes only the fragment, which does not reload the page.
window.addEventListener('hashchange', () => {
  if (readTokenChanged()) location.reload();
});

function readTokenChanged() {
  const before = tabStore.get(tokenKey);
  const fromLink = takeFromFragment('token');
  if (!fromLink) return false;
  tabStore.set(tokenKey, fromLink);
  return fromLink !== before;
}

async function start() {
  await initLanguage();
  bindLanguageSwitch(byId('language'));
  watchChineseFont(byId('banners'));
  const token = readToken();
  if (!exerciseId || !token) {
    const explain = () =>
      fill(
        byId('main'),
        h(
          'section',
          { class: 'panel narrow' },
          h('h1', { text: t('play.no_token_title') }),
          h('p', { text: t('play.no_token_text') }),
        ),
      );
    explain();
    onLanguageChange(explain);
    return;
  }
  new PlayPage(token);
}

start();
