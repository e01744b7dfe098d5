// The lobby: every seat (team seats, role seats, the observer seat) with who has joined, its join link
// to copy (links are kept for this browser tab only, since the server shows them once), and per seat
// "Reissue link" (a new link; the old one stops working) and "Revoke"; and a form to add a seat.

import { h, fill, options } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';
import { openDialog } from '../dialog.js';
import { runWithStatus } from '../feedback.js';
import { copyText, forgetLink, keepLinks, keptLinks } from './links.js';
import { Handout } from './handout.js';

export class SeatsPanel {
  constructor({ api, model, exerciseId, onSeats }) {
    this.api = api;
    this.model = model;
    this.exerciseId = exerciseId;
    this.onSeats = onSeats;
    this.seats = [];
    this.summary = h('p', { class: 'lobby-summary', 'aria-live': 'polite' });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.table = h('div', { class: 'seat-table' });
    this.handout = new Handout({
      api,
      exerciseId,
      scenarioTitle: () => model.scenario.title,
      rows: () => this.handoutRows(),
    });
    this.element = h(
      'div',
      { class: 'seats' },
      h('p', { class: 'help', text: t('seats.help') }),
      this.handout.element,
      this.summary,
      this.status,
      this.table,
      this.addSeatForm(),
    );
    model.subscribe((_, event) => {
      if (!event || event.type === 'presence_changed') this.render();
    });
  }

  /** The links this tab was given, in the order of the table (team seats, roles, observers). */
  handoutRows() {
    const links = keptLinks(this.exerciseId);
    const scenario = this.model.scenario;
    const order = (seat) => (seat.kind === 'observer' ? 2 : scenario.teamIndex(seat.team) * 0.5);
    return this.seats
      .filter((seat) => !seat.revoked_at && links[seat.id])
      .sort((a, b) => order(a) - order(b))
      .map((seat) => ({
        seat_id: seat.id,
        label: scenario.seatName(seat),
        team: seat.team ? scenario.teamName(seat.team) : '',
        role: seat.role ? scenario.roleName(seat.team, seat.role) : seat.kind === 'observer' ? '' : t('seats.whole_team'),
        kind: seat.kind,
        url: links[seat.id],
      }));
  }

  async load() {
    await runWithStatus(
      async () => {
        this.seats = await this.api.seats(this.exerciseId);
        this.onSeats(this.seats);
        this.render();
      },
      this.status,
      { sendingText: t('common.loading') },
    );
  }

  /** One more seat: a second observer, or a role seat for a player who joins late. */
  addSeatForm() {
    const scenario = this.model.scenario;
    const choices = [['observer', t('seats.add_observer')]];
    for (const team of scenario.teams) {
      choices.push([`team:${team.id}`, t('adhoc.whole_team', { team: team.name })]);
      for (const role of team.roles) choices.push([`role:${team.id}:${role.id}`, `${team.name} — ${role.name}`]);
    }
    const kind = options(h('select', { id: 'add-seat-kind' }), choices, 'observer');
    const status = h('span', { class: 'form-status small', role: 'status' });
    const submit = h('button', { type: 'submit', class: 'button small secondary', text: t('seats.add') });
    const form = h(
      'form',
      { class: 'inline-form add-seat', novalidate: true },
      h('label', { for: 'add-seat-kind', text: t('seats.add_label') }),
      kind,
      submit,
      status,
    );
    form.addEventListener('submit', async (submitted) => {
      submitted.preventDefault();
      const [what, team, role] = kind.value.split(':');
      const body = what === 'observer' ? { kind: 'observer' } : { kind: 'player', team, role: role || null };
      await runWithStatus(
        async () => {
          keepLinks(this.exerciseId, [await this.api.issueSeat(this.exerciseId, body)]);
          await this.load();
        },
        status,
        { busyElement: submit, doneText: t('seats.added') },
      );
    });
    return form;
  }

  seatLabel(seatId) {
    const seat = this.seats.find((candidate) => candidate.id === seatId);
    return seat ? this.model.scenario.seatName(seat) : seatId;
  }

  render() {
    const links = keptLinks(this.exerciseId);
    const active = this.seats.filter((seat) => !seat.revoked_at);
    const online = active.filter((seat) => this.model.online.has(seat.id)).length;
    this.summary.textContent = t('seats.summary', { online, total: active.length });
    this.handout.render();
    const scenario = this.model.scenario;
    const groups = [
      ...scenario.teams.map((team) => ({
        title: team.name,
        index: scenario.teamIndex(team.id),
        seats: this.seats.filter((s) => s.team === team.id),
      })),
      { title: t('seats.observers'), index: null, seats: this.seats.filter((s) => s.kind === 'observer') },
    ].filter((group) => group.seats.length);
    fill(
      this.table,
      groups.map((group) =>
        h(
          'table',
          { class: `table seats-group${group.index === null ? '' : ` team-${group.index}`}` },
          h('caption', { text: group.title }),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['seats.col_seat', 'seats.col_link', 'seats.col_actions'].map((key) =>
                h('th', { scope: 'col', text: t(key) }),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            group.seats.map((seat) => this.row(seat, links[seat.id])),
          ),
        ),
      ),
    );
  }

  row(seat, link) {
    const scenario = this.model.scenario;
    const revoked = Boolean(seat.revoked_at);
    const isOnline = !revoked && this.model.online.has(seat.id);
    const presence = revoked ? 'revoked' : isOnline ? 'online' : 'offline';
    const devices = this.model.devices?.[seat.id] ?? (isOnline ? 1 : 0);
    const label = scenario.seatName(seat);
    let name = label;
    let note = '';
    if (seat.kind === 'observer') note = t('seats.observer_seat');
    else if (seat.role === null) {
      name = t('seats.whole_team');
      note = t('seats.team_seat');
    } else name = scenario.roleName(seat.team, seat.role);
    const status = h('span', { class: 'form-status small', role: 'status' });
    let linkCell;
    if (link && !revoked) {
      const input = h('input', {
        type: 'text',
        readonly: true,
        value: link,
        class: 'link-input',
        'aria-label': t('seats.link_for', { label }),
      });
      const copy = h(
        'button',
        { type: 'button', class: 'button small secondary' },
        icon('copy'),
        h('span', { text: t('seats.copy') }),
      );
      copy.setAttribute('aria-label', t('seats.copy_label', { label }));
      copy.addEventListener('click', async () => {
        const ok = await copyText(link, input);
        status.textContent = ok ? t('seats.copied') : t('seats.copy_failed');
      });
      linkCell = h('div', { class: 'link-cell' }, input, copy);
    } else {
      linkCell = h('p', { class: 'help', text: revoked ? t('seats.revoked_help') : t('seats.link_not_kept') });
    }
    const reissue = h('button', { type: 'button', class: 'button small secondary', text: t('seats.reissue') });
    reissue.setAttribute('aria-label', t('seats.reissue_label', { label }));
    reissue.addEventListener('click', () => this.reissue(seat, status));
    const revoke = h('button', {
      type: 'button',
      class: 'button small danger-outline',
      text: t('seats.revoke'),
      disabled: revoked,
    });
    revoke.setAttribute('aria-label', t('seats.revoke_label', { label }));
    revoke.addEventListener('click', () => this.revoke(seat, status));
    const presenceIcon = { online: 'dot', revoked: 'x', offline: 'ring' }[presence];
    return h(
      'tr',
      { dataset: { seat: seat.id, presence, kind: seat.kind, team: seat.team || '', role: seat.role || '' } },
      h(
        'td',
        {},
        h('span', { class: 'strong block', text: name }),
        note ? h('span', { class: 'muted block small-text', text: note }) : null,
        h(
          'span',
          { class: `presence ${presence}` },
          icon(presenceIcon),
          h('span', { text: t(`seats.${presence}`) }),
          isOnline && devices > 1 ? h('span', { class: 'devices', text: t('seats.devices', { count: devices }) }) : null,
        ),
      ),
      h('td', {}, linkCell, status),
      h('td', {}, h('div', { class: 'cell-actions stacked' }, reissue, revoke)),
    );
  }

  reissue(seat, status) {
    openDialog({
      title: t('seats.reissue_title', { label: this.model.scenario.seatName(seat) }),
      body: [h('p', { text: t('seats.reissue_help') })],
      confirmLabel: t('seats.reissue'),
      onConfirm: async () => {
        const issued = await this.api.reissueSeat(this.exerciseId, seat.id);
        keepLinks(this.exerciseId, [issued]);
        await this.load();
        status.textContent = '';
      },
    });
  }

  revoke(seat) {
    openDialog({
      title: t('seats.revoke_title', { label: this.model.scenario.seatName(seat) }),
      body: [h('p', { text: t('seats.revoke_help') })],
      confirmLabel: t('seats.revoke'),
      tone: 'danger',
      onConfirm: async () => {
        await this.api.revokeSeat(this.exerciseId, seat.id);
        forgetLink(this.exerciseId, seat.id);
        await this.load();
      },
    });
  }
}
