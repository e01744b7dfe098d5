"""What appending costs: one statement against the full transaction, for commands and releases, idle and busy.

A command's events, and the owner's timed release, are appended in one INSERT that selects them only while
the log still ends where the writer's state does (and, for a release, while the lease is the owner's:
``app/engine/append.py``); anything else takes the full transaction (lock the exercise's row, read what
is newer, insert, commit). This measures both ways on SQLite and, when it answers, PostgreSQL:

- **idle**: ``append`` called in a loop, one event each, nothing else running (ms per append);
- **busy loop**: for commands, chat commands through a real ``ExerciseManager`` (the same path as a
  console's command: the exercise's lock, the append on a database thread, the fold, the publish); for
  releases, the owner's fenced append on the database thread that releases use. Meanwhile the event loop
  runs Python work in 1 ms slices, as it does while it fans out to a thousand consoles. The database
  thread needs the interpreter's lock back after each call into the driver, and gets it only when the
  loop gives it up, so there the number of calls counts more than the database.

The full transaction is measured by turning the one-statement path off (``append._plain``). The
interpreter runs as ``hotline serve`` runs it (0.5 ms switch interval).

    .venv/bin/python bench/append.py [--appends 400] [--commands 300] [--db sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from databases import fresh_postgres, postgres_answers
from fanout_stats import percentile

from app import interpreter
from app.db import Database, make_engine, migrate
from app.engine import append as append_module
from app.engine.append import AppendRequest, Committed, Fence
from app.engine.clock import SystemClock
from app.engine.commands import CommandBase, command_adapter
from app.engine.events import ChatMessage, EventType, draft, team_audience
from app.engine.manager import ExerciseManager
from app.engine.principal import FACILITATOR_PRINCIPAL, Principal
from app.engine.store import number
from app.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "injects" / "incident-at-sea.yaml"
SLICE_SECONDS = 0.001
WAYS = ("one statement", "full transaction")


def command(kind: str, **fields: Any) -> CommandBase:
    return command_adapter.validate_python({"type": kind, "id": uuid.uuid4().hex, **fields})


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'append.db'}"
        return
    with fresh_postgres("append") as url:
        yield url


@contextmanager
def way(name: str) -> Iterator[None]:
    plain = append_module._plain
    if name == "full transaction":
        append_module._plain = lambda request: False
    try:
        yield
    finally:
        append_module._plain = plain


async def started(manager: ExerciseManager) -> tuple[str, Principal]:
    scenario = load_scenario(SCENARIO)
    exercise = await manager.create(scenario, compression=1)
    runtime = await manager.runtime(exercise.id)
    for kind in ("open_lobby", "start"):
        await runtime.execute(FACILITATOR_PRINCIPAL, command(kind))
    team = scenario.teams[0]
    role = team.roles[0].id
    return exercise.id, Principal(kind="player", seat_id="bench-seat", team=team.id, roles=frozenset({role}))


def next_request(manager: ExerciseManager, exercise_id: str, player: Principal, fence: Fence | None) -> AppendRequest:
    """One chat event after the log's head; with ``fence``, appended as the owner appends a release."""
    head = manager.store.last_seq(exercise_id)
    actor = player.actor(next(iter(player.roles)))
    chat = draft(EventType.chat_message, actor, [team_audience(player.team or "")], ChatMessage(text=f"{head}"))
    events = number(exercise_id, head + 1, [chat], wall_time=manager.clock.wall(), scenario_time=0)
    return AppendRequest(exercise_id, after=head, events=events, fence=fence)


def idle_appends(
    manager: ExerciseManager, exercise_id: str, player: Principal, count: int, fence: Fence | None
) -> list[float]:
    times = []
    for _ in range(count):
        request = next_request(manager, exercise_id, player, fence)
        started_at = time.perf_counter()
        outcome = append_module.append(manager.engine, request)
        times.append(time.perf_counter() - started_at)
        assert isinstance(outcome, Committed), outcome
    return times


async def busy(work: Callable[[int], Awaitable[None]], count: int) -> list[float]:
    """How long each of ``count`` calls of ``work`` takes while the loop works in 1 ms slices."""
    stop = asyncio.Event()

    async def fan_out_slices() -> None:
        messages = [{"seq": index, "text": "x" * 60} for index in range(30)]
        while not stop.is_set():
            until = time.perf_counter() + SLICE_SECONDS
            while time.perf_counter() < until:
                json.dumps(messages)
            await asyncio.sleep(0)

    slicing = asyncio.ensure_future(fan_out_slices())
    times = []
    try:
        for index in range(count):
            started_at = time.perf_counter()
            await work(index)
            times.append(time.perf_counter() - started_at)
            await asyncio.sleep(0.005)
    finally:
        stop.set()
        await slicing
    return times


async def busy_commands(manager: ExerciseManager, exercise_id: str, player: Principal, count: int) -> list[float]:
    runtime = await manager.runtime(exercise_id)

    async def chat(index: int) -> None:
        await runtime.execute(player, command("send_chat", text=f"busy {index}"))

    return await busy(chat, count)


async def busy_releases(manager: ExerciseManager, exercise_id: str, player: Principal, count: int) -> list[float]:
    runtime = await manager.runtime(exercise_id)

    async def release(_: int) -> None:
        request = next_request(manager, exercise_id, player, runtime.lease)
        outcome = await manager.db.run_urgent(append_module.append, manager.engine, request)
        assert isinstance(outcome, Committed)

    return await busy(release, count)


def summary(idle: list[float], busy: list[float]) -> dict[str, float]:
    return {
        "idle_p50_ms": percentile(idle, 0.5) * 1000,
        "idle_p99_ms": percentile(idle, 0.99) * 1000,
        "busy_p50_ms": percentile(busy, 0.5) * 1000,
        "busy_p99_ms": percentile(busy, 0.99) * 1000,
    }


def measure(kind: str, appends: int, commands: int, report: Callable[[str], None]) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with database(kind) as url:
        engine = make_engine(url)
        migrate(engine)
        db = Database(engine)
        manager = ExerciseManager(db, SystemClock(), lambda _exercise, _events: None)
        try:
            exercise_id, player = asyncio.run(started(manager))
            runtime = manager.loaded(exercise_id)
            fence = runtime.lease if runtime is not None else None  # this process created it: it owns it
            assert fence is not None
            for name in WAYS:
                with way(name):
                    report(f"{kind}, {name}: {appends} idle appends and {commands} commands on a busy loop")
                    idle = idle_appends(manager, exercise_id, player, appends, None)
                    ran = asyncio.run(busy_commands(manager, exercise_id, player, commands))
                    results[f"command, {name}"] = summary(idle, ran)
                    report(f"{kind}, {name}: {appends} idle releases and {commands} on a busy loop")
                    idle = idle_appends(manager, exercise_id, player, appends, fence)
                    ran = asyncio.run(busy_releases(manager, exercise_id, player, commands))
                    results[f"release, {name}"] = summary(idle, ran)
        finally:
            manager.close()
            db.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=400, help="Idle appends per database and way.")
    parser.add_argument("--commands", type=int, default=300, help="Commands on the busy loop per database and way.")
    parser.add_argument("--db", default="sqlite,postgres", help="Databases: sqlite, postgres or both.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON too.")
    args = parser.parse_args()
    interpreter.tune_for_serving()
    kinds = [kind.strip() for kind in args.db.split(",")]
    if "postgres" in kinds and not postgres_answers():
        print("PostgreSQL does not answer at the default URL (HOTLINE_TEST_POSTGRES_URL): measuring SQLite only")
        kinds.remove("postgres")
    figures = {kind: measure(kind, args.appends, args.commands, lambda line: print(line, flush=True)) for kind in kinds}
    print()
    print("database    what, way                   idle p50  idle p99  busy p50  busy p99")
    print("------------------------------------------------------------------------------")
    for kind, ways in figures.items():
        for name, row in ways.items():
            print(
                f"{kind:10}  {name:26} {row['idle_p50_ms']:9.2f} {row['idle_p99_ms']:9.2f}"
                f" {row['busy_p50_ms']:9.2f} {row['busy_p99_ms']:9.2f}"
            )
    print("(ms; busy: a command's whole path, a release's append, while the loop works in 1 ms slices)")
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
