"""What a bot knows: a fold of the events its seat has received, in seq order.

Only what the seat was sent goes in (the server filters by audience), so a bot knows no more than a
human team at the same console would. Times are scenario seconds taken from the events themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

CallStatus = Literal["ringing", "connected", "declined", "missed", "ended"]


@dataclass(frozen=True)
class SeenInject:
    inject_id: str
    title: str
    tags: frozenset[str]
    at: float
    decision_window: float | None


@dataclass(frozen=True)
class SeenMove:
    seq: int
    team: str
    action_id: str
    label: str
    weight: float
    band: int
    tags: frozenset[str]
    visibility: str
    at: float


@dataclass
class SeenCall:
    call_id: str
    channel: str
    caller: str
    callee: str
    requested_at: float
    status: CallStatus = "ringing"
    spoke: set[str] = field(default_factory=set)
    """Teams that have said something on this call."""


@dataclass
class Situation:
    team: str
    other: str
    now: float = 0.0
    ended: bool = False
    level: int = 0
    """The highest escalation band any move this seat has seen has reached."""
    injects: list[SeenInject] = field(default_factory=list)
    moves: list[SeenMove] = field(default_factory=list)
    calls: dict[str, SeenCall] = field(default_factory=dict)
    suspended: set[str] = field(default_factory=set)
    last_verified: float | None = None
    last_deliberated: float | None = None
    cables_in: int = 0
    letters_in: int = 0
    last_wrote: float | None = None
    """When this team last sent a letter to the other leader."""
    last_said: dict[str, int] = field(default_factory=dict)
    """Channel → how many things had been seen when this team last said something of substance on it."""
    pressure: float | None = None
    """The domestic pressure on this team (0–100), once a pressure_changed event has told it; None without media."""
    pressure_rising: bool = False
    """Whether the last change of the pressure was upward."""

    # --- folding ---

    def apply(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        payload: dict[str, Any] = event["payload"]
        at = float(event["scenario_time"])
        self.now = max(self.now, at)
        actor_team = event["actor"].get("team")
        if kind == "exercise_ended":
            self.ended = True
        elif kind == "inject_released":
            self._inject(payload, at)
        elif kind == "action_taken" and actor_team:
            self._move(event, payload, at)
        elif kind == "call_requested":
            self.calls[payload["call_id"]] = SeenCall(
                payload["call_id"], payload["channel"], payload["from_team"], payload["to_team"], at
            )
        elif kind in ("call_accepted", "call_declined", "call_missed", "call_ended"):
            call = self.calls.get(payload["call_id"])
            if call is not None:
                call.status = {  # type: ignore[assignment]
                    "call_accepted": "connected",
                    "call_declined": "declined",
                    "call_missed": "missed",
                    "call_ended": "ended",
                }[kind]
        elif kind == "call_message":
            self._call_message(payload, actor_team)
        elif kind == "channel_suspended":
            self.suspended.add(payload["channel"])
            self._end_calls_on(payload["channel"])
        elif kind == "channel_restored":
            self.suspended.discard(payload["channel"])
        elif kind == "cable_sent" and actor_team == self.other:
            self.cables_in += 1
        elif kind == "letter_delivered" and payload.get("from_team") == self.other:
            self.letters_in += 1
        elif kind == "letter_sent" and actor_team == self.team:
            self.last_wrote = at
        elif kind == "pressure_changed" and payload.get("team") == self.team:
            self.pressure = float(payload["value"])
            self.pressure_rising = float(payload["value"]) > float(payload.get("previous", 0))

    def _inject(self, payload: dict[str, Any], at: float) -> None:
        window = payload.get("decision_window")
        inject = SeenInject(
            inject_id=payload["inject_id"],
            title=payload.get("title", ""),
            tags=frozenset(payload.get("tags", [])),
            at=at,
            decision_window=float(window) if window is not None else None,
        )
        self.injects.append(inject)

    def _move(self, event: dict[str, Any], payload: dict[str, Any], at: float) -> None:
        move = SeenMove(
            seq=int(event["seq"]),
            team=event["actor"]["team"],
            action_id=payload["action_id"],
            label=payload.get("label", payload["action_id"]),
            weight=float(payload["weight"]),
            band=int(payload["band"]),
            tags=frozenset(payload.get("tags", [])),
            visibility=payload.get("visibility", "public"),
            at=at,
        )
        self.moves.append(move)
        self.level = max(self.level, move.band)
        if move.team == self.team:
            if "verification" in move.tags:
                self.last_verified = at
            if "deliberation" in move.tags:
                self.last_deliberated = at

    def _call_message(self, payload: dict[str, Any], actor_team: str | None) -> None:
        call = self.calls.get(payload["call_id"])
        if call is not None and actor_team is not None:
            call.spoke.add(actor_team)

    def _end_calls_on(self, channel: str) -> None:
        for call in self.calls.values():
            if call.channel == channel and call.status in ("ringing", "connected"):
                call.status = "ended"

    # --- questions policies ask ---

    def active_call(self, channel: str) -> SeenCall | None:
        """The ringing or connected call on ``channel``, if any."""
        return next(
            (c for c in self.calls.values() if c.channel == channel and c.status in ("ringing", "connected")), None
        )

    def own_moves(self) -> list[SeenMove]:
        return [move for move in self.moves if move.team == self.team]

    def their_moves(self) -> list[SeenMove]:
        return [move for move in self.moves if move.team == self.other]

    def taken(self) -> set[str]:
        return {move.action_id for move in self.own_moves()}

    def news_count(self) -> int:
        """How many things this team has seen happen: injects and the other side's moves."""
        return len(self.injects) + len(self.their_moves()) + self.cables_in + self.letters_in

    def has_news_for(self, channel: str) -> bool:
        return self.last_said.get(channel, -1) < self.news_count()

    def recent_titles(self, limit: int = 3) -> list[str]:
        return [inject.title for inject in self.injects[-limit:] if inject.title]

    def trigger_time(self) -> float | None:
        """When the crisis broke (the inject tagged 'trigger'), once this seat has seen it."""
        return next((inject.at for inject in self.injects if "trigger" in inject.tags), None)

    def verified_since(self, at: float) -> bool:
        return self.last_verified is not None and self.last_verified >= at
