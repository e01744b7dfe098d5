// The team console: the inject feed, the action panel and team chat, and the panels for the channels
// this seat's roles hold (hotline for the leader, with its letters, mil-mil for defense, cables for
// diplomacy, public statements for press and leader), the other side's public moves, and the scoreboard
// when the facilitator shows it. With a media world, the feed gains a social feed and a news site, and the
// team sees its domestic pressure. A team seat holds every role of its team and so shows every panel.

import { h, panel } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { injectText } from '../scenario.js';
import { Scoreboard } from '../scoreboard.js';
import { ActionPanel } from './actions.js';
import { CablePanel } from './cables.js';
import { CallPanel } from './call-panel.js';
import { LetterPanel } from './letters.js';
import { TeamChat } from './chat.js';
import { InjectFeed } from './feed.js';
import { PublicMoves, StatementPanel } from './statements.js';
import { EndedPanel } from './ended.js';
import { BriefingPanel } from './briefing.js';
import { Alerts } from './alerts.js';
import { mountHotwash } from '../../report/hotwash.js';
import { mountMediaPanes } from './media.js';
import { pressureMeters } from '../pressure-meter.js';

export class TeamConsole {
  constructor({ session, model, toasts }) {
    this.session = session;
    this.model = model;
    const scenario = model.scenario;
    const you = model.you;
    const holds = (channel) => scenario.seatHolds(you.team, you.roles, channel.id);
    const seatKey = you.seat_id || you.team;

    this.alerts = new Alerts({ exerciseId: model.exerciseId, seatKey, area: toasts });
    this.feed = new InjectFeed({
      scenario,
      exerciseId: model.exerciseId,
      seatKey,
      onSeen: (ids) => this.reportSeen(ids),
    });
    this.showMedia = mountMediaPanes(this.feed, model);
    this.briefing = new BriefingPanel({ model });
    this.actions = new ActionPanel({ session, model });
    this.chat = new TeamChat({ session, model });
    this.calls = scenario
      .channelsOfKind('call')
      .filter(holds)
      .map((channel) => ({
        channel,
        view: new CallPanel({ session, model, channelId: channel.id }),
        letters: model.letters[channel.id]
          ? new LetterPanel({ session, model, channelId: channel.id, media: model.letters[channel.id] })
          : null,
      }));
    const cableChannel = scenario.channelsOfKind('cable').find(holds);
    this.cables = cableChannel ? new CablePanel({ session, model, channelId: cableChannel.id }) : null;
    const statementChannel = scenario.channelsOfKind('statement').find(holds);
    this.statements = statementChannel ? new StatementPanel({ session, model, channelId: statementChannel.id }) : null;
    this.publicMoves = new PublicMoves({ model });
    this.scoreboard = new Scoreboard(model);
    this.ended = new EndedPanel({ model });
    mountHotwash(this.ended.slot, { send: (command) => session.send(command), model });

    const other = scenario.otherTeam(you.team);
    this.scorePanel = panel({ title: t('scores.title'), body: this.scoreboard.element, className: 'scores-panel' });
    const comms = [
      ...this.calls.map(({ channel, view, letters }) =>
        panel({
          title: channel.name,
          body: letters ? [view.element, letters.element] : view.element,
          className: `call-channel channel-${channel.id}`,
          symbol: icon('phone'),
        }),
      ),
      this.cables
        ? panel({
            title: cableChannel.name,
            body: this.cables.element,
            className: 'cables-panel',
            symbol: icon('cable'),
          })
        : null,
      this.statements
        ? panel({
            title: statementChannel.name,
            body: this.statements.element,
            className: 'statements-panel',
            symbol: icon('megaphone'),
          })
        : null,
      panel({
        title: t('public.title_team', { team: other?.name || '' }),
        body: this.publicMoves.element,
        className: 'public-panel',
        symbol: icon('eye'),
      }),
      this.scorePanel,
    ];
    this.element = h(
      'div',
      { class: 'team-console', dataset: { teamIndex: String(scenario.teamIndex(you.team)) } },
      this.ended.element,
      this.briefing.element,
      pressureMeters(model, [you.team]),
      h(
        'div',
        { class: 'play-grid' },
        panel({
          title: t('feed.title'),
          body: this.feed.element,
          className: 'feed-panel',
          id: 'feed',
          actions: [this.alerts.controls()],
        }),
        h(
          'div',
          { class: 'play-column decide' },
          panel({ title: t('actions.title'), body: this.actions.element, className: 'actions-panel', id: 'actions' }),
          panel({ title: t('chat.title'), body: this.chat.element, className: 'chat-panel', id: 'chat' }),
        ),
        h('div', { class: 'play-column comms' }, comms),
      ),
    );
    model.subscribe(() => this.sync());
    this.sync();
  }

  sync() {
    this.scorePanel.hidden = !this.model.scoresVisible;
    this.alerts.ringing(this.incomingCalls().length > 0);
  }

  /** Read receipts for the control cell; a failure is not the player's problem (sent again next time). */
  reportSeen(injectIds) {
    if (!['lobby', 'running', 'paused', 'ended'].includes(this.model.status)) return;
    this.session.send({ type: 'mark_seen', inject_ids: injectIds.slice(0, 200) }).catch(() => {});
  }

  /** Route one event to the panels that show it; `fresh` events (not from before this page) alert. */
  add(event, { fresh = false } = {}) {
    const mine = event.actor?.team === this.model.you.team;
    if (fresh) this.alert(event, mine);
    switch (event.type) {
      case 'inject_released':
        this.feed.add(event);
        break;
      case 'media_published':
        this.showMedia?.(event);
        break;
      case 'chat_message':
        this.chat.add(event);
        break;
      case 'action_taken':
        if (mine) this.actions.addMove(event);
        break;
      case 'statement_published':
        if (mine && this.statements) this.statements.add(event);
        break;
      case 'cable_sent':
        if (this.cables) this.cables.add(event);
        break;
      case 'exercise_ended':
        this.ended.setReason(event.payload.reason);
        break;
      default:
        break;
    }
    if (this.publicMoves.accepts(event)) this.publicMoves.add(event);
    for (const { view, letters } of this.calls) {
      if (view.accepts(event)) view.add(event);
      if (letters?.accepts(event)) letters.add(event);
    }
  }

  alert(event, mine) {
    const scenario = this.model.scenario;
    if (event.type === 'inject_released') {
      const { title } = injectText(event.payload);
      this.alerts.notify('inject', title, scenario.channelName(event.payload.channel));
    } else if (event.type === 'call_requested' && !mine && event.payload.to_team === this.model.you.team) {
      const channel = scenario.channelName(event.payload.channel);
      this.alerts.notify('call', t('banner.incoming', { channel }), t('banner.incoming_from', { team: scenario.teamName(event.actor.team) }));
    } else if (event.type === 'letter_delivered' && event.payload.from_team !== this.model.you.team) {
      const { medium, from_team: from, subject } = event.payload;
      const what = t('letters.incoming', { team: scenario.teamName(from), medium: t(`letters.medium.${medium}`) });
      this.alerts.notify('letter', what, subject || '');
    } else if (event.type === 'statement_published' && !mine) {
      this.alerts.notify('statement', t('alerts.statement', { team: scenario.teamName(event.actor.team) }), event.payload.text);
    }
  }

  showScores(card) {
    this.scoreboard.update(card);
  }

  /** Calls ringing for us, for the banner at the top of the page. */
  incomingCalls() {
    return this.calls.filter(({ view }) => view.incoming()).map(({ channel, view }) => ({ channel, view }));
  }
}
