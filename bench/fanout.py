"""Fan-out benchmark: how long a released inject takes to reach 100, 500 and 1,000 team consoles.

For each size it runs Hotline as a real server (``hotline serve`` in a subprocess, or uvicorn with a chosen
websocket implementation), creates an exercise of ``fanout-scenario.yaml`` (one inject to everyone every
0.4 s), connects the consoles from client worker processes — half on the blue team seat, half on the red —
starts the exercise and records, for every console and inject, receive time minus the event's wall_time.
It then does the same against a bare ``websockets`` broadcast server sending Hotline's own inject messages
on the same rhythm, and prints Hotline / baseline for p50, p99 and time to the last console, plus the
timer lateness of Hotline's scheduled releases. Results go to bench/results/fanout-<timestamp>.json.
Method and figures: docs/performance.md.

Run: .venv/bin/python bench/fanout.py [--sizes 100,500,1000] [--injects 40] [--quick]
On a busy shared machine (as root): .venv/bin/python bench/fanout.py --nice -20 --repeat 3
CI's regression guard (make test runs it): .venv/bin/python bench/fanout.py --guard
Join and reconnect storms: .venv/bin/python bench/fanout.py --storms --sizes 1000,5000 --nice -20
"""

from __future__ import annotations

import os
import platform
import tempfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fanout_options import Schedule, parse_options
from fanout_outcome import RunOutcome, combine
from fanout_report import guard_failures, render_lateness, render_table, render_verdict, write_json
from fanout_run import FanoutBench
from fanout_servers import SCENARIO_FILE
from process_setup import prepare_bench
from storms import run_and_report, storm_options

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def machine_info() -> dict[str, Any]:
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
        "packages": {name: _version(name) for name in ("uvicorn", "websockets", "uvloop", "fastapi", "wsproto")},
    }


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def main() -> None:
    options = parse_options(__doc__ or "")
    if options.storms:
        storms = [storm_options(["--consoles", str(size), "--nice", str(options.niceness)]) for size in options.sizes]
        if not all([run_and_report(args) for args in storms]):  # every size runs, even after a failed one
            raise SystemExit(1)
        return
    schedule = Schedule.of_scenario(SCENARIO_FILE)
    if options.warmup + options.injects > schedule.injects:
        raise SystemExit(f"{SCENARIO_FILE.name} has {schedule.injects} injects; ask for at most that many in all")
    prepare_bench(options.niceness, options.client_niceness)
    started = datetime.now(UTC)
    machine = machine_info()
    runs: list[RunOutcome] = []
    with tempfile.TemporaryDirectory(prefix="hotline-fanout-") as workdir:
        bench = FanoutBench(options, schedule, Path(workdir))
        # Repeats interleave servers and sizes, so a burst of load from elsewhere hits both alike.
        for repeat in range(options.repeat):
            for consoles in options.sizes:
                for ws in options.ws:
                    runs.append(bench.run_hotline(consoles, ws, repeat))
                runs.append(bench.run_baseline(consoles, repeat))
    rows = combine(runs)
    print()
    print(render_table(rows, options.repeat))
    print()
    print(render_lateness(rows))
    print()
    print(render_verdict(rows))
    path = RESULTS_DIR / f"fanout-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    document_options = {
        "sizes": options.sizes,
        "injects": options.injects,
        "warmup": options.warmup,
        "repeat": options.repeat,
        "interval_seconds": schedule.interval,
        "ws": options.ws,
        "deflate": options.deflate,
        "baseline_loop": options.baseline_loop,
        "factory": options.factory,
        "niceness": {"servers": options.niceness, "clients": options.client_niceness},
        "client_processes": {size: options.processes_for(size) for size in options.sizes},
        "started": started.isoformat(),
    }
    write_json(path, machine, document_options, runs, options.repeat)
    print(f"\nResults written to {path}")
    if options.guard:
        failures = guard_failures(rows)
        for failure in failures:
            print(f"regression guard: {failure}")
        if failures:
            raise SystemExit(1)
        print("regression guard: passed")


if __name__ == "__main__":
    main()
