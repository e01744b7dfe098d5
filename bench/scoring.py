"""How long ``score()`` takes on a long exercise log.

Builds a synthetic, seeded 10,000-event log for the bundled incident-at-sea scenario (or the test
suite's mini scenario if that file does not load): every timed inject at its time (attributed ones
among them), and between them both teams' moves (standing measures among them), hotline and mil-mil
calls with messages, letters between the leaders and their delivery, cables, statements and chat,
spread over the scenario's 48 hours. Then it scores the log several times and prints the best and median wall
and CPU time (CPU time is the steadier figure on a busy machine).

    .venv/bin/python bench/scoring.py [--events 10000] [--runs 7] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.engine.control_commands import release_draft
from app.engine.events import ALL, SYSTEM, ActionTaken, Actor, ActorKind, Event, EventType, role_audience, team_audience
from app.scenario.loader import load_scenario
from app.scenario.schema import ChannelKind, Scenario
from app.scoring import score

PROJECT = Path(__file__).resolve().parent.parent
SCENARIOS = (PROJECT / "injects" / "incident-at-sea.yaml", PROJECT / "tests" / "fixtures" / "mini.yaml")
WALL0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def load_bench_scenario() -> Scenario:
    for path in SCENARIOS:
        try:
            return load_scenario(path)
        except Exception as exc:  # an unfinished bundled scenario falls back to the test fixture
            print(f"(skipping {path.name}: {exc})")
    raise SystemExit("No scenario to benchmark with.")


class SyntheticLog:
    """Appends plausible events in scenario-time order."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.rng = random.Random(seed)
        self.events: list[Event] = []
        self.teams = [team.id for team in scenario.teams]
        calls = scenario.channels_of_kind(ChannelKind.call)
        self.call_channels = [channel.id for channel in calls if len(scenario.holders(channel.id)) >= 2]
        self.open_calls: dict[str, tuple[str, str]] = {}
        self.letters: list[tuple[float, dict[str, Any]]] = []
        self.hotline = next((c for c in self.call_channels if scenario.letter_media(c)), None)

    def add(self, kind: EventType, at: float, actor: Actor, audience: list[str], payload: dict[str, Any]) -> None:
        self.events.append(
            Event(
                seq=len(self.events) + 1,
                exercise_id="ex_bench",
                type=kind,
                wall_time=WALL0 + timedelta(seconds=at / 16),
                scenario_time=at,
                actor=actor,
                audience=audience,
                payload=payload,
            )
        )

    def player(self, team: str, role: str | None) -> Actor:
        return Actor(kind=ActorKind.player, team=team, role=role, seat_id=f"seat-{team}")

    def release(self, inject_id: str, at: float) -> None:
        inject = self.scenario.inject(inject_id)
        assert inject is not None
        released = release_draft(self.scenario, inject, due_at=inject.at, late=False, cause="schedule")
        self.add(EventType.inject_released, at, SYSTEM, released.audience, released.payload)

    def move(self, at: float) -> None:
        team = self.rng.choice(self.teams)
        action = self.rng.choice([a for a in self.scenario.actions if not a.teams or team in a.teams])
        public = action.visibility.value == "public"
        payload = ActionTaken.of(action).model_dump(mode="json")
        role = action.roles[0] if action.roles else "leader"
        self.add(
            EventType.action_taken, at, self.player(team, role), [ALL] if public else [team_audience(team)], payload
        )

    def call(self, at: float) -> None:
        if not self.call_channels:
            return self.chat(at)
        channel = self.rng.choice(self.call_channels)
        holders = self.scenario.holders(channel)
        audience = [role_audience(team, role) for team, role in holders]
        open_call = next((cid for cid, (ch, _) in self.open_calls.items() if ch == channel), None)
        caller, role = self.rng.choice(holders)
        if open_call is None:
            call_id = f"call-{len(self.events)}"
            other = next(team for team in self.teams if team != caller)
            request = {"call_id": call_id, "channel": channel, "from_team": caller, "to_team": other}
            self.add(EventType.call_requested, at, self.player(caller, role), audience, request)
            self.open_calls[call_id] = (channel, "ringing")
        elif self.open_calls[open_call][1] == "ringing":
            self.add(
                EventType.call_accepted,
                at,
                self.player(caller, role),
                audience,
                {"call_id": open_call, "channel": channel},
            )
            self.open_calls[open_call] = (channel, "connected")
        elif self.rng.random() < 0.2:
            self.add(
                EventType.call_ended,
                at,
                self.player(caller, role),
                audience,
                {"call_id": open_call, "channel": channel},
            )
            del self.open_calls[open_call]
        else:
            facts = "What we know." if self.rng.random() < 0.5 else None
            message = {
                "call_id": open_call,
                "channel": channel,
                "text": "…",
                "facts": facts,
                "intent": None,
                "proposal": None,
            }
            self.add(EventType.call_message, at, self.player(caller, role), audience, message)

    def letter(self, at: float) -> None:
        """A letter to the other leader now; it is delivered (below) when due."""
        if self.hotline is None:
            return self.chat(at)
        team = self.rng.choice(self.teams)
        medium, delay = self.rng.choice(sorted(self.scenario.letter_media(self.hotline).items()))
        content = {
            "letter_id": f"letter-{len(self.events)}",
            "channel": self.hotline,
            "medium": medium,
            "from_team": team,
            "to_team": next(t for t in self.teams if t != team),
            "subject": "",
            "text": "…",
            "facts": "What we know." if self.rng.random() < 0.5 else None,
            "intent": None,
            "proposal": None,
        }
        self.add(
            EventType.letter_sent, at, self.player(team, "leader"), [team_audience(team)], content | {"delay": delay}
        )
        self.letters.append((at + delay, content | {"sent_at": at, "due_at": at + delay, "late": False}))

    def deliver(self, now: float) -> None:
        due = [item for item in self.letters if item[0] <= now]
        self.letters = [item for item in self.letters if item[0] > now]
        for _, payload in sorted(due, key=lambda item: item[0]):
            self.add(EventType.letter_delivered, now, SYSTEM, [ALL], payload)

    def cable(self, at: float) -> None:
        team = self.rng.choice(self.teams)
        other = next(t for t in self.teams if t != team)
        self.add(
            EventType.cable_sent,
            at,
            self.player(team, "diplomacy"),
            [team_audience(other)],
            {"to_team": other, "subject": "Note", "text": "A note."},
        )

    def statement(self, at: float) -> None:
        team = self.rng.choice(self.teams)
        self.add(EventType.statement_published, at, self.player(team, "press"), [ALL], {"text": "A statement."})

    def chat(self, at: float) -> None:
        team = self.rng.choice(self.teams)
        self.add(EventType.chat_message, at, self.player(team, "leader"), [team_audience(team)], {"text": "Ideas?"})


def synthetic_log(scenario: Scenario, size: int, seed: int) -> list[Event]:
    log = SyntheticLog(scenario, seed)
    timed = sorted((inject.at, inject.id) for inject in scenario.injects if inject.at is not None)
    pace = scenario.end / max(1, size)
    makers: list[tuple[float, Callable[[float], None]]] = [
        (0.40, log.move),
        (0.22, log.call),
        (0.03, log.letter),
        (0.10, log.cable),
        (0.05, log.statement),
        (0.20, log.chat),
    ]
    at = 0.0
    while len(log.events) < size:
        while timed and timed[0][0] <= at:
            log.release(timed.pop(0)[1], at)
        log.deliver(at)
        pick = log.rng.random()
        for share, make in makers:
            pick -= share
            if pick <= 0:
                make(at)
                break
        at += pace
    return log.events[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000, help="log length (default 10000)")
    parser.add_argument("--runs", type=int, default=7, help="how many times to score it (default 7)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic log (default 1)")
    args = parser.parse_args()
    scenario = load_bench_scenario()
    events = synthetic_log(scenario, args.events, args.seed)
    wall, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        card = score(scenario, events)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(
        f"score() on {len(events)} events of '{scenario.id}' over {args.runs} runs:"
        f" wall best {min(wall) * 1000:.1f} ms, median {statistics.median(wall) * 1000:.1f} ms;"
        f" CPU best {min(cpu) * 1000:.1f} ms, median {statistics.median(cpu) * 1000:.1f} ms"
        f" (joint score {card.joint.value})"
    )


if __name__ == "__main__":
    main()
