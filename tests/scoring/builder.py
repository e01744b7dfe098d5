"""Hand-made event logs for scoring tests: ``LogBuilder`` makes ``Event`` objects, no database needed.

Times are given in scenario minutes. Injects, actions and channels come from the scenario, so a log
only says who did what when; payloads are built the way the engine builds them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.engine.commands import AdhocInject
from app.engine.control_commands import ControlContext, adhoc_inject, release_draft
from app.engine.events import (
    CONTROL,
    FACILITATOR,
    SYSTEM,
    ActionTaken,
    Actor,
    ActorKind,
    Event,
    EventType,
    ReleaseCause,
    role_audience,
    team_audience,
)
from app.engine.state import initial_state
from app.scenario.schema import Attribution, Scenario
from app.scoring import score
from app.scoring.model import ScoreCard

WALL0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


class LogBuilder:
    def __init__(self, scenario: Scenario, exercise_id: str = "ex_test") -> None:
        self.scenario = scenario
        self.exercise_id = exercise_id
        self.events: list[Event] = []
        self._calls = 0
        self._letters = 0
        self._pending_letters: dict[str, tuple[dict[str, Any], float, float]] = {}
        self._call_channels: dict[str, str] = {}
        self._holders = {channel.id: scenario.holders(channel.id) for channel in scenario.channels}
        self._record(
            EventType.exercise_created,
            0,
            FACILITATOR,
            ["all"],
            {
                "scenario_id": scenario.id,
                "scenario_title": scenario.title,
                "title": scenario.title,
                "compression": 60.0,
            },
        )
        self._record(EventType.lobby_opened, 0, FACILITATOR, ["all"], {})
        self._record(EventType.exercise_started, 0, FACILITATOR, ["all"], {"clock": self._anchor(0, True)})

    # --- plumbing ---

    def _anchor(self, minute: float, running: bool) -> dict[str, Any]:
        return {
            "wall": (WALL0 + timedelta(minutes=minute)).isoformat(),
            "scenario": minute * 60,
            "compression": 60.0,
            "running": running,
        }

    def _record(
        self,
        kind: EventType,
        minute: float,
        actor: Actor,
        audience: list[str],
        payload: dict[str, Any],
        internal: dict[str, Any] | None = None,
    ) -> int:
        if self.events and minute * 60 < self.events[-1].scenario_time:
            raise ValueError(f"minute {minute} is before the previous event")
        event = Event(
            seq=len(self.events) + 1,
            exercise_id=self.exercise_id,
            type=kind,
            wall_time=WALL0 + timedelta(seconds=minute),
            scenario_time=minute * 60,
            actor=actor,
            audience=audience,
            payload=payload,
            internal=internal,
        )
        self.events.append(event)
        return event.seq

    def _player(self, team: str, role: str | None) -> Actor:
        return Actor(kind=ActorKind.player, team=team, role=role, seat_id=f"seat-{team}")

    def _channel_audience(self, channel: str) -> list[str]:
        return [role_audience(team, role) for team, role in self._holders[channel]]

    def _other(self, team: str) -> str:
        return self.scenario.other_team(team)

    # --- what happens ---

    def inject(self, inject_id: str, minute: float, *, cause: ReleaseCause = "schedule", late: bool = False) -> int:
        inject = self.scenario.inject(inject_id)
        assert inject is not None, inject_id
        released = release_draft(self.scenario, inject, due_at=inject.at, late=late, cause=cause)
        return self._record(EventType.inject_released, minute, SYSTEM, released.audience, released.payload)

    def adhoc(self, minute: float, attribution: Attribution | None = None, *, title: str = "Improvised") -> int:
        """An ad hoc inject to everyone, written by the facilitator, drafted by the engine's own handler."""
        state = initial_state(self.exercise_id, self.scenario)
        state.status = "running"
        state.adhoc_count = sum(1 for e in self.events if e.payload.get("cause") == "adhoc")
        feed = next(channel.id for channel in self.scenario.channels if channel.kind == "feed")
        command = AdhocInject(
            type="adhoc_inject", id=f"adhoc-{minute}", channel=feed, title=title, text=title, attribution=attribution
        )
        context = ControlContext(self.scenario, state, WALL0 + timedelta(minutes=minute), minute * 60)
        (drafted,) = adhoc_inject(context, command)
        return self._record(
            EventType.inject_released, minute, FACILITATOR, drafted.audience, drafted.payload, drafted.internal
        )

    def pause(self, minute: float) -> int:
        return self._record(
            EventType.exercise_paused,
            minute,
            FACILITATOR,
            ["all"],
            {"clock": self._anchor(minute, False), "reason": "Paused"},
        )

    def resume(self, minute: float) -> int:
        return self._record(
            EventType.exercise_resumed, minute, FACILITATOR, ["all"], {"clock": self._anchor(minute, True)}
        )

    def jump(self, to_minute: float) -> int:
        """The facilitator jumps the clock; release what fell due with ``inject(..., cause="jump")`` after it."""
        before = self.events[-1].scenario_time / 60
        payload = {"clock": self._anchor(to_minute, True), "from_time": before * 60, "to_time": to_minute * 60}
        return self._record(EventType.clock_jumped, to_minute, FACILITATOR, ["all"], payload)

    def act(self, team: str, action_id: str, minute: float, role: str = "leader") -> int:
        action = self.scenario.action(action_id)
        assert action is not None, action_id
        public = action.visibility.value == "public"
        return self._record(
            EventType.action_taken,
            minute,
            self._player(team, role),
            ["all"] if public else [team_audience(team)],
            ActionTaken.of(action).model_dump(mode="json"),
        )

    def call(self, team: str, minute: float, channel: str = "hotline") -> str:
        self._calls += 1
        call_id = f"call-{self._calls}"
        self._call_channels[call_id] = channel
        role = self._holder(team, channel)
        self._record(
            EventType.call_requested,
            minute,
            self._player(team, role),
            self._channel_audience(channel),
            {
                "call_id": call_id,
                "channel": channel,
                "from_team": team,
                "to_team": self._other(team),
            },
        )
        return call_id

    def _holder(self, team: str, channel: str) -> str:
        return next(role for holder, role in self._holders[channel] if holder == team)

    def _call_event(self, kind: EventType, team: str, call_id: str, minute: float, **extra: Any) -> int:
        channel = self._channel_of(call_id)
        payload = {"call_id": call_id, "channel": channel, **extra}
        return self._record(
            kind, minute, self._player(team, self._holder(team, channel)), self._channel_audience(channel), payload
        )

    def _channel_of(self, call_id: str) -> str:
        return self._call_channels[call_id]

    def accept(self, team: str, call_id: str, minute: float) -> int:
        return self._call_event(EventType.call_accepted, team, call_id, minute)

    def decline(self, team: str, call_id: str, minute: float) -> int:
        return self._call_event(EventType.call_declined, team, call_id, minute)

    def miss(self, call_id: str, minute: float) -> int:
        channel = self._channel_of(call_id)
        return self._record(
            EventType.call_missed,
            minute,
            SYSTEM,
            self._channel_audience(channel),
            {"call_id": call_id, "channel": channel},
        )

    def say(
        self,
        team: str,
        call_id: str,
        minute: float,
        *,
        text: str = "",
        facts: str | None = None,
        intent: str | None = None,
        proposal: str | None = None,
    ) -> int:
        return self._call_event(
            EventType.call_message,
            team,
            call_id,
            minute,
            text=text or "…",
            facts=facts,
            intent=intent,
            proposal=proposal,
        )

    def hang_up(self, team: str, call_id: str, minute: float) -> int:
        return self._call_event(EventType.call_ended, team, call_id, minute)

    def talk(self, caller: str, minute: float, channel: str = "hotline", *, substantive: bool = True) -> str:
        """A whole call: ring, the other side answers, the caller speaks (with facts if substantive)."""
        call_id = self.call(caller, minute, channel)
        self.accept(self._other(caller), call_id, minute)
        self.say(caller, call_id, minute, text="Hello", facts="What we know" if substantive else None)
        return call_id

    def send_letter(
        self,
        team: str,
        minute: float,
        *,
        medium: str = "teletype",
        channel: str = "hotline",
        text: str = "",
        facts: str | None = None,
        intent: str | None = None,
        proposal: str | None = None,
    ) -> str:
        """A letter on its way: seen by the sender's side; ``deliver`` it later (at its due time by default)."""
        self._letters += 1
        letter_id = f"letter-{self._letters}"
        delay = float(self.scenario.letter_media(channel)[medium])
        content = {
            "letter_id": letter_id,
            "channel": channel,
            "medium": medium,
            "from_team": team,
            "to_team": self._other(team),
            "subject": "",
            "text": text or "…",
            "facts": facts,
            "intent": intent,
            "proposal": proposal,
        }
        audience = [role_audience(team, role) for holder, role in self._holders[channel] if holder == team]
        self._record(
            EventType.letter_sent,
            minute,
            self._player(team, self._holder(team, channel)),
            audience,
            content | {"delay": delay},
        )
        self._pending_letters[letter_id] = (content, minute * 60, minute * 60 + delay)
        return letter_id

    def deliver(self, letter_id: str, minute: float | None = None, *, late: bool = False) -> int:
        content, sent_at, due_at = self._pending_letters.pop(letter_id)
        at = due_at / 60 if minute is None else minute
        payload = content | {"sent_at": sent_at, "due_at": due_at, "late": late}
        return self._record(EventType.letter_delivered, at, SYSTEM, self._channel_audience(content["channel"]), payload)

    def write(self, team: str, minute: float, *, medium: str = "teletype", **words: str | None) -> int:
        """A letter sent at ``minute`` and delivered when due (nothing else may happen in between)."""
        return self.deliver(self.send_letter(team, minute, medium=medium, **words))  # type: ignore[arg-type]

    def cable(self, team: str, minute: float) -> int:
        return self._record(
            EventType.cable_sent,
            minute,
            self._player(team, "diplomacy"),
            self._channel_audience("cable"),
            {"to_team": self._other(team), "subject": "Note", "text": "A note."},
        )

    def statement(self, team: str, minute: float) -> int:
        return self._record(
            EventType.statement_published, minute, self._player(team, "press"), ["all"], {"text": "A statement."}
        )

    def chat(self, team: str, minute: float) -> int:
        return self._record(
            EventType.chat_message, minute, self._player(team, "leader"), [team_audience(team)], {"text": "What now?"}
        )

    def rate(
        self,
        task_id: str,
        rating: str,
        minute: float,
        team: str | None = None,
        rationale: str = "Seen by the evaluator.",
    ) -> int:
        return self._record(
            EventType.task_rated,
            minute,
            Actor(kind=ActorKind.observer, seat_id="seat-obs"),
            [CONTROL],
            {"task_id": task_id, "team": team, "rating": rating, "rationale": rationale},
        )

    def end(self, minute: float) -> int:
        return self._record(
            EventType.exercise_ended,
            minute,
            FACILITATOR,
            ["all"],
            {"clock": self._anchor(minute, False), "reason": "ENDEX"},
        )

    # --- scoring ---

    def card(self) -> ScoreCard:
        return score(self.scenario, self.events)
