"""What the metrics cost: per command, per committed batch, per timer, and per scrape at 5,000 consoles.

Nothing is observed per delivered message (the hub adds to plain integers once per batch), so these are
the only costs metrics add to the server's work; docs/performance.md has the figures.

Run: .venv/bin/python bench/metrics_cost.py [--calls 200000] [--consoles 5000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

from app.engine.events import SYSTEM, Event, EventType
from app.ops.metrics import Metrics, ProcessState


def per_call(action: Callable[[], object], calls: int) -> float:
    """Microseconds per call, best of three runs."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(calls):
            action()
        best = min(best, (time.perf_counter() - started) / calls)
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--consoles", type=int, default=5_000)
    options = parser.parse_args()
    state = ProcessState(
        consoles=options.consoles,
        exercises_loaded=20,
        exercises_running=20,
        queue_depths=[index % 7 for index in range(options.consoles)],
        delivery={"joins": options.consoles, "fanouts": 10_000, "offers": 50_000_000},
        broker={"published": 10_000, "received": 10_000},
        ownership={"takeovers": 3},
    )
    metrics = Metrics(lambda: state)
    batch = [
        Event(
            seq=1,
            exercise_id="ex_bench",
            type=EventType.inject_released,
            wall_time=datetime.now(UTC),
            scenario_time=0.0,
            actor=SYSTEM,
            audience=["all"],
            payload={},
        )
    ]
    rows = [
        (
            "a command (counter and latency histogram)",
            per_call(lambda: metrics.command_done("send_chat", "applied", 0.002), options.calls),
        ),
        ("a committed batch of one event", per_call(lambda: metrics.appended(batch), options.calls)),
        (
            "a commit's time, from the database thread",
            per_call(lambda: metrics.database_call("append", 0.001), options.calls),
        ),
        ("a timer firing", per_call(lambda: metrics.timer_fired(0.003), options.calls)),
        (f"a scrape of /metrics with {options.consoles:,} consoles", per_call(metrics.exposition, 200)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, micros in rows:
        shown = f"{micros / 1000:.2f} ms" if micros >= 1000 else f"{micros:.2f} µs"
        print(f"{name:<{width}}  {shown:>10}")


if __name__ == "__main__":
    main()
