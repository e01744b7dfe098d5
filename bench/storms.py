"""Join and reconnect storms: thousands of consoles joining one exercise at once, and coming back after a SIGKILL.

Against a real ``hotline serve`` (SQLite, the fan-out scenario running: one inject every 0.4 s):

1. **Cold join.** The exercise has ``--history`` events (team chat) when ``--consoles`` consoles, in worker
   processes, all join it from seq 0 at once. Measured: time until every console is live, the facilitator's
   ping round trip meanwhile (a control console pinging every 20 ms), and the lateness of the scheduled
   injects released during the storm.
2. **Restart.** The server is SIGKILLed with every console connected, started again on the same database and
   port, and ``--behind`` more events are committed at once; the consoles come back with exponential
   backoff and full jitter, resuming from their last seq. Measured: time from the restart until every
   console is live again (hence complete: ``live`` follows the catch-up), pings and timer lateness likewise.

Either way each console's tally is then checked against the log: every event it may see, once, no gap and
no duplicate. Method and figures: docs/performance.md, "Join and reconnect storms".

Run: .venv/bin/python bench/storms.py [--consoles 5000] [--restart-consoles 1000] [--nice -20]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import httpx
from cpu_meter import CpuSnapshot, snapshot
from fanout_pool import WorkerPool, split_consoles
from fanout_servers import HOST, SCENARIO_ID, SECRET, SHIPPED, start_hotline
from fanout_stats import percentile, timer_lateness
from process_setup import client_niceness_for, prepare_bench
from storm_clients import StormPlan, storm_worker

from app.engine.events import Event
from app.engine.principal import Principal
from app.engine.visibility import can_see
from app.realtime.client import ConsoleClient

CONSOLES_PER_PROCESS = 1250
MAX_PROCESSES = 4
PING_EVERY_SECONDS = 0.02
STORM_TIMEOUT = 180.0
SERVER_ENV = {"HOTLINE_RATE_LIMIT_PER_SECOND": "1000", "HOTLINE_RATE_LIMIT_BURST": "1000"}
"""One seat sends the history and the events behind as fast as it can: not a flood to refuse here."""


@dataclass
class StormResult:
    case: str
    consoles: int
    all_live_seconds: float
    ping_p99_ms: float
    ping_max_ms: float
    pings: int
    lateness_p99_ms: float
    lateness_max_ms: float
    releases: int
    missing: int
    duplicates: int
    server_cpu_ms_per_console: float
    """The server's CPU time over the storm, divided by the consoles: what one join or resume costs it."""
    server_waited: float
    """Share of the storm the server's loop thread was runnable but had no CPU (other work took it)."""
    clients_cpu_ms_per_console: float
    """The console workers' CPU over the storm per console: they share the server's two cores."""


class Pinger:
    """The facilitator's control console, pinging in a thread of its own; reconnects when the server goes."""

    def __init__(self, base_url: str, exercise_id: str) -> None:
        self.base_url, self.exercise_id = base_url, exercise_id
        self.samples: list[tuple[float, float]] = []
        """(sent at, round trip seconds)."""
        self.stopping = False
        self.thread = threading.Thread(target=lambda: asyncio.run(self.run()), daemon=True)
        self.thread.start()

    async def run(self) -> None:
        while not self.stopping:
            client = ConsoleClient(self.base_url, self.exercise_id, secret=SECRET)
            try:
                await client.connect(resume=False, timeout=30)
                while not self.stopping:
                    sent = time.time()
                    reply = await client.request({"type": "ping"}, timeout=30)
                    if reply.get("type") == "pong":
                        self.samples.append((sent, time.time() - sent))
                    await asyncio.sleep(PING_EVERY_SECONDS)
            except Exception:
                await asyncio.sleep(0.1)
            finally:
                await client.close()

    def between(self, start: float, end: float) -> list[float]:
        return [rtt * 1000 for sent, rtt in self.samples if start <= sent <= end]

    def stop(self) -> None:
        self.stopping = True
        self.thread.join(timeout=10)


class StormPool(WorkerPool):
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes if process.pid is not None]

    def __init__(self, plans: list[StormPlan]) -> None:
        super().__init__(plans, storm_worker)
        self.live: dict[int, tuple[float, int]] = {}
        self.started: dict[int, float] = {}

    def heard(self, timeout: float) -> Iterator[tuple[str, int, Any]]:
        for pipe in wait(self.pipes, timeout=timeout):
            assert isinstance(pipe, Connection)
            message = pipe.recv()
            kind, worker, data = message
            if kind == "live":
                self.live[worker] = data
            elif kind == "started":
                self.started[worker] = data
            yield message

    def wait_live(self, consoles: int, since: float) -> float:
        """Wall time at which every console was live in a report made after ``since``."""
        deadline = time.monotonic() + STORM_TIMEOUT
        while time.monotonic() < deadline:
            for _ in self.heard(timeout=1.0):
                pass
            reports = [self.live.get(index) for index in range(len(self.pipes))]
            if all(r is not None and r[0] > since for r in reports) and sum(r[1] for r in reports if r) == consoles:
                return max(r[0] for r in reports if r)
        raise TimeoutError(f"not every console was live within {STORM_TIMEOUT:.0f} s")

    def wait_dropped(self, since: float) -> None:
        """Until every worker has seen its consoles go (after a SIGKILL)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for _ in self.heard(timeout=1.0):
                pass
            if all(r[0] > since and r[1] == 0 for r in self.live.values()):
                return

    def tallies(self) -> list[dict[str, Any]]:
        for pipe in self.pipes:
            pipe.send("report")
        reports: dict[int, list[dict[str, Any]]] = {}
        while len(reports) < len(self.pipes):
            for kind, worker, data in self.heard(timeout=30):
                if kind == "report":
                    reports[worker] = data
        return [tally for worker in sorted(reports) for tally in reports[worker]]


def create_exercise(http: httpx.Client) -> tuple[str, dict[str, str], str]:
    """The exercise, its team seats' tokens by team, and the blue leader's token (who sends the chat)."""
    response = http.post("/api/exercises", json={"scenario_id": SCENARIO_ID})
    response.raise_for_status()
    body = response.json()
    teams = {seat["team"]: seat["token"] for seat in body["seats"] if seat["kind"] == "player" and not seat["role"]}
    leader = next(s["token"] for s in body["seats"] if s.get("team") == "blue" and s.get("role") == "leader")
    return body["id"], teams, leader


def all_events(http: httpx.Client, exercise_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        after = events[-1]["seq"] if events else 0
        response = http.get(f"/api/exercises/{exercise_id}/events", params={"after": after, "limit": 5000})
        response.raise_for_status()
        if not response.json():
            return events
        events.extend(response.json())


async def send_chat(base_url: str, exercise_id: str, token: str, count: int, label: str) -> None:
    client = ConsoleClient(base_url, exercise_id, token=token)
    await client.connect(resume=False, timeout=30)
    try:
        for number in range(count):
            await client.command({"type": "send_chat", "text": f"{label} {number}: status report from the desk"})
    finally:
        await client.close()


def check_tallies(
    tallies: list[dict[str, Any]], events: list[dict[str, Any]], teams: dict[str, str]
) -> tuple[int, int]:
    """(events missing, duplicates) over every console, against what the log says each may see."""
    team_of = {token: team for team, token in teams.items()}
    visible: dict[str, list[int]] = {}
    for team in teams:
        viewer = Principal(kind="player", seat_id=f"bench-{team}", team=team, roles=frozenset()).viewer
        visible[team] = [event["seq"] for event in events if can_see(viewer, Event.model_validate(event))]
    missing = duplicates = 0
    for tally in tallies:
        seqs = visible[team_of[tally["token"]]]
        expected = sum(1 for seq in seqs if tally["first_seq"] < seq <= tally["last_seq"])
        missing += expected - tally["events"]
        duplicates += tally["duplicates"]
    return missing, duplicates


def lateness_between(events: list[dict[str, Any]], start: float, end: float) -> list[float]:
    return [r.lateness * 1000 for r in timer_lateness(events) if start <= r.planned <= end]


def summarize(
    case: str,
    consoles: int,
    started: float,
    live_at: float,
    pinger: Pinger,
    late: list[float],
    checked: tuple[int, int],
    cpu: tuple[CpuSnapshot, CpuSnapshot],
) -> StormResult:
    pings = pinger.between(started, live_at)
    before, after = cpu
    server_cpu = (after.server or 0.0) - (before.server or 0.0)
    waited = (after.server_wait or 0.0) - (before.server_wait or 0.0)
    return StormResult(
        case=case,
        consoles=consoles,
        all_live_seconds=live_at - started,
        ping_p99_ms=percentile(pings, 0.99),
        ping_max_ms=max(pings, default=math.nan),
        pings=len(pings),
        lateness_p99_ms=percentile(late, 0.99),
        lateness_max_ms=max(late, default=math.nan),
        releases=len(late),
        missing=checked[0],
        duplicates=checked[1],
        server_cpu_ms_per_console=server_cpu * 1000 / consoles,
        server_waited=waited / max(after.at - before.at, 1e-9),
        clients_cpu_ms_per_console=((after.clients or 0.0) - (before.clients or 0.0)) * 1000 / consoles,
    )


def plans_for(url: str, tokens: list[str], niceness: int) -> list[StormPlan]:
    processes = max(1, min(MAX_PROCESSES, math.ceil(len(tokens) / CONSOLES_PER_PROCESS)))
    client_niceness = client_niceness_for(niceness)
    return [
        StormPlan(worker=index, url=url, tokens=share, last_seq=0, deflate=True, niceness=client_niceness)
        for index, share in enumerate(split_consoles(tokens, processes))
    ]


def run_storms(args: argparse.Namespace, workdir: Path) -> list[StormResult]:
    server = start_hotline(workdir, SHIPPED, "storm", niceness=args.nice, env=SERVER_ENV)
    database = f"sqlite:///{workdir / 'storm.db'}"
    base_url = f"http://{HOST}:{server.port}"
    http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {SECRET}"}, timeout=60)
    results: list[StormResult] = []
    pool: StormPool | None = None
    pinger: Pinger | None = None
    try:
        exercise_id, teams, leader = create_exercise(http)
        http.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "storm-start"})
        asyncio.run(send_chat(base_url, exercise_id, leader, args.history, "history"))
        pinger = Pinger(base_url, exercise_id)
        time.sleep(1.0)
        consoles = args.consoles
        tokens = [teams["blue"] if index % 2 == 0 else teams["red"] for index in range(consoles)]
        url = f"ws://{HOST}:{server.port}/ws/exercises/{exercise_id}"
        pool = StormPool(plans_for(url, tokens, args.nice))
        cpu_before = snapshot([server.pid], pool.pids())  # the workers are still starting: nothing joined yet
        while len(pool.started) < len(pool.pipes):
            for _ in pool.heard(timeout=30):
                pass
        started = min(pool.started.values())
        live_at = pool.wait_live(consoles, started)
        cpu_after = snapshot([server.pid], pool.pids())
        print(f"cold join: {consoles} consoles live in {live_at - started:.2f} s", flush=True)
        time.sleep(1.0)
        events = all_events(http, exercise_id)
        results.append(
            summarize(
                "cold join",
                consoles,
                started,
                live_at,
                pinger,
                lateness_between(events, started, live_at),
                check_tallies(pool.tallies(), events, teams),
                (cpu_before, cpu_after),
            )
        )
        if args.restart:
            killed = time.time()
            server.process.send_signal(signal.SIGKILL)
            server.process.wait()
            pool.wait_dropped(killed)
            server = start_hotline(
                workdir,
                SHIPPED,
                "storm-restarted",
                niceness=args.nice,
                database_url=database,
                port=server.port,
                env=SERVER_ENV,
            )
            restarted = time.time()
            cpu_before = snapshot([server.pid], pool.pids())
            asyncio.run(send_chat(base_url, exercise_id, leader, args.behind, "behind"))
            live_at = pool.wait_live(consoles, restarted)
            cpu_after = snapshot([server.pid], pool.pids())
            print(
                f"restart: {consoles} consoles live again {live_at - restarted:.2f} s after the restart "
                f"({live_at - killed:.2f} s after the kill)",
                flush=True,
            )
            time.sleep(1.0)
            events = all_events(http, exercise_id)
            results.append(
                summarize(
                    "restart (SIGKILL)",
                    consoles,
                    restarted,
                    live_at,
                    pinger,
                    lateness_between(events, restarted + 1.0, live_at),
                    check_tallies(pool.tallies(), events, teams),
                    (cpu_before, cpu_after),
                )
            )
    finally:
        if pinger is not None:
            pinger.stop()
        if pool is not None:
            pool.shutdown()
        http.close()
        server.stop()
    return results


def render(results: list[StormResult]) -> str:
    header = (
        "case                 consoles  all live s  ping p99 ms  ping max ms  pings  timer p99 ms  timer max ms"
        "  releases  missing  duplicates  srv cpu ms/console  srv waited  clients cpu ms/console"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.case:<20} {r.consoles:>8}  {r.all_live_seconds:>10.2f}  {r.ping_p99_ms:>11.1f}  {r.ping_max_ms:>11.1f}"
            f"  {r.pings:>5}  {r.lateness_p99_ms:>12.2f}  {r.lateness_max_ms:>12.2f}  {r.releases:>8}  {r.missing:>7}"
            f"  {r.duplicates:>10}  {r.server_cpu_ms_per_console:>18.2f}  {r.server_waited:>9.1%}"
            f"  {r.clients_cpu_ms_per_console:>22.2f}"
        )
    return "\n".join(lines)


def storm_options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--consoles", type=int, default=1000, help="Consoles in the storm.")
    parser.add_argument("--history", type=int, default=150, help="Events in the log before the cold join.")
    parser.add_argument("--behind", type=int, default=100, help="Events committed right after the restart.")
    parser.add_argument("--no-restart", dest="restart", action="store_false", help="Only the cold join.")
    parser.add_argument("--nice", type=int, default=0, help="Niceness of the server (clients 5 steps nicer).")
    return parser.parse_args(argv)


def run_and_report(args: argparse.Namespace) -> bool:
    """Run the storms of ``args`` and print their table; False when a console missed an event or got one twice."""
    prepare_bench(args.nice, client_niceness_for(args.nice))
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="hotline-storms-") as workdir:
        results = run_storms(args, Path(workdir))
    print()
    print(render(results))
    print(
        f"\nload average after: {os.getloadavg()[0]:.2f}; median all-live: "
        f"{statistics.median(r.all_live_seconds for r in results):.2f} s"
    )
    failed = [r for r in results if r.missing or r.duplicates]
    for r in failed:
        print(f"FAILED: {r.case}: {r.missing} events missing, {r.duplicates} duplicates over {r.consoles} consoles")
    if not failed:
        print("every console got every event it may see, once (no gap, no duplicate)")
    return not failed


def main() -> None:
    if not run_and_report(storm_options()):
        sys.exit(1)


if __name__ == "__main__":
    main()
