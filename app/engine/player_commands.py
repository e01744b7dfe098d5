"""What players and evaluators may do, and the events it makes.

Each handler checks the command against the seat (team, roles), the scenario and the current state,
and returns event drafts, or raises ``CommandError`` having changed nothing. ``Refused`` is the one
exception that also carries drafts: an attempt on a suspended channel is refused *and* logged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from app.engine import commands as c
from app.engine.channels import channel_audience, channel_switch
from app.engine.commands import CommandError
from app.engine.events import (
    CONTROL,
    ActionTaken,
    Actor,
    ActorKind,
    CableSent,
    CallMessage,
    CallRef,
    CallRequested,
    ChannelRefused,
    ChatMessage,
    EventDraft,
    EventType,
    HotwashSubmitted,
    InjectsSeen,
    LetterSent,
    ObservationAdded,
    StatementPublished,
    TaskRated,
    draft,
    team_audience,
)
from app.engine.letters import next_letter_id, sender_audience
from app.engine.principal import Principal
from app.engine.state import CallState, ExerciseState
from app.engine.visibility import addressed
from app.scenario.schema import ChannelKind, Scenario
from app.scenario.timefmt import format_scenario_time

ANONYMOUS_PREFIX = "anon-"
ANONYMOUS_DIGEST_CHARS = 32


class Refused(CommandError):
    """Refused, but the attempt itself is recorded (docs/architecture.md, "Channels")."""

    def __init__(self, code: str, message: str, drafts: list[EventDraft]) -> None:
        super().__init__(code, message)
        self.drafts = drafts


@dataclass
class PlayContext:
    scenario: Scenario
    state: ExerciseState
    principal: Principal
    ring_min_wall_seconds: float = 0.0


Handler = Callable[[PlayContext, c.CommandBase], list[EventDraft]]


def acting_role(ctx: PlayContext, command: c.PlayerCommand, allowed: list[str] | None, doing: str) -> str | None:
    """The role the seat acts in for this command, or ``CommandError`` if it holds no role allowed to."""
    principal = ctx.principal
    if principal.kind != "player" or principal.team is None:
        raise CommandError("forbidden", f"Only a player seat can {doing}.")
    if command.team is not None and command.team != principal.team:
        raise CommandError(
            "forbidden", f"This seat belongs to team '{principal.team}'; it cannot act for '{command.team}'."
        )
    if command.role is not None:
        if command.role not in principal.roles:
            raise CommandError("forbidden", f"This seat does not hold the role '{command.role}'.")
        if allowed is not None and command.role not in allowed:
            raise CommandError("forbidden", f"The role '{command.role}' may not {doing}.")
        return command.role
    team_roles = [role.id for role in ctx.scenario.team(principal.team).roles if role.id in principal.roles]
    if allowed is None:
        return team_roles[0] if len(team_roles) == 1 else None
    for role in team_roles:
        if role in allowed:
            return role
    raise CommandError("forbidden", f"No role of this seat may {doing}.")


def _require_running(ctx: PlayContext) -> None:
    status = ctx.state.status
    if status == "paused":
        raise CommandError("paused", f"The exercise is paused ({ctx.state.pause_reason}); wait for it to resume.")
    if status != "running":
        raise CommandError("not_running", f"The exercise is {status}; moves can be made only while it runs.")


def _roles_for_channel(ctx: PlayContext, channel_id: str) -> list[str]:
    return [role for team, role in ctx.scenario.holders(channel_id) if team == ctx.principal.team]


def _channel_audience(ctx: PlayContext, channel_id: str) -> list[str]:
    return channel_audience(ctx.scenario, channel_id)


def _refuse_if_suspended(ctx: PlayContext, channel_id: str, attempted: str, role: str | None) -> None:
    channel = ctx.state.channels.get(channel_id)
    if channel is None or not channel.suspended:
        return
    assert ctx.principal.team is not None
    reason = f"The {channel_id} channel is suspended" + (f": {channel.reason}" if channel.reason else ".")
    logged = draft(
        EventType.channel_refused,
        ctx.principal.actor(role),
        [CONTROL, team_audience(ctx.principal.team)],
        ChannelRefused(channel=channel_id, attempted=attempted, reason=reason),
    )
    raise Refused("channel_suspended", reason, [logged])


def send_chat(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SendChat)
    role = acting_role(ctx, command, None, "chat")
    if ctx.state.status in ("draft", "ended"):
        raise CommandError("not_running", f"Team chat is closed while the exercise is {ctx.state.status}.")
    assert ctx.principal.team is not None
    return [
        draft(
            EventType.chat_message,
            ctx.principal.actor(role),
            [team_audience(ctx.principal.team)],
            ChatMessage(text=command.text),
        )
    ]


def take_action(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.TakeAction)
    action = ctx.scenario.action(command.action_id)
    team = ctx.principal.team
    if action is None or (action.teams and team not in action.teams):
        # The other team's restricted actions are not in this team's catalog: the answer is the same.
        raise CommandError("not_found", f"There is no action '{command.action_id}' in your team's catalog.")
    allowed = action.roles or ([role.id for role in ctx.scenario.team(team).roles] if team else [])
    role = acting_role(ctx, command, allowed, f"take '{action.label}'")
    _require_running(ctx)
    _refuse_if_suspended(ctx, action.channel, "take_action", role)
    assert team is not None
    actor = ctx.principal.actor(role)
    audience = ["all"] if action.visibility == "public" else [team_audience(team)]
    drafts = [
        draft(
            EventType.action_taken,
            actor,
            audience,
            ActionTaken.of(action, command.text),
            internal={"rationale": command.rationale} if command.rationale else None,
        )
    ]
    for channel_id, suspend in ((action.suspends, True), (action.restores, False)):
        if channel_id is not None:
            reason = f"{action.label} ({ctx.scenario.team(team).name})"
            drafts.extend(channel_switch(ctx.scenario, ctx.state, channel_id, suspend, reason, actor))
    return drafts


def request_call(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.RequestCall)
    channel = ctx.scenario.channel(command.channel)
    if channel is None or channel.kind is not ChannelKind.call:
        raise CommandError("not_found", f"'{command.channel}' is not a call channel in this scenario.")
    role = acting_role(ctx, command, _roles_for_channel(ctx, channel.id), f"call on the {channel.name}")
    _require_running(ctx)
    _refuse_if_suspended(ctx, channel.id, "call_request", role)
    busy = ctx.state.ringing_or_connected(channel.id)
    if busy is not None:
        raise CommandError("busy", f"The {channel.name} is busy: a call is already {busy.status}.")
    assert ctx.principal.team is not None
    request = CallRequested(
        call_id=f"call-{ctx.state.call_count + 1}",
        channel=channel.id,
        from_team=ctx.principal.team,
        to_team=ctx.scenario.other_team(ctx.principal.team),
        # At high compression the scenario's ring time lasts a few wall seconds: ring long enough to answer.
        ring_for=max(float(ctx.scenario.ring_timeout), ctx.ring_min_wall_seconds * ctx.state.compression),
    )
    return [draft(EventType.call_requested, ctx.principal.actor(role), _channel_audience(ctx, channel.id), request)]


def _sees_call(ctx: PlayContext, call: CallState) -> bool:
    """Whether this seat received the call's events: its team is a party and it holds the line."""
    holders = set(_roles_for_channel(ctx, call.channel))
    return ctx.principal.team in (call.from_team, call.to_team) and bool(holders & ctx.principal.roles)


def _call_for(ctx: PlayContext, call_id: str, doing: str, command: c.PlayerCommand) -> tuple[CallState, str | None]:
    call = ctx.state.calls.get(call_id)
    if call is None or (ctx.principal.kind == "player" and not _sees_call(ctx, call)):
        # A call this seat never saw gets the same answer as one that does not exist.
        raise CommandError("not_found", f"There is no call '{call_id}'.")
    role = acting_role(ctx, command, _roles_for_channel(ctx, call.channel), doing)
    return call, role


def _answer(ctx: PlayContext, command: c.CommandBase, accept: bool) -> list[EventDraft]:
    assert isinstance(command, c.AcceptCall | c.DeclineCall)
    call, role = _call_for(ctx, command.call_id, "answer this call", command)
    if call.to_team != ctx.principal.team:
        raise CommandError("forbidden", "Only the called side can answer a call.")
    _require_running(ctx)
    if call.status != "ringing":
        raise CommandError("invalid_state", f"This call is {call.status}; only a ringing call can be answered.")
    if accept:
        _refuse_if_suspended(ctx, call.channel, "call_accept", role)
    kind = EventType.call_accepted if accept else EventType.call_declined
    return [
        draft(
            kind,
            ctx.principal.actor(role),
            _channel_audience(ctx, call.channel),
            CallRef(call_id=call.call_id, channel=call.channel),
        )
    ]


def accept_call(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    return _answer(ctx, command, accept=True)


def decline_call(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    return _answer(ctx, command, accept=False)


def _words(command: c.Substance) -> dict[str, str | None]:
    """What was said, trimmed; empty parts become None so that they never count as substance."""

    def clean(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    return {
        "text": command.text.strip(),
        "facts": clean(command.facts),
        "intent": clean(command.intent),
        "proposal": clean(command.proposal),
    }


def call_message(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SendCallMessage)
    call, role = _call_for(ctx, command.call_id, "speak on this call", command)
    _require_running(ctx)
    _refuse_if_suspended(ctx, call.channel, "call_message", role)
    if call.status != "connected":
        raise CommandError("invalid_state", f"This call is {call.status}; messages need a connected call.")
    message = CallMessage(call_id=call.call_id, channel=call.channel, **_words(command))
    return [draft(EventType.call_message, ctx.principal.actor(role), _channel_audience(ctx, call.channel), message)]


def send_letter(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    """A teletype or a letter to the other leader; the other side sees it when it is delivered."""
    assert isinstance(command, c.SendLetter)
    channel = ctx.scenario.channel(command.channel)
    media = ctx.scenario.letter_media(command.channel)
    if channel is None or not media:
        raise CommandError("not_found", f"'{command.channel}' carries no letters in this scenario.")
    if command.medium not in media:
        offered = ", ".join(f"{medium} ({format_scenario_time(delay, prefix='')})" for medium, delay in media.items())
        raise CommandError("invalid", f"The {channel.name} carries no {command.medium}; it carries: {offered}.")
    role = acting_role(ctx, command, _roles_for_channel(ctx, channel.id), f"write on the {channel.name}")
    _require_running(ctx)
    _refuse_if_suspended(ctx, channel.id, "send_letter", role)
    team = ctx.principal.team
    assert team is not None
    letter = LetterSent(
        letter_id=next_letter_id(ctx.state),
        channel=channel.id,
        medium=command.medium,
        from_team=team,
        to_team=ctx.scenario.other_team(team),
        subject=command.subject.strip(),
        delay=float(media[command.medium]),
        **_words(command),
    )
    audience = sender_audience(ctx.scenario, channel.id, team)
    return [draft(EventType.letter_sent, ctx.principal.actor(role), audience, letter)]


def hang_up(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.HangUp)
    call, role = _call_for(ctx, command.call_id, "hang up this call", command)
    if call.status not in ("ringing", "connected"):
        raise CommandError("invalid_state", f"This call is already {call.status}.")
    if call.status == "ringing" and call.from_team != ctx.principal.team:
        raise CommandError("invalid_state", "Answer or decline a ringing call; only the caller can cancel it.")
    return [
        draft(
            EventType.call_ended,
            ctx.principal.actor(role),
            _channel_audience(ctx, call.channel),
            CallRef(call_id=call.call_id, channel=call.channel),
        )
    ]


def _channel_of_kind(ctx: PlayContext, kind: ChannelKind, doing: str) -> tuple[str, list[str]]:
    """The first channel of ``kind`` that some role of this seat's team may use, with those roles."""
    for channel in ctx.scenario.channels_of_kind(kind):
        roles = _roles_for_channel(ctx, channel.id)
        if roles:
            return channel.id, roles
    raise CommandError("forbidden", f"No role of this team may {doing} in this scenario.")


def send_cable(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SendCable)
    channel_id, roles = _channel_of_kind(ctx, ChannelKind.cable, "send cables")
    role = acting_role(ctx, command, roles, "send cables")
    _require_running(ctx)
    _refuse_if_suspended(ctx, channel_id, "send_cable", role)
    assert ctx.principal.team is not None
    cable = CableSent(to_team=ctx.scenario.other_team(ctx.principal.team), subject=command.subject, text=command.text)
    return [draft(EventType.cable_sent, ctx.principal.actor(role), _channel_audience(ctx, channel_id), cable)]


def publish_statement(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.PublishStatement)
    channel_id, roles = _channel_of_kind(ctx, ChannelKind.statement, "make public statements")
    role = acting_role(ctx, command, roles, "make public statements")
    _require_running(ctx)
    _refuse_if_suspended(ctx, channel_id, "publish_statement", role)
    return [
        draft(EventType.statement_published, ctx.principal.actor(role), ["all"], StatementPublished(text=command.text))
    ]


def anonymous_actor(principal: Principal) -> Actor:
    """Who an anonymous hot-wash answer is recorded as: the team only, no seat, no role."""
    return Actor(kind=ActorKind.player, team=principal.team)


def anonymous_receipt(principal: Principal, command_id: str) -> str:
    """The id an anonymous answer is recorded under: one-way, so the client's id (which may share a
    prefix with that console's other commands) never reaches the log, yet a resend finds it again."""
    digest = hashlib.sha256(f"{principal.seat_id}\n{command_id}".encode()).hexdigest()
    return ANONYMOUS_PREFIX + digest[:ANONYMOUS_DIGEST_CHARS]


def command_key(principal: Principal, command: c.CommandBase) -> tuple[str, str]:
    """(sender, recorded id) under which a command is applied once: a resend with the same id finds it.

    For everything but an anonymous hot-wash answer that is the seat and the client's id. An anonymous
    answer is recorded under the team and a receipt that cannot be traced back to the seat.
    """
    if isinstance(command, c.SubmitHotwash) and command.anonymous and principal.kind == "player":
        return anonymous_actor(principal).key, anonymous_receipt(principal, command.id)
    return principal.actor().key, command.id


def submit_hotwash(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SubmitHotwash)
    role = acting_role(ctx, command, None, "answer the hot wash")
    if ctx.state.status != "ended":
        raise CommandError("not_ended", "The hot wash opens at ENDEX, when the exercise has ended.")
    actor = anonymous_actor(ctx.principal) if command.anonymous else ctx.principal.actor(role)
    answer = HotwashSubmitted(
        worked=command.worked,
        did_not_work=command.did_not_work,
        pressure=command.pressure,
        rating=command.rating,
        anonymous=command.anonymous,
    )
    return [draft(EventType.hotwash_submitted, actor, [CONTROL], answer)]


def mark_seen(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    """Read receipts: the injects the seat's console showed that it had not reported before."""
    assert isinstance(command, c.MarkSeen)
    acting_role(ctx, command, None, "report what it has read")
    seat = ctx.principal.seat_id or ctx.principal.actor().key
    fresh = [
        inject_id
        for inject_id in dict.fromkeys(command.inject_ids)
        if (known := ctx.state.injects.get(inject_id)) is not None
        and known.status == "released"
        # An inject the seat was not sent is treated as unknown: the ack must not tell it was released.
        and addressed(ctx.principal.viewer, known.audience)
        and seat not in ctx.state.seen.get(inject_id, {})
    ]
    if not fresh:
        return []
    return [draft(EventType.injects_seen, ctx.principal.actor(), [CONTROL], InjectsSeen(inject_ids=fresh))]


def _require_evaluator(ctx: PlayContext) -> None:
    if ctx.principal.kind not in ("control", "observer"):
        raise CommandError("forbidden", "Only the control cell and observers can record observations and ratings.")
    if ctx.state.status == "draft":
        raise CommandError("not_running", "Open the lobby before recording observations.")


def add_observation(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.AddObservation)
    _require_evaluator(ctx)
    unknown = [seq for seq in command.linked_seqs if not 1 <= seq <= ctx.state.last_seq]
    if unknown:
        raise CommandError("not_found", f"No event with seq {unknown[0]} in this exercise.")
    if command.objective_id and command.objective_id not in {o.id for o in ctx.scenario.objectives}:
        raise CommandError("not_found", f"There is no objective '{command.objective_id}'.")
    observation = ObservationAdded(
        text=command.text,
        author=ctx.principal.label or ctx.principal.kind,
        linked_seqs=sorted(set(command.linked_seqs)),
        objective_id=command.objective_id,
        rating=command.rating,
    )
    return [draft(EventType.observation_added, ctx.principal.actor(), [CONTROL], observation)]


def rate_task(ctx: PlayContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.RateTask)
    _require_evaluator(ctx)
    task = next((t for o in ctx.scenario.objectives for t in o.tasks if t.id == command.task_id), None)
    if task is None:
        raise CommandError("not_found", f"There is no task '{command.task_id}'.")
    team = command.team if command.team is not None else (None if task.team == "both" else task.team)
    if team is not None and team not in {t.id for t in ctx.scenario.teams}:
        raise CommandError("not_found", f"There is no team '{team}'.")
    if task.team != "both" and team != task.team:
        raise CommandError("invalid", f"Task '{task.id}' belongs to team '{task.team}'.")
    rating = TaskRated(task_id=task.id, team=team, rating=command.rating, rationale=command.rationale)
    return [draft(EventType.task_rated, ctx.principal.actor(), [CONTROL], rating)]


HANDLERS: dict[str, Handler] = {
    "send_chat": send_chat,
    "take_action": take_action,
    "call_request": request_call,
    "call_accept": accept_call,
    "call_decline": decline_call,
    "call_message": call_message,
    "call_hangup": hang_up,
    "send_letter": send_letter,
    "send_cable": send_cable,
    "publish_statement": publish_statement,
    "submit_hotwash": submit_hotwash,
    "mark_seen": mark_seen,
    "add_observation": add_observation,
    "rate_task": rate_task,
}
