"""Exercise state as a fold of its events (docs/architecture.md, "The event log").

``fold(scenario, events)`` rebuilds the whole state from the log; the running engine applies each new
event with ``apply`` to the state it already holds, so the two can never disagree. Nothing here reads
the clock or the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from app.engine.events import (
    ActionTaken,
    CallMessage,
    CallRequested,
    ClockAnchor,
    Event,
    EventType,
    InjectReleased,
    LetterSent,
    PresenceChanged,
)
from app.media.reactions import MediaState, apply_media, new_media_state
from app.models import ExerciseStatus
from app.scenario.schema import Scenario

InjectStatusName = Literal["pending", "released", "held", "skipped"]
CallStatusName = Literal["ringing", "connected", "declined", "missed", "ended"]


@dataclass
class InjectState:
    status: InjectStatusName = "pending"
    released_seq: int | None = None
    released_at: float | None = None
    late: bool = False
    cause: str | None = None
    audience: list[str] = field(default_factory=list)
    """Who the release went to (an ad hoc inject's audience is known only from its event)."""


@dataclass
class CallState:
    call_id: str
    channel: str
    from_team: str
    to_team: str
    requested_at: float
    ring_deadline: float
    status: CallStatusName = "ringing"
    accepted_at: float | None = None
    substantive: bool = False


@dataclass
class LetterState:
    """A written message on its way to the other leader, or delivered."""

    content: LetterSent
    sent_seq: int
    sent_at: float
    delivered: bool = False

    @property
    def deliver_at(self) -> float:
        return self.sent_at + self.content.delay

    @property
    def letter_id(self) -> str:
        return self.content.letter_id

    @property
    def channel(self) -> str:
        return self.content.channel


@dataclass
class ChannelState:
    suspended: bool = False
    reason: str = ""
    active_call: str | None = None


@dataclass
class TeamMove:
    seq: int
    scenario_time: float
    action_id: str
    band: int


@dataclass
class ExerciseState:
    exercise_id: str
    status: ExerciseStatus = "draft"
    anchor: ClockAnchor | None = None
    compression: float = 1.0
    pause_reason: str = ""
    last_seq: int = 0
    injects: dict[str, InjectState] = field(default_factory=dict)
    adhoc_count: int = 0
    channels: dict[str, ChannelState] = field(default_factory=dict)
    calls: dict[str, CallState] = field(default_factory=dict)
    call_count: int = 0
    letters: dict[str, LetterState] = field(default_factory=dict)
    online: dict[str, bool] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    links_issued: dict[str, int] = field(default_factory=dict)
    """Per seat, the seq of its latest ``seat_issued``: a newer one means the seat's old link stopped working."""
    substantive_contact: dict[str, float] = field(default_factory=dict)
    moves: dict[str, list[TeamMove]] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    scores_visible: bool = False
    endex: float = 0.0
    auto_end: bool = False
    at_endex: bool = False
    devices: dict[str, int] = field(default_factory=dict)
    seen: dict[str, dict[str, float]] = field(default_factory=dict)
    media: MediaState | None = None
    """Reactions due and each team's pressure; None for a scenario without a media world."""

    @property
    def running(self) -> bool:
        return self.status == "running"

    def first_move(self, action_id: str, team: str | None) -> TeamMove | None:
        candidates = [
            move
            for team_id, moves in self.moves.items()
            if team is None or team_id == team
            for move in moves
            if move.action_id == action_id
        ]
        return min(candidates, key=lambda move: move.seq, default=None)

    def first_band(self, band: int, team: str | None) -> TeamMove | None:
        candidates = [
            move
            for team_id, moves in self.moves.items()
            if team is None or team_id == team
            for move in moves
            if move.band >= band
        ]
        return min(candidates, key=lambda move: move.seq, default=None)

    def ringing_or_connected(self, channel: str) -> CallState | None:
        call_id = self.channels[channel].active_call if channel in self.channels else None
        return self.calls.get(call_id) if call_id else None


def initial_state(exercise_id: str, scenario: Scenario) -> ExerciseState:
    return ExerciseState(
        exercise_id=exercise_id,
        injects={inject.id: InjectState() for inject in scenario.injects},
        channels={channel.id: ChannelState() for channel in scenario.channels},
        moves={team.id: [] for team in scenario.teams},
        endex=float(scenario.end),
        media=new_media_state(scenario),
    )


def fold(exercise_id: str, scenario: Scenario, events: Iterable[Event]) -> ExerciseState:
    state = initial_state(exercise_id, scenario)
    for event in events:
        apply(state, scenario, event)
    return state


_CLOCK_STATUS: dict[EventType, ExerciseStatus] = {
    EventType.exercise_started: "running",
    EventType.exercise_paused: "paused",
    EventType.exercise_resumed: "running",
    EventType.exercise_ended: "ended",
}


def apply(state: ExerciseState, scenario: Scenario, event: Event) -> None:
    """Fold one event into ``state`` (which the caller owns)."""
    if event.seq != state.last_seq + 1:
        raise ValueError(f"event seq {event.seq} does not follow {state.last_seq}")
    state.last_seq = event.seq
    if event.command_id is not None:
        state.commands.setdefault((event.actor.key, event.command_id), []).append(event.seq)
    payload = event.payload
    kind = event.type
    if state.media is not None:
        apply_media(state.media, scenario, event)

    if "clock" in payload:  # every clock change carries the new anchor
        state.anchor = ClockAnchor.model_validate(payload["clock"])
    if kind in (EventType.exercise_created, EventType.compression_changed):
        state.compression = float(payload["compression"])
    if kind in _CLOCK_STATUS:
        state.status = _CLOCK_STATUS[kind]
        state.pause_reason = payload.get("reason", "") if kind is EventType.exercise_paused else ""
        state.at_endex = bool(payload.get("at_endex")) if kind is EventType.exercise_paused else False
        if kind is EventType.exercise_ended:
            _end_open_calls(state)
    elif kind is EventType.lobby_opened:
        state.status = "lobby"
    elif kind is EventType.inject_released:
        released = InjectReleased.model_validate(payload)
        if released.cause == "adhoc":
            state.adhoc_count += 1
        inject_state = state.injects.setdefault(released.inject_id, InjectState())
        inject_state.status = "released"
        inject_state.released_seq = event.seq
        inject_state.released_at = event.scenario_time
        inject_state.late = released.late
        inject_state.cause = released.cause
        inject_state.audience = list(event.audience)
    elif kind is EventType.inject_held:
        state.injects[payload["inject_id"]].status = "held"
    elif kind is EventType.inject_unheld:
        state.injects[payload["inject_id"]].status = "pending"
    elif kind is EventType.inject_skipped:
        state.injects[payload["inject_id"]].status = "skipped"
    elif kind is EventType.seat_issued:
        state.revoked.discard(payload["seat_id"])
        state.links_issued[payload["seat_id"]] = event.seq
    elif kind is EventType.seat_revoked:
        state.revoked.add(payload["seat_id"])
        state.online.pop(payload["seat_id"], None)
        state.devices.pop(payload["seat_id"], None)
    elif kind is EventType.presence_changed:
        presence = PresenceChanged.model_validate(payload)
        state.online[presence.seat_id] = presence.online
        devices = presence.devices if presence.devices is not None else int(presence.online)
        state.devices[presence.seat_id] = devices if presence.online else 0
    elif kind is EventType.endex_extended:
        state.endex = float(payload["to_time"])
        state.at_endex = False
    elif kind is EventType.auto_end_changed:
        state.auto_end = bool(payload["enabled"])
    elif kind is EventType.injects_seen:
        seat = event.actor.seat_id or event.actor.key
        for inject_id in payload["inject_ids"]:
            state.seen.setdefault(inject_id, {}).setdefault(seat, event.scenario_time)
    elif kind is EventType.action_taken:
        action = ActionTaken.model_validate(payload)
        if event.actor.team is not None:
            state.moves.setdefault(event.actor.team, []).append(
                TeamMove(seq=event.seq, scenario_time=event.scenario_time, action_id=action.action_id, band=action.band)
            )
    elif kind is EventType.call_requested:
        request = CallRequested.model_validate(payload)
        state.call_count += 1
        state.calls[request.call_id] = CallState(
            call_id=request.call_id,
            channel=request.channel,
            from_team=request.from_team,
            to_team=request.to_team,
            requested_at=event.scenario_time,
            ring_deadline=event.scenario_time
            + (scenario.ring_timeout if request.ring_for is None else request.ring_for),
        )
        state.channels[request.channel].active_call = request.call_id
    elif kind is EventType.call_accepted:
        call = state.calls[payload["call_id"]]
        call.status = "connected"
        call.accepted_at = event.scenario_time
    elif kind in (EventType.call_declined, EventType.call_missed, EventType.call_ended):
        call = state.calls[payload["call_id"]]
        call.status = {
            EventType.call_declined: "declined",
            EventType.call_missed: "missed",
            EventType.call_ended: "ended",
        }[kind]  # type: ignore[assignment]
        if state.channels[call.channel].active_call == call.call_id:
            state.channels[call.channel].active_call = None
    elif kind is EventType.call_message:
        message = CallMessage.model_validate(payload)
        call = state.calls[message.call_id]
        if message.substantive and not call.substantive:
            call.substantive = True
            state.substantive_contact.setdefault(call.channel, event.scenario_time)
    elif kind is EventType.letter_sent:
        letter = LetterSent.model_validate(payload)
        state.letters[letter.letter_id] = LetterState(content=letter, sent_seq=event.seq, sent_at=event.scenario_time)
    elif kind is EventType.letter_delivered:
        sent = state.letters.get(payload["letter_id"])
        if sent is not None:
            sent.delivered = True
    elif kind is EventType.channel_suspended:
        channel = state.channels[payload["channel"]]
        channel.suspended = True
        channel.reason = payload.get("reason", "")
    elif kind is EventType.channel_restored:
        channel = state.channels[payload["channel"]]
        channel.suspended = False
        channel.reason = ""
    elif kind is EventType.scores_visibility_changed:
        state.scores_visible = bool(payload["visible"])


def _end_open_calls(state: ExerciseState) -> None:
    for channel in state.channels.values():
        channel.active_call = None
    for call in state.calls.values():
        if call.status in ("ringing", "connected"):
            call.status = "ended"
