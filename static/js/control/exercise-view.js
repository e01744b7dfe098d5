// One exercise in the control console: the lifecycle controls; the lobby with seat links, the MSEL
// and the ad-hoc inject composer; the live timeline of both teams; channel states; the scoreboard with
// "show scores to teams"; and the observation composer. Everything arrives over /ws/control/<id>.

import { byId, h, fill, panel } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { Session } from '../session.js';
import { ExerciseModel } from '../model.js';
import { ClockWidget } from '../clock-widget.js';
import { ConnectionIndicator } from '../connection-indicator.js';
import { banner, fatalText, renderBanners, statusBanner } from '../banners.js';
import { errorText, notify } from '../feedback.js';
import { ObservationComposer } from '../observation.js';
import { Scoreboard } from '../scoreboard.js';
import { pressureMeters } from '../pressure-meter.js';
import { Tabs } from '../tabs.js';
import { formatScenario, scenarioSeconds } from '../time.js';
import { AdhocComposer } from './adhoc.js';
import { ChannelsPanel } from './channels.js';
import { LifecycleControls } from './controls.js';
import { MselPanel } from './msel.js';
import { SeatsPanel } from './seats.js';
import { reportLinks } from './report-links.js';
import { Timeline } from './timeline.js';
import { NextStrip } from './next-strip.js';

export class ExerciseView {
  constructor({ api, secret, exerciseId, onUnauthorized, onHome }) {
    this.api = api;
    this.exerciseId = exerciseId;
    this.onUnauthorized = onUnauthorized;
    this.onHome = onHome;
    this.events = [];
    this.seatLabels = new Map();
    this.built = false;
    this.fatal = null;
    this.element = h('div', { class: 'exercise-view' }, h('p', { class: 'loading', text: t('control.connecting') }));
    this.session = new Session(`/ws/control/${encodeURIComponent(exerciseId)}`, { secret });
    this.model = new ExerciseModel();
    byId('clock-slot').append(new ClockWidget(this.model).element);
    byId('connection-slot').append(new ConnectionIndicator(this.session).element);
    this.session.on('hello', (hello) => this.onHello(hello));
    this.session.on('event', (event, { history }) => this.onEvent(event, history));
    this.session.on('heartbeat', (beat) => this.model.clock.syncWall(beat.wall_time));
    this.session.on('scores', (card) => {
      this.lastScores = card;
      this.scoreboard?.update(card);
    });
    this.session.on('notice', (error) => notify(byId('notices'), errorText(error), 'error'));
    this.session.on('fatal', (fatal) => this.onFatal(fatal));
    this.model.subscribe(() => this.renderBanners());
    this.session.start();
  }

  close() {
    this.session.stop();
  }

  onFatal(fatal) {
    if (fatal.code === 4401) {
      this.onUnauthorized();
      return;
    }
    this.fatal = fatal;
    this.renderBanners();
    if (!this.built) {
      const back = h('button', { type: 'button', class: 'button secondary', text: t('control.back_home') });
      back.addEventListener('click', () => this.onHome());
      fill(
        this.element,
        h(
          'section',
          { class: 'panel narrow' },
          h('h1', { text: t('control.cannot_open') }),
          h('p', { text: fatalText(fatal) }),
          back,
        ),
      );
    }
  }

  onHello(hello) {
    this.model.load(hello);
    if (!this.built) this.build();
    this.countRuns();
  }

  /** The report links need to know whether this scenario has run before (for "Compare runs"). */
  async countRuns() {
    try {
      const exercises = await this.api.exercises();
      const scenarioId = this.model.scenario.data.id;
      this.runs = exercises.filter((exercise) => exercise.scenario_id === scenarioId).length;
      this.renderLinks();
    } catch {
      // Without the list the report link is still there; only "Compare runs" waits for the next visit.
    }
  }

  renderLinks() {
    if (!this.links) return;
    fill(
      this.links,
      reportLinks(this.exerciseId, this.model.scenario.data.id, this.title || this.model.scenario.title, this.runs),
    );
  }

  /** Build the view again in the language shown now, from the same session, model and events. */
  rebuild() {
    if (!this.built) {
      if (this.fatal) {
        const fatal = this.fatal;
        this.fatal = null;
        this.onFatal(fatal);
      } else fill(this.element, h('p', { class: 'loading', text: t('control.connecting') }));
      return;
    }
    const previous = { seats: this.seats.seats, linked: this.composer.linked };
    this.element = h('div', { class: 'exercise-view' });
    this.built = false;
    this.build(previous);
  }

  onEvent(event, history) {
    this.events.push(event); // first: views that the model's change wakes may look at the events
    if (!history) this.model.apply(event);
    if (event.type === 'seat_issued') this.seatLabels.set(event.payload.seat_id, event.payload);
    if (event.type === 'exercise_created') {
      this.title = event.payload.title;
      this.renderTitle();
      this.renderLinks(); // they may have been drawn before the title came (the list of runs can arrive first)
    }
    if (!this.built) return;
    if (history && event.type === 'inject_released' && event.payload.cause === 'adhoc') this.msel.sync();
    this.timeline.add(event);
    if (event.type === 'observation_added') this.composer.addRecorded(event);
    if (!history && (event.type === 'seat_issued' || event.type === 'seat_revoked')) this.seats.load();
  }

  /** Build the view; after a language switch `previous` carries the seats and linked events it had. */
  build(previous = null) {
    this.dropViews?.();
    [, this.dropViews] = this.model.collect(() => this.buildViews(previous));
    this.built = true;
    if (this.lastScores) this.scoreboard.update(this.lastScores);
    for (const event of this.events) {
      this.timeline.add(event);
      if (event.type === 'observation_added') this.composer.addRecorded(event);
    }
    if (previous) {
      this.seats.seats = previous.seats;
      this.seats.render();
      for (const [seq, summary] of previous.linked) {
        this.composer.toggleLink(seq, this.timeline.summary(seq) || summary);
      }
    }
    this.seats.load();
    this.renderTitle();
    this.renderLinks();
    this.renderBanners();
  }

  buildViews() {
    const model = this.model;
    const session = this.session;
    const seatLabel = (seatId) => {
      const seat = this.seatLabels.get(seatId);
      return seat ? model.scenario.seatName(seat) : this.seats?.seatLabel(seatId) || seatId;
    };
    this.composer = new ObservationComposer({
      session,
      scenario: model.scenario,
      onLinksChanged: (seqs) => this.timeline?.setLinked(seqs),
    });
    this.timeline = new Timeline({
      model,
      seatLabel,
      onToggleLink: (seq, summary) => this.composer.toggleLink(seq, summary),
    });
    this.seats = new SeatsPanel({
      api: this.api,
      model,
      exerciseId: this.exerciseId,
      onSeats: (seats) => {
        seats.forEach((seat) => this.seatLabels.set(seat.id, seat));
        this.msel?.sync(); // read receipts name seats: now the names are known
      },
    });
    this.msel = new MselPanel({
      session,
      model,
      seatLabel,
      actedAfter: (injectId, releasedSeq) => this.actedAfter(releasedSeq),
      releaseOf: (injectId) =>
        this.events.find((event) => event.type === 'inject_released' && event.payload.inject_id === injectId),
    });
    this.scoreboard = new Scoreboard(model, { session });
    this.tabs = new Tabs(
      [
        { key: 'lobby', label: t('control.tab_lobby'), body: this.seats.element },
        { key: 'msel', label: t('control.tab_msel'), body: this.msel.element },
        { key: 'adhoc', label: t('control.tab_adhoc'), body: new AdhocComposer({ session, model }).element },
      ],
      { label: t('control.sections') },
    );
    if (model.status !== 'lobby' && model.status !== 'draft') this.tabs.select('msel', { focus: false });

    this.scoresToggle = h('input', { type: 'checkbox', id: 'scores-visible' });
    this.scoresToggle.addEventListener('change', () => this.setScoresVisible(this.scoresToggle.checked));
    this.scoresStatus = h('span', { class: 'form-status small', role: 'status' });
    const toggle = h(
      'label',
      { class: 'checkbox toggle', for: 'scores-visible' },
      this.scoresToggle,
      h('span', { text: t('scores.show_to_teams') }),
    );
    model.subscribe(() => {
      this.scoresToggle.checked = model.scoresVisible;
    });
    this.scoresToggle.checked = model.scoresVisible;

    const end = scenarioSeconds(model.scenario.data.end);
    this.meta = h('p', {
      class: 'exercise-meta muted',
      text: t('control.meta', { scenario: model.scenario.title, id: this.exerciseId, end: formatScenario(end) }),
    });
    this.links = h('div', { class: 'exercise-links' });
    this.controls = new LifecycleControls({
      session,
      model,
      api: this.api,
      exerciseId: this.exerciseId,
      emptySeats: () => this.emptySeats(),
        heading: h(
          'div',
          { class: 'exercise-head' },
          h('h1', { class: 'exercise-name', id: 'exercise-name' }),
          this.meta,
          this.links,
        ),
    });
    const meters = pressureMeters(
      model,
      model.scenario.teams.map((team) => team.id),
    );
    fill(
      this.element,
      this.controls.element,
      new NextStrip({ model, onFire: (command) => session.send(command) }).element,
      h(
        'div',
        { class: 'control-grid' },
        panel({ title: t('control.manage'), body: this.tabs.element, className: 'manage-panel', id: 'manage' }),
        panel({
          title: t('timeline.title'),
          body: this.timeline.element,
          className: 'timeline-panel',
          id: 'timeline',
          symbol: icon('clock'),
        }),
        h(
          'div',
          { class: 'control-side' },
          meters
            ? panel({
                title: t('pressure.chart'),
                body: meters,
                className: 'pressure-panel',
                id: 'pressure',
              })
            : null,
          panel({
            title: t('channels.title'),
            body: new ChannelsPanel({ session, model }).element,
            className: 'channels-panel',
            id: 'channels',
            symbol: icon('phone'),
          }),
          panel({
            title: t('scores.title'),
            body: [h('div', { class: 'scores-toggle' }, toggle, this.scoresStatus), this.scoreboard.element],
            className: 'scores-panel',
            id: 'scores',
          }),
          panel({
            title: t('observation.title'),
            body: this.composer.element,
            className: 'observation-panel',
            id: 'observe',
            symbol: icon('eye'),
          }),
        ),
      ),
    );
  }

  async setScoresVisible(visible) {
    this.scoresStatus.textContent = t('common.sending');
    try {
      await this.session.send({ type: 'set_scores_visible', visible });
      this.scoresStatus.textContent = visible ? t('scores.now_shown') : t('scores.now_hidden');
    } catch (error) {
      this.scoresStatus.textContent = errorText(error);
      this.scoresToggle.checked = this.model.scoresVisible;
    }
  }

  renderTitle() {
    // An exercise keeps its scenario's title unless the facilitator gave it one: then show it translated.
    const scenario = this.model.loaded ? this.model.scenario : null;
    const custom = this.title && this.title !== scenario?.data.title;
    const title = (custom ? this.title : scenario?.title) || this.title || '';
    byId('exercise-title').textContent = title;
    const heading = this.element.querySelector('#exercise-name');
    if (heading) heading.textContent = title;
    document.title = t('control.page_title_exercise', { title });
  }

  /** Each team's first move after event `seq` (an inject's release). */
  actedAfter(seq) {
    const moves = [];
    for (const event of this.events) {
      if (event.seq <= seq || event.type !== 'action_taken' || !event.actor?.team) continue;
      if (moves.some((move) => move.team === event.actor.team)) continue;
      const label = this.model.scenario.actionLabel(event.payload.action_id, event.payload.label);
      moves.push({ team: event.actor.team, time: event.scenario_time, label });
    }
    return moves;
  }

  /** Roles no joined seat holds (a whole-team seat holds every role of its team), as "Team — Role". */
  emptySeats() {
    const scenario = this.model.scenario;
    const seats = (this.seats?.seats || []).filter((seat) => !seat.revoked_at && seat.kind === 'player');
    const online = (seat) => this.model.online.has(seat.id);
    const empty = [];
    for (const team of scenario.teams) {
      if (seats.some((seat) => seat.team === team.id && seat.role === null && online(seat))) continue;
      for (const role of team.roles) {
        if (!seats.some((seat) => seat.team === team.id && seat.role === role.id && online(seat))) {
          empty.push(`${team.name} — ${role.name}`);
        }
      }
    }
    return empty;
  }

  renderBanners() {
    const banners = [];
    if (this.fatal) banners.push(banner('alert', 'off', t('connection.failed'), fatalText(this.fatal)));
    if (this.model.status === 'paused' && this.model.atEndex) banners.push(this.endexBanner());
    else if (this.model.status === 'paused') banners.push(statusBanner(this.model));
    if (this.model.status === 'ended')
      banners.push(banner('info', 'flag', t('control.ended'), t('control.ended_text')));
    renderBanners(byId('banners'), banners);
  }

  /** The clock reached the planned ENDEX: end now, or extend it and play on. */
  endexBanner() {
    const end = h('button', { type: 'button', class: 'button small danger-outline', text: t('controls.end') });
    end.addEventListener('click', () => this.controls.askEnd());
    const extend = h('button', { type: 'button', class: 'button small primary', text: t('controls.extend') });
    extend.addEventListener('click', () => this.controls.askExtend());
    const element = banner(
      'warning',
      'flag',
      t('control.endex_reached', { time: formatScenario(this.model.endex ?? 0) }),
      t('control.endex_reached_text'),
      [end, extend],
    );
    element.id = 'endex-banner';
    return element;
  }
}
