"""What the live scoreboard costs the event loop per event, while a log grows to 10,000 events.

Builds the seeded synthetic ``incident-at-sea`` log of ``bench/scoring.py`` and feeds it, in order, to the
real ``LiveScoreboard`` (``app/scoring/live.py``) on a real asyncio loop: a real ``ExerciseManager`` on a
temporary SQLite database holds the exercise (started, scores shown to teams), a real ``Hub`` carries the
cards to a control console, an evaluator's, an observer's and one whole-team console per team. Their
sockets frame and compress every message as ``hotline serve``'s do (permessage-deflate, no context
takeover) and drop the bytes. Events arrive in batches of 1 to 4, as the engine publishes them, at
``--rate`` events a second, the loop free between batches; the scoreboard recomputes on its thread at
most every ``--interval`` seconds, as in a live exercise.

The loop's share is measured two ways, both with ``time.thread_time()`` on the loop thread:

- **attributed**: the CPU time of every scoreboard entry point the loop runs (the publish hook
  ``on_events``; the recompute timer ``_flush`` with its copy of the log; ``_adopt``, ``_broadcast``
  with the framing and writing of the card to every console, ``_schedule``), outermost call only, plus
  the loop's steps of each recompute's trip to its thread (``HandOffMeter``).
- **on - off**: the loop thread's whole CPU time over the feed with the scoreboard listening, minus the
  same feed with nothing listening. It misses nothing, but on a shared machine it is noisy to tens of
  milliseconds a run, so it cross-checks the total and cannot resolve the cost of one card.

The verdict takes the larger of the two. A slower feed recomputes more often per event, so the script
also gives the loop's CPU per card: at a live exercise's pace (seconds between events) every batch may
get its own card, and the loop then pays about that much per event.

The engine itself is still (a manual clock: no timer releases an inject), and events are not fanned
out through the hub: the loop does scoreboard work only. The interpreter is tuned as ``hotline serve``
tunes it (``app.interpreter.tune_for_serving``: 0.5 ms GIL switch interval, long-lived objects frozen
out of the collector's reach) unless ``--python-defaults``; garbage collections that land on the loop
thread are reported on their own. One run at 10,000 events takes about 25 s.

    PYTHONPATH=. .venv/bin/python bench/live_scoring.py [--events 10000] [--seed 1] [--interval 0.5]
                                                        [--rate 1000] [--python-defaults] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from scoring import load_bench_scenario, synthetic_log
from websockets.extensions.permessage_deflate import PerMessageDeflate
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol

from app.db import Database, make_engine, migrate
from app.engine.clock import ManualClock, SystemClock
from app.engine.commands import command_adapter
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.engine.principal import FACILITATOR_PRINCIPAL, Principal, signed_in_principal
from app.interpreter import tune_for_serving
from app.realtime.hub import Hub
from app.realtime.wire import COMPRESS_SETTINGS, WINDOW_BITS, FrameKey, Wire
from app.scenario.schema import Scenario
from app.scoring import live
from app.scoring.live import LiveScoreboard, ScoreTexts
from app.scoring.model import ScoreCard

TARGET_MS_PER_EVENT = 1.0
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class LoopMeter:
    """CPU time of the scoreboard's loop-side callbacks, timed on the loop thread, outermost call only."""

    slices: dict[str, list[float]] = field(default_factory=dict)
    total: float = 0.0
    depth: int = 0

    def wrap(self, name: str, method: F) -> F:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth:
                return method(*args, **kwargs)  # a nested entry point is inside its caller's slice
            self.depth += 1
            started = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                elapsed = time.thread_time() - started
                self.slices.setdefault(name, []).append(elapsed)
                self.total += elapsed
                self.depth -= 1

        return timed  # type: ignore[return-value]


@dataclass
class CollectionMeter:
    """Garbage collections that run on the loop thread: the worker's allocations can set one off there, and a
    full collection walks every object the process holds (the cached log and the cards among them)."""

    loop_thread: int = field(default_factory=threading.get_ident)
    pauses: list[float] = field(default_factory=list)
    started: float = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if threading.get_ident() != self.loop_thread:
            return
        if phase == "start":
            self.started = time.thread_time()
        else:
            self.pauses.append(time.thread_time() - self.started)


@dataclass
class WorkerMeter:
    """Each card's compute (``score_texts``) on the scoring thread: CPU and wall seconds."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def wrap(self, compute: Callable[[Scenario, Sequence[Event], bool], tuple[ScoreCard, ScoreTexts]]) -> Any:
        def timed(scenario: Scenario, events: Sequence[Event], teams_see_scores: bool) -> tuple[ScoreCard, ScoreTexts]:
            started, started_cpu = time.perf_counter(), time.thread_time()
            result = compute(scenario, events, teams_see_scores)
            # list.append is atomic under the GIL; the loop only reads these after the run
            self.cpu.append(time.thread_time() - started_cpu)
            self.wall.append(time.perf_counter() - started)
            return result

        return timed


class Socket(Wire):
    """A console's socket as ``hotline serve`` gives the hub one (``app.realtime.wire``): every message is
    framed and compressed for real (permessage-deflate, no context takeover, the server's settings), then
    dropped instead of written to a transport."""

    def __init__(self) -> None:  # no uvicorn protocol behind it
        self.conn = ServerProtocol()
        # As negotiated by ``SharedDeflateProtocol``: no server context takeover, its window and memory.
        self.conn.extensions = [PerMessageDeflate(False, True, WINDOW_BITS, WINDOW_BITS, dict(COMPRESS_SETTINGS))]
        self.conn.state = State.OPEN
        self.messages = 0
        self.bytes_out = 0

    @property
    def ready(self) -> bool:
        return True

    @property
    def frame_key(self) -> FrameKey | None:
        return ("deflate", WINDOW_BITS, tuple(sorted(COMPRESS_SETTINGS.items())))

    def frame(self, data: bytes) -> bytes:
        return Frame(Opcode.TEXT, data).serialize(mask=False, extensions=self.conn.extensions)

    def write(self, frames: bytes) -> None:
        self.messages += 1
        self.bytes_out += len(frames)

    def send_text(self, data: bytes) -> None:
        self.conn.send_text(data)
        self.write(b"".join(self.conn.data_to_send()))

    async def send_asgi(self, text: str) -> None:
        """What the hub sends before the console is live (its greeting card, say)."""
        self.send_text(text.encode())

    async def close(self, code: int, reason: str) -> None:
        return None


@dataclass
class HandOffMeter:
    """CPU time of the loop's share of each recompute's trip to its thread: the steps of the scoreboard's
    ``compute`` task (submitting to the executor, resuming when the card is back) and the executor's
    completion callback, less the entry points inside them that ``LoopMeter`` already counts. Measured by
    wrapping ``asyncio.Handle._run``, the one place the loop runs every callback and task step."""

    callbacks: LoopMeter
    slices: list[float] = field(default_factory=list)

    @staticmethod
    def ours(handle: asyncio.Handle) -> bool:
        callback = handle._callback  # type: ignore[attr-defined]
        task = getattr(callback, "__self__", None)
        if isinstance(task, asyncio.Task):
            return task.get_coro().__qualname__.startswith("LiveScoreboard._recompute_off_loop")  # type: ignore[union-attr]
        return getattr(callback, "__qualname__", "") == "_chain_future.<locals>._call_set_state"

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        original = asyncio.Handle._run
        meter = self

        def run(handle: asyncio.Handle) -> None:
            if not meter.ours(handle):
                return original(handle)
            inside = meter.callbacks.total
            started = time.thread_time()
            original(handle)
            meter.slices.append(time.thread_time() - started - (meter.callbacks.total - inside))
            return None

        asyncio.Handle._run = run  # type: ignore[method-assign, assignment]
        try:
            yield
        finally:
            asyncio.Handle._run = original  # type: ignore[method-assign]


@dataclass
class Run:
    events: int
    batches: int
    loop_cpu: float
    """The loop thread's CPU over the feed and until the last card arrived."""
    wall: float
    callbacks: dict[str, list[float]] = field(default_factory=dict)
    """CPU seconds of each loop-side slice, by the scoreboard entry point that began it."""
    worker_cpu: list[float] = field(default_factory=list)
    worker_wall: list[float] = field(default_factory=list)
    messages: int = 0
    """Messages written to the consoles during the feed: the cards only (a card every interval keeps heartbeats
    away)."""
    collections: list[float] = field(default_factory=list)
    """CPU seconds of each garbage collection on the loop thread during the feed."""
    hand_off: list[float] = field(default_factory=list)
    """CPU seconds of each loop-side step of the thread hand-off (``HandOffMeter``)."""
    bytes_out: int = 0


def consoles_for(scenario: Scenario) -> list[Principal]:
    teams = [
        Principal(
            kind="player",
            seat_id=f"seat-{team.id}",
            team=team.id,
            roles=frozenset(role.id for role in team.roles),
            label=team.id,
        )
        for team in scenario.teams
    ]
    return [
        FACILITATOR_PRINCIPAL,
        signed_in_principal("evaluator", "evaluator"),
        Principal(kind="observer", seat_id="seat-observer", label="Observer"),
        *teams,
    ]


async def control(manager: ExerciseManager, exercise_id: str, kind: str, **fields: Any) -> None:
    command = command_adapter.validate_python({"type": kind, "id": f"bench-{kind}", **fields})
    await (await manager.runtime(exercise_id)).execute(FACILITATOR_PRINCIPAL, command)


def batches_of(events: Sequence[Event], seed: int) -> list[Sequence[Event]]:
    """The log cut as the engine publishes it: a command's or a timer's events together, 1 to 4 at a time."""
    rng = random.Random(seed)
    cut: list[Sequence[Event]] = []
    at = 0
    while at < len(events):
        size = rng.choice((1, 1, 1, 2, 2, 3, 4))
        cut.append(events[at : at + size])
        at += size
    return cut


async def feed(
    scenario: Scenario,
    log: Sequence[Event],
    *,
    seed: int,
    interval: float,
    rate: float,
    scoreboard_on: bool,
    progress: Callable[[str], None],
) -> Run:
    folder = tempfile.mkdtemp(prefix="hotline-live-bench-")
    engine = make_engine(f"sqlite:///{Path(folder) / 'hotline.db'}")
    migrate(engine)
    database = Database(engine)
    loop_meter, worker_meter = LoopMeter(), WorkerMeter()
    listeners: list[Callable[[str, Sequence[Event]], None]] = []

    def publish(exercise_id: str, events: Sequence[Event]) -> None:
        for listener in listeners:
            listener(exercise_id, events)

    # The engine's own timers stay still (manual clock): the bench writes the log, not the schedule.
    manager = ExerciseManager(database, ManualClock(), publish)
    clock = SystemClock()
    # A heartbeat text as the server gives one: without it the hub re-arms a quiet console's heartbeat
    # timer at once, over and over, and that spinning would be counted as loop time.
    hub = Hub(manager.read_log, clock, heartbeat_text=lambda _: '{"type":"heartbeat"}')
    scoreboard = LiveScoreboard(manager, hub, clock, interval=interval)
    for name in ("on_events", "_flush", "_adopt", "_broadcast", "_schedule"):
        setattr(scoreboard, name, loop_meter.wrap(name, getattr(scoreboard, name)))
    last_seq, last_card_out = [0], asyncio.Event()
    measured_broadcast = scoreboard._broadcast

    def broadcast_and_note(exercise_id: str, board: Any) -> None:
        measured_broadcast(exercise_id, board)
        if board.texts is not None and board.texts.last_seq == last_seq[0]:
            last_card_out.set()

    scoreboard._broadcast = broadcast_and_note  # type: ignore[method-assign]
    real_score_texts = live.score_texts
    live.score_texts = worker_meter.wrap(real_score_texts)
    try:
        if scoreboard_on:
            listeners.append(scoreboard.on_events)
        exercise = await manager.create(scenario, title="live scoring bench")
        consoles = [Socket() for _ in consoles_for(scenario)]
        for principal, console in zip(consoles_for(scenario), consoles, strict=True):
            connection = hub.attach(exercise.id, principal, console.send_asgi, console.close, last_seq=0, wire=console)
            if scoreboard_on:
                await scoreboard.greet(connection)
        for kind, fields in (("open_lobby", {}), ("start", {}), ("set_scores_visible", {"visible": True})):
            await control(manager, exercise.id, kind, **fields)
        runtime = await manager.runtime(exercise.id)
        base = runtime.state.last_seq
        # The synthetic log continues the real exercise's: its own id, seqs after what the engine wrote.
        events = [
            event.model_copy(update={"seq": base + index, "exercise_id": exercise.id})
            for index, event in enumerate(log, start=1)
        ]
        batches = batches_of(events, seed)
        last_seq[0] = events[-1].seq
        await asyncio.sleep(interval * 2)  # the greeting cards and the control commands' card settle first
        loop_meter.slices.clear()
        loop_meter.total = 0.0
        hand_off = HandOffMeter(loop_meter)
        worker_meter.cpu.clear()
        worker_meter.wall.clear()
        messages_before = sum(console.messages for console in consoles)
        bytes_before = sum(console.bytes_out for console in consoles)

        collections = CollectionMeter()
        gc.callbacks.append(collections)
        started, started_cpu = time.perf_counter(), time.thread_time()
        sent, reported = 0, started
        with hand_off.installed():
            for batch in batches:
                publish(exercise.id, batch)
                sent += len(batch)
                now = time.perf_counter()
                if now - reported >= 2.0:
                    reported = now
                    progress(f"  {sent:>6} events fed, {len(worker_meter.cpu)} cards computed")
                await asyncio.sleep(max(0.0, started + sent / rate - now))
            if scoreboard_on:
                try:
                    await asyncio.wait_for(last_card_out.wait(), 60)
                except TimeoutError:
                    progress("  (the card of the whole log did not go out within 60 s)")
        gc.callbacks.remove(collections)
        run = Run(
            events=len(events),
            batches=len(batches),
            loop_cpu=time.thread_time() - started_cpu,
            wall=time.perf_counter() - started,
            callbacks={name: list(slices) for name, slices in loop_meter.slices.items()},
            worker_cpu=list(worker_meter.cpu),
            worker_wall=list(worker_meter.wall),
            messages=sum(console.messages for console in consoles) - messages_before,
            collections=collections.pauses,
            hand_off=list(hand_off.slices),
            bytes_out=sum(console.bytes_out for console in consoles) - bytes_before,
        )
        for connection in hub.connections(exercise.id):
            await hub.detach(connection)
        return run
    finally:
        live.score_texts = real_score_texts
        manager.close()
        database.close()
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(on: Run, off: Run, interval: float, rate: float, scenario: Scenario, tuned: bool) -> dict[str, Any]:
    cards = len(on.worker_cpu)
    every_slice = [duration for slices in on.callbacks.values() for duration in slices] + on.hand_off
    attributed_ms = sum(every_slice) * 1000
    publish_ms = sum(on.callbacks.get("on_events", [])) * 1000
    difference_ms = (on.loop_cpu - off.loop_cpu) * 1000
    loop_ms = max(attributed_ms, difference_ms)
    # Everything but the publish hook is paid once per card: the timer, the copy of the log, the hand-off
    # to the thread and back, adopting the card and writing it to every console.
    card_ms = (attributed_ms - publish_ms) / cards if cards else None
    return {
        "scenario": scenario.id,
        "events": on.events,
        "batches": on.batches,
        "interval_s": interval,
        "rate_events_per_s": rate,
        "tuned_as_served": tuned,
        "cards": cards,
        "messages_written": on.messages,
        "bytes_per_card": on.bytes_out / cards if cards else None,
        "loop_ms_per_event_attributed": attributed_ms / on.events,
        "loop_ms_per_event_on_minus_off": difference_ms / on.events,
        "loop_ms_per_event": loop_ms / on.events,
        "publish_hook_ms_per_event": publish_ms / on.events,
        "loop_ms_per_card": card_ms,
        "loop_ms_per_event_one_card_each": publish_ms / on.events + card_ms if card_ms is not None else None,
        "loop_ms_per_card_by_part": {
            part: sum(slices) * 1000 / cards
            for part, slices in sorted({**on.callbacks, "hand-off": on.hand_off}.items())
            if part != "on_events" and cards
        },
        "longest_loop_slice_ms": max(every_slice, default=0.0) * 1000,
        "card_cpu_ms_mean": statistics.fmean(on.worker_cpu) * 1000 if cards else None,
        "card_cpu_ms_p99": percentile(on.worker_cpu, 0.99) * 1000,
        "card_wall_ms_mean": statistics.fmean(on.worker_wall) * 1000 if cards else None,
        "card_wall_ms_p99": percentile(on.worker_wall, 0.99) * 1000,
        "loop_collections_on": len(on.collections),
        "loop_collections_ms_on": sum(on.collections) * 1000,
        "loop_collection_longest_ms_on": max(on.collections, default=0.0) * 1000,
        "loop_collections_ms_off": sum(off.collections) * 1000,
        "loop_cpu_s_on": on.loop_cpu,
        "loop_cpu_s_off": off.loop_cpu,
        "wall_s_on": on.wall,
        "wall_s_off": off.wall,
        "load_average": list(os.getloadavg()),
        "target_ms_per_event": TARGET_MS_PER_EVENT,
        "met": loop_ms / on.events <= TARGET_MS_PER_EVENT,
    }


def table(result: dict[str, Any]) -> str:
    def ms(key: str, digits: int = 3) -> str:
        value = result[key]
        return "n/a" if value is None else f"{value:.{digits}f}"

    rows = [
        ("events fed (batches)", f"{result['events']} ({result['batches']})"),
        ("cards computed", str(result["cards"])),
        ("messages written to consoles", str(result["messages_written"])),
        ("bytes on the wire per card, all consoles", ms("bytes_per_card", 0)),
        ("loop ms/event, attributed", ms("loop_ms_per_event_attributed", 4)),
        ("  of which the publish hook", ms("publish_hook_ms_per_event", 4)),
        ("loop ms/event, on - off", ms("loop_ms_per_event_on_minus_off", 4)),
        ("loop ms per card (attributed, less the hook)", ms("loop_ms_per_card")),
        (
            "  by part",
            ", ".join(f"{part} {value:.3f}" for part, value in result["loop_ms_per_card_by_part"].items()),
        ),
        ("longest loop slice, CPU ms", ms("longest_loop_slice_ms")),
        ("card compute CPU ms, mean / p99", f"{ms('card_cpu_ms_mean', 1)} / {ms('card_cpu_ms_p99', 1)}"),
        ("card compute wall ms, mean / p99", f"{ms('card_wall_ms_mean', 1)} / {ms('card_wall_ms_p99', 1)}"),
        (
            "loop-thread GC, on: count / ms / longest",
            f"{result['loop_collections_on']} / {result['loop_collections_ms_on']:.1f}"
            f" / {result['loop_collection_longest_ms_on']:.1f}",
        ),
        ("loop-thread GC ms, off", f"{result['loop_collections_ms_off']:.1f}"),
        ("loop CPU s, on / off", f"{result['loop_cpu_s_on']:.3f} / {result['loop_cpu_s_off']:.3f}"),
        ("wall s, on / off", f"{result['wall_s_on']:.1f} / {result['wall_s_off']:.1f}"),
        ("load average (1, 5, 15 min)", " ".join(f"{load:.2f}" for load in result["load_average"])),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=10_000, help="log length (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic log and its batches (default 1)")
    parser.add_argument(
        "--interval",
        type=float,
        default=live.DEFAULT_INTERVAL,
        help=f"seconds between recomputes, as LiveScoreboard's interval (default {live.DEFAULT_INTERVAL})",
    )
    parser.add_argument(
        "--rate", type=float, default=1000.0, help="events fed per second (default 1000: 10 s per run at 10,000)"
    )
    parser.add_argument(
        "--python-defaults",
        action="store_true",
        help="keep Python's switch interval and garbage collection instead of tuning them as hotline serve does",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()

    def progress(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    if args.python_defaults:
        progress("Python's default switch interval and garbage collection (not as hotline serve runs)")
    else:
        tune_for_serving()
    scenario = load_bench_scenario()
    progress(f"building a {args.events}-event log of '{scenario.id}' (seed {args.seed})")
    log = synthetic_log(scenario, args.events, args.seed)
    runs: dict[bool, Run] = {}
    for on in (False, True):
        progress(f"feeding it at {args.rate:g} events/s, scoreboard {'on' if on else 'off'}")
        runs[on] = asyncio.run(
            feed(
                scenario,
                log,
                seed=args.seed,
                interval=args.interval,
                rate=args.rate,
                scoreboard_on=on,
                progress=progress,
            )
        )
    result = summary(runs[True], runs[False], args.interval, args.rate, scenario, not args.python_defaults)
    if args.json:
        print(json.dumps(result))
        return
    print(f"\nLive scoreboard on {result['events']} events of '{result['scenario']}', interval {args.interval} s:")
    print(table(result))
    verdict = "met" if result["met"] else "NOT met"
    print(
        f"\nTarget: at most {TARGET_MS_PER_EVENT:g} ms of loop time per event on average — {verdict}"
        f" ({result['loop_ms_per_event']:.4f} ms/event, the larger of the two measures)."
    )
    slow = result["loop_ms_per_event_one_card_each"]
    if slow is not None:
        print(
            f"At a pace slow enough for every event to get its own card, the loop would pay about"
            f" {slow:.3f} ms per event."
        )


if __name__ == "__main__":
    main()
