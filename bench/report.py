"""How long the after-action report takes for a large exercise: a synthetic log of 10,000 events.

    .venv/bin/python bench/report.py [--events 10000] [--repeat 3] [--scenario injects/incident-at-sea.yaml] [--json]

The log is made here (no server needed): the bundled scenario's injects, both teams' catalog moves,
team chat, hotline calls with substance, cables, a pause and a jump, evaluator observations and the
hot wash. Each step (assembling the report, which includes scoring, then every export format) is
timed ``--repeat`` times after one warm-up run, and the best and median times are printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from app.engine.archive import ExerciseInfo  # noqa: E402
from app.engine.events import ActionTaken, Actor, ActorKind, Event, EventType  # noqa: E402
from app.reports.assemble import build_report  # noqa: E402
from app.reports.charts import charts  # noqa: E402
from app.reports.exports import render  # noqa: E402
from app.reports.source import ReportSource  # noqa: E402
from app.scenario.loader import load_scenario  # noqa: E402
from app.scenario.schema import Scenario  # noqa: E402

STARTEX = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
COMPRESSION = 12.0
CONTROL = Actor(kind=ActorKind.facilitator)
SYSTEM = Actor(kind=ActorKind.system)


class LogWriter:
    """Numbers events and keeps both clocks moving as a real run would."""

    def __init__(self, exercise_id: str) -> None:
        self.exercise_id = exercise_id
        self.events: list[Event] = []
        self.wall = STARTEX
        self.scenario = 0.0

    def tick(self, wall_seconds: float, running: bool = True) -> None:
        self.wall += timedelta(seconds=wall_seconds)
        if running:
            self.scenario += wall_seconds * COMPRESSION

    def add(self, kind: EventType, actor: Actor, payload: dict[str, Any], audience: str = "all") -> int:
        seq = len(self.events) + 1
        self.events.append(
            Event(
                seq=seq,
                exercise_id=self.exercise_id,
                type=kind,
                wall_time=self.wall,
                scenario_time=round(self.scenario, 3),
                actor=actor,
                audience=[audience],
                payload=payload,
            )
        )
        return seq

    def anchor(self, running: bool) -> dict[str, Any]:
        return {
            "wall": self.wall.isoformat(),
            "scenario": self.scenario,
            "compression": COMPRESSION,
            "running": running,
        }


def _player(team: str, role: str) -> Actor:
    return Actor(kind=ActorKind.player, team=team, role=role, seat_id=f"seat-{team}-{role}")


def _moves(scenario: Scenario) -> Iterator[tuple[str, dict[str, Any]]]:
    teams = [team.id for team in scenario.teams]
    for team, action in zip(itertools.cycle(teams), itertools.cycle(scenario.actions), strict=False):
        yield team, ActionTaken.of(action, "Synthetic move for the report benchmark").model_dump(mode="json")


def synthetic_log(scenario: Scenario, count: int) -> list[Event]:
    """About ``count`` events of a plausible, busy exercise of ``scenario``."""
    log = LogWriter("ex_benchmark")
    log.add(
        EventType.exercise_created,
        CONTROL,
        {
            "scenario_id": scenario.id,
            "scenario_title": scenario.title,
            "title": "Benchmark",
            "compression": COMPRESSION,
        },
    )
    for party in scenario.teams:
        for role in party.roles:
            log.add(
                EventType.seat_issued,
                CONTROL,
                {
                    "seat_id": f"seat-{party.id}-{role.id}",
                    "kind": "player",
                    "team": party.id,
                    "role": role.id,
                    "label": f"{party.name} — {role.name}",
                },
                "control",
            )
    log.add(EventType.lobby_opened, CONTROL, {})
    log.add(EventType.exercise_started, CONTROL, {"clock": log.anchor(True)})
    blue, red = (party.id for party in scenario.teams)
    moves = _moves(scenario)
    injects = itertools.cycle(scenario.injects)
    calls = itertools.count(1)
    paused = jumped = False
    for step in itertools.count():
        if len(log.events) >= count - 4:
            break
        log.tick(2.0)
        phase = step % 10
        if phase == 0:
            inject = next(injects)
            log.add(
                EventType.inject_released,
                SYSTEM,
                {
                    "inject_id": inject.id,
                    "title": inject.title,
                    "text": inject.text,
                    "channel": inject.channel,
                    "originator": inject.originator,
                    "tags": [tag.value for tag in inject.tags],
                },
            )
        elif phase in (1, 2, 5, 8):
            team, payload = next(moves)
            log.add(EventType.action_taken, _player(team, "leader"), payload)
        elif phase in (3, 6):
            team = blue if phase == 3 else red
            log.add(
                EventType.chat_message,
                _player(team, "press"),
                {"text": f"Team note {step}: watch the <wire>."},
                f"team:{team}",
            )
        elif phase == 4:
            call = f"call-{next(calls)}"
            log.add(
                EventType.call_requested,
                _player(blue, "leader"),
                {"call_id": call, "channel": "hotline", "from_team": blue, "to_team": red},
            )
            log.add(EventType.call_accepted, _player(red, "leader"), {"call_id": call, "channel": "hotline"})
            log.add(
                EventType.call_message,
                _player(blue, "leader"),
                {
                    "call_id": call,
                    "channel": "hotline",
                    "text": "",
                    "facts": "We hold the crew safely.",
                    "intent": "No further patrols this week.",
                    "proposal": None,
                },
            )
            log.add(EventType.call_ended, _player(red, "leader"), {"call_id": call, "channel": "hotline"})
        elif phase == 7:
            log.add(
                EventType.cable_sent,
                _player(red, "diplomacy"),
                {"to_team": blue, "subject": f"Note {step}", "text": "We propose talks at sea."},
            )
        elif phase == 9 and step % 500 == 9:
            log.add(
                EventType.observation_added,
                CONTROL,
                {
                    "text": f"Observation {step}",
                    "author": "Evaluator",
                    "linked_seqs": [len(log.events)],
                    "objective_id": None,
                    "rating": None,
                },
                "control",
            )
        if not paused and len(log.events) > count // 3:
            paused = True
            log.add(EventType.exercise_paused, CONTROL, {"clock": log.anchor(False), "reason": "Lunch"})
            log.tick(600, running=False)
            log.add(EventType.exercise_resumed, CONTROL, {"clock": log.anchor(True)})
        if not jumped and len(log.events) > 2 * count // 3:
            jumped = True
            before = log.scenario
            log.scenario += 12 * 3600
            log.add(
                EventType.clock_jumped,
                CONTROL,
                {"clock": log.anchor(True), "from_time": before, "to_time": log.scenario},
            )
    log.add(EventType.exercise_ended, CONTROL, {"clock": log.anchor(False), "reason": "ENDEX"})
    for team in (blue, red):
        log.add(
            EventType.hotwash_submitted,
            _player(team, "leader"),
            {"worked": "The hotline", "did_not_work": "Too many injects", "rating": 4, "anonymous": False},
            "control",
        )
    return log.events


def _timed(work: Callable[[], object], repeat: int) -> dict[str, float]:
    """Best and median wall time, and best CPU time (steadier when other work shares the machine)."""
    work()  # warm-up: templates compiled, plotly.js read once, as in a running server
    walls, cpus = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return {
        "best_s": round(min(walls), 3),
        "median_s": round(statistics.median(walls), 3),
        "cpu_s": round(min(cpus), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="Size of the synthetic log.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs per step, after one warm-up.")
    parser.add_argument("--scenario", type=Path, default=PROJECT / "injects" / "incident-at-sea.yaml")
    parser.add_argument("--json", action="store_true", help="Print one JSON object instead of the table.")
    options = parser.parse_args()
    scenario = load_scenario(options.scenario)
    events = synthetic_log(scenario, options.events)
    info = ExerciseInfo(
        id="ex_benchmark",
        title="Benchmark",
        scenario_id=scenario.id,
        compression=COMPRESSION,
        status="ended",
        created_at=STARTEX,
    )
    source = ReportSource(exercise=info, scenario=scenario, events=events)
    report = build_report(source)
    steps: dict[str, Callable[[], object]] = {
        "assemble (incl. scoring)": lambda: build_report(source),
        "charts (page view)": lambda: charts(report),
        "html (self-contained)": lambda: render(report, "html"),
        "html end to end": lambda: render(build_report(source), "html"),
        "markdown": lambda: render(report, "md"),
        "json": lambda: render(report, "json"),
        "csv": lambda: render(report, "csv"),
    }
    results = {}
    for name, work in steps.items():
        print(f"timing {name}…", file=sys.stderr)
        results[name] = _timed(work, options.repeat)
    sizes = {fmt: len(render(report, fmt).encode("utf-8")) for fmt in ("html", "md", "json", "csv")}
    if options.json:
        print(json.dumps({"events": len(events), "scenario": scenario.id, "steps": results, "bytes": sizes}))
        return
    print(f"Report of a synthetic {len(events)}-event log of '{scenario.id}', {options.repeat} runs each:")
    print(f"  {'step':<26} {'best':>9} {'median':>9} {'CPU':>9}")
    for name, timing in results.items():
        print(f"  {name:<26} {timing['best_s']:>7.3f} s {timing['median_s']:>7.3f} s {timing['cpu_s']:>7.3f} s")
    print("  sizes: " + ", ".join(f"{fmt} {size / 1e6:.1f} MB" for fmt, size in sizes.items()))


if __name__ == "__main__":
    main()
