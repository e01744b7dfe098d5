"""Scale-out benchmark: 2,000 consoles of one exercise on one server process, then on two behind haproxy.

Both layouts run in one go on this machine, on PostgreSQL and Redis (the configuration several processes
need; the single process uses them too, so the only difference is the number of processes). The consoles
join half on each team seat; behind haproxy they spread over both processes with no sticky sessions. The
exercise releases one inject to everyone every 0.4 s (``fanout-scenario.yaml``); each console records
receive time minus the event's ``wall_time``, as in ``bench/fanout.py``, whose clients this reuses.

It prints, per layout: consoles on each process, delivery p50 and p99, time to the last console, and CPU per
delivered message of the Hotline processes (and of haproxy, counted apart), with the two-process figures as
ratios of the single process's. Results go to bench/results/scaleout-<timestamp>.json. Method and figures:
docs/performance.md.

Needs PostgreSQL (--postgres, default the local server as user postgres), Redis (--redis) and haproxy.
Each layout gets a database and a channel prefix of its own, dropped afterwards.

Run: .venv/bin/python bench/scaleout.py [--consoles 2000] [--injects 30] [--nice -20]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from databases import POSTGRES_URL, fresh_postgres
from fanout import RESULTS_DIR, machine_info
from fanout_options import Options, Schedule
from fanout_outcome import RunOutcome
from fanout_run import FanoutBench, Target
from fanout_servers import DEFAULT_FACTORY, HOST, SCENARIO_FILE, SHIPPED, HotlineApi, ServerProcess, free_port, spawn
from process_setup import client_niceness_for, prepare_bench

PROJECT = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = PROJECT / "docs" / "deploy" / "haproxy.cfg"


@dataclass
class Deployment:
    """Hotline processes on one database and broker, and haproxy in front when there are several."""

    servers: list[ServerProcess]
    proxy: ServerProcess | None

    @property
    def entry_port(self) -> int:
        return self.proxy.port if self.proxy is not None else self.servers[0].port

    def consoles_per_process(self) -> list[int]:
        health = [httpx.get(f"http://{HOST}:{server.port}/api/health", timeout=5).json() for server in self.servers]
        return [int(answer["consoles"]) for answer in health]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--consoles", type=int, default=2000, help="Consoles of the one exercise.")
    parser.add_argument("--injects", type=int, default=30, help="Measured injects per layout (after the warm-up).")
    parser.add_argument("--warmup", type=int, default=5, help="Injects sent first and discarded.")
    parser.add_argument("--processes", type=int, default=0, help="Client processes (0: one per 250 consoles, ≤ 4).")
    parser.add_argument("--no-deflate", action="store_true", help="Clients do not offer permessage-deflate.")
    parser.add_argument("--nice", type=int, default=0, help="Niceness of the servers and haproxy (clients 5 nicer).")
    parser.add_argument("--postgres", default=POSTGRES_URL, help="A PostgreSQL server to make its databases on.")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--layouts", default="1,2", help="Numbers of server processes to run, in order.")
    return parser.parse_args()


@contextmanager
def deployment(workdir: Path, processes: int, database_url: str, redis_url: str, niceness: int) -> Iterator[Deployment]:
    from fanout_servers import start_hotline

    env = {"HOTLINE_BROKER_URL": redis_url, "HOTLINE_BROKER_PREFIX": f"hotline-bench-{uuid.uuid4().hex[:10]}"}
    servers: list[ServerProcess] = []
    proxy: ServerProcess | None = None
    try:
        for number in range(processes):
            name = f"scaleout-{processes}p-{number}"
            servers.append(start_hotline(workdir, SHIPPED, name, niceness=niceness, database_url=database_url, env=env))
        if processes > 1:
            port = free_port()
            proxy_env = {**os.environ, "HOTLINE_PROXY_BIND": f"{HOST}:{port}"}
            proxy_env.update({f"HOTLINE_SERVER_{n + 1}": f"{HOST}:{s.port}" for n, s in enumerate(servers)})
            haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
            command = [haproxy, "-f", str(HAPROXY_CONFIG), "-db"]
            proxy = spawn(f"haproxy-{processes}p", command, proxy_env, workdir, port, niceness)
        yield Deployment(servers, proxy)
    finally:
        for process in [*servers, *([proxy] if proxy else [])]:
            process.stop()


def run_layout(bench: FanoutBench, workdir: Path, processes: int, args: argparse.Namespace) -> dict[str, Any]:
    with (
        fresh_postgres("bench", args.postgres) as database_url,
        deployment(workdir, processes, database_url, args.redis, args.nice) as running,
    ):
        api = HotlineApi(running.entry_port)
        try:
            exercise = api.create_exercise()
            tokens = [exercise.blue_token if n % 2 == 0 else exercise.red_token for n in range(args.consoles)]
            spread: list[int] = []

            def start() -> None:
                spread.extend(running.consoles_per_process())  # every console is live by now
                api.start(exercise.exercise_id)

            target = Target(
                label=f"{processes} process{'es' if processes > 1 else ''}",
                server=running.servers[0],
                url=f"ws://{HOST}:{running.entry_port}/ws/exercises/{exercise.exercise_id}",
                tokens=tokens,
                last_seq=api.head_seq(exercise.exercise_id),
                start=start,
                more_servers=tuple(server.pid for server in running.servers[1:]),
                proxy=(running.proxy.pid,) if running.proxy is not None else (),
            )
            outcome = bench.measure(target, kind="hotline", variant=target.label, repeat=0)
        finally:
            api.close()
    return {"processes": processes, "consoles_per_process": spread, "outcome": outcome}


def per_message_us(cpu_seconds: float | None, outcome: RunOutcome) -> float:
    delivered = outcome.latency.consoles * (outcome.latency.injects + outcome.warmup_injects)
    return math.nan if cpu_seconds is None or not delivered else cpu_seconds / delivered * 1e6


def render(results: list[dict[str, Any]]) -> str:
    header = (
        f"{'layout':<12} {'consoles per process':<22} {'p50 ms':>8} {'p99 ms':>8} {'last p50':>9} {'last max':>9} "
        f"{'hotline µs/msg':>15} {'haproxy µs/msg':>15} {'srv waited':>11} {'missing':>8}"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        outcome: RunOutcome = result["outcome"]
        latency = outcome.latency
        lines.append(
            f"{outcome.variant:<12} {' + '.join(map(str, result['consoles_per_process'])):<22} "
            f"{latency.p50_ms:>8.1f} {latency.p99_ms:>8.1f} {latency.last_console_p50_ms:>9.1f} "
            f"{latency.last_console_max_ms:>9.1f} {per_message_us(outcome.cpu.server, outcome):>15.1f} "
            f"{per_message_us(outcome.cpu.proxy, outcome):>15.1f} {outcome.server_wait_share:>10.1%} "
            f"{latency.missing:>8}"
        )
    if len(results) == 2:
        one, two = (result["outcome"] for result in results)
        lines.append(
            f"{'2 / 1':<12} {'':<22} {two.latency.p50_ms / one.latency.p50_ms:>7.2f}× "
            f"{two.latency.p99_ms / one.latency.p99_ms:>7.2f}× "
            f"{two.latency.last_console_p50_ms / one.latency.last_console_p50_ms:>8.2f}× {'':>9} "
            f"{per_message_us(two.cpu.server, two) / per_message_us(one.cpu.server, one):>14.2f}×"
        )
    return "\n".join(lines)


def main() -> None:
    args = parse()
    if not HAPROXY_CONFIG.exists() or not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        raise SystemExit("haproxy is needed: apt-get install haproxy")
    prepare_bench(args.nice, client_niceness_for(args.nice))
    options = Options(
        sizes=[args.consoles],
        injects=args.injects,
        warmup=args.warmup,
        repeat=1,
        processes=args.processes,
        ws=[SHIPPED],
        deflate=not args.no_deflate,
        baseline_loop="uvloop",
        profile=None,
        profile_format="flamegraph",
        factory=DEFAULT_FACTORY,
        niceness=args.nice,
    )
    started = datetime.now(UTC)
    machine = machine_info()
    with tempfile.TemporaryDirectory(prefix="hotline-scaleout-") as folder:
        bench = FanoutBench(options, Schedule.of_scenario(SCENARIO_FILE), Path(folder))
        layouts = [int(count) for count in args.layouts.split(",")]
        results = [run_layout(bench, Path(folder), processes, args) for processes in layouts]
    print()
    print(f"Inject delivery to {args.consoles} consoles of one exercise, {args.injects} measured injects per layout")
    print(render(results))
    print(
        "\nhotline µs/msg = CPU of every Hotline process per delivered message; haproxy's is counted apart. "
        "last = the slowest console of an inject (median over injects; max = the worst inject)."
    )
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"scaleout-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    document = {
        "machine": machine,
        "options": {"consoles": args.consoles, "injects": args.injects, "warmup": args.warmup, "nice": args.nice},
        "started": started.isoformat(),
        "layouts": [
            {
                "processes": result["processes"],
                "consoles_per_process": result["consoles_per_process"],
                "latency": result["outcome"].latency.as_dict(),
                "hotline_us_per_message": per_message_us(result["outcome"].cpu.server, result["outcome"]),
                "haproxy_us_per_message": per_message_us(result["outcome"].cpu.proxy, result["outcome"]),
                "cpu": result["outcome"].cpu.__dict__,
                "per_inject": result["outcome"].per_inject,
            }
            for result in results
        ],
    }
    path.write_text(json.dumps(document, indent=2, default=str), encoding="utf-8")
    print(f"\nResults written to {path}")


if __name__ == "__main__":
    main()
