"""Chaos: SIGKILL a real ``hotline serve`` at random moments of a running exercise, and check it lost nothing.

For each database (SQLite, PostgreSQL) it starts ``hotline serve``, creates an exercise of the fan-out
scenario (an inject every few seconds), connects a control console and one console per team that keep
sending commands (chat, moves, statements, cables) as the browser does, with ids resent after a drop.
At ``--kills`` random moments it SIGKILLs the server, leaves it down for a random while, starts it again on
the same database and, once every console is back, checks:

* seq continuity: the log is numbered 1, 2, 3… and the control console received exactly that, no gap,
  no duplicate;
* acknowledged commands: every command the server acknowledged is in the log, and no command was
  applied twice although unanswered ones were resent;
* exactly-once releases: no inject released twice, none that fell due missing;
* the clock: events recorded after the restart carry the scenario time the pre-kill clock gives for
  their wall time (the error is printed, in scenario seconds).

It prints one row per kill and exits 1 if any check failed. CI runs it with two kills per database.

Run: .venv/bin/python bench/chaos.py [--kills 8] [--db sqlite,postgres] [--seed 7]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from chaos_checks import Verdict, anchor_of, check
from chaos_players import Player, Sent, keep_connected
from databases import fresh_postgres
from fanout_servers import HOST, SCENARIO_FILE, SCENARIO_ID, SECRET, ServerProcess, free_port, hotline_command, spawn

from app.realtime.client import ConsoleClient
from app.scenario.loader import load_scenario

SECONDS_PER_KILL = 5.0  # wall time between kills: long enough for the consoles to be back and busy
SETTLE_TIMEOUT = 20.0


@dataclass
class Row:
    database: str
    kill: int
    at: float
    in_flight: int
    down: float
    back_in: float
    resent: int
    verdict: Verdict


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """A new, empty database of ``kind``, dropped afterwards (PostgreSQL) or left in ``folder`` (SQLite)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'chaos.db'}"
        return
    with fresh_postgres("chaos") as url:
        yield url


class Server:
    """``hotline serve`` on one port and one database, killed and started again at will."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder, self.database_url, self.port = folder, database_url, free_port()
        self.process: ServerProcess | None = None
        scenarios = folder / "scenarios"
        scenarios.mkdir(exist_ok=True)
        (scenarios / SCENARIO_FILE.name).write_bytes(SCENARIO_FILE.read_bytes())
        self.env = {
            **os.environ,
            "HOTLINE_SECRET": SECRET,
            "HOTLINE_SCENARIO_DIRS": json.dumps([str(scenarios)]),
            "HOTLINE_DATA_DIR": str(folder),
            "HOTLINE_LOG_LEVEL": "warning",
        }

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> float:
        """Start and wait until it answers; returns the seconds that took."""
        began = time.monotonic()
        command = [hotline_command(), "serve", "--host", HOST, "--port", str(self.port), "--db", self.database_url]
        self.process = spawn(
            f"serve-{len(list(self.folder.glob('serve-*.log')))}", command, self.env, self.folder, self.port, 0
        )
        while httpx.get(f"{self.url}/api/health", timeout=2).status_code != 200:
            time.sleep(0.05)
        return time.monotonic() - began

    def kill(self) -> None:
        assert self.process is not None
        self.process.process.kill()  # SIGKILL: no shutdown code runs
        self.process.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


async def run_one(kind: str, kills: int, rng: random.Random, folder: Path) -> list[Row]:
    scenario = load_scenario(SCENARIO_FILE)
    duration = kills * SECONDS_PER_KILL + 2.0
    last_due = max(float(inject.at or 0) for inject in scenario.injects)
    compression = last_due / duration  # the MSEL's injects spread over the whole run
    due_times = {inject.id: float(inject.at) for inject in scenario.injects if inject.at is not None}
    with database(kind, folder) as url:
        server = Server(folder, url)
        server.start()
        try:
            return await _chaos(kind, server, kills, duration, compression, due_times, rng)
        finally:
            server.stop()


async def _chaos(
    kind: str,
    server: Server,
    kills: int,
    duration: float,
    compression: float,
    due: dict[str, float],
    rng: random.Random,
) -> list[Row]:
    headers = {"Authorization": f"Bearer {SECRET}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=30) as http:
        body = {"scenario_id": SCENARIO_ID, "compression": compression}
        exercise = (await http.post("/api/exercises", json=body)).raise_for_status().json()
        exercise_id = exercise["id"]
        teams = [s for s in exercise["seats"] if s["kind"] == "player" and not s["role"]]
        players = [
            Player(ConsoleClient(server.url, exercise_id, token=s["token"]), random.Random(rng.random())) for s in teams
        ]
        control = ConsoleClient(server.url, exercise_id, secret=SECRET)
        for console in (control, *(player.console for player in players)):
            await console.connect()
        for player in players:
            player.connected.set()
        stopping = asyncio.Event()
        tasks = [asyncio.create_task(keep_connected(control, stopping))]
        tasks += [asyncio.create_task(player.play()) for player in players]
        await http.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "chaos-start"})
        began = time.monotonic()
        moments = sorted(rng.uniform(1.0, duration - 1.0) for _ in range(kills))
        rows = []
        try:
            for number, moment in enumerate(moments, start=1):
                await asyncio.sleep(max(0.0, began + moment - time.monotonic()))
                rows.append(
                    await _kill_and_check(kind, number, moment, server, http, exercise_id, control, players, due, rng)
                )
        finally:
            stopping.set()
            for player in players:
                player.stopping = True
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for console in (control, *(player.console for player in players)):
                await console.close()
        return rows


async def _kill_and_check(
    kind: str, number: int, moment: float, server: Server, http: httpx.AsyncClient, exercise_id: str,
    control: ConsoleClient, players: list[Player], due: dict[str, float], rng: random.Random,
) -> Row:  # fmt: skip
    before = control.last_seq
    anchor = anchor_of(control.events)
    waiting = [item for player in players for item in player.unanswered()]
    resent_before = sum(item.resent for player in players for item in player.sent.values())
    server.kill()
    killed_at = datetime.now(UTC)
    down = rng.uniform(0.3, 2.5)
    await asyncio.sleep(down)
    back_in = await asyncio.to_thread(server.start)
    restarted_at = datetime.now(UTC)
    await _settle(players, waiting, control, http, exercise_id)
    received = [event["seq"] for event in control.events]
    acks = {
        (p.console.you["seat_id"], key): item.seqs and list(item.seqs) for p in players for key, item in p.sent.items()
    }
    log = await _log(http, exercise_id)  # read last: it holds everything acknowledged or received so far
    verdict = check(log, received, acks, due, before, anchor, (killed_at, restarted_at))
    resent = sum(item.resent for player in players for item in player.sent.values()) - resent_before
    return Row(kind, number, moment, len(waiting), down, back_in, resent, verdict)


async def _settle(
    players: list[Player], waiting: list[Sent], control: ConsoleClient, http: httpx.AsyncClient, exercise_id: str
) -> None:
    """Wait until every console is back, every command in flight at the kill answered, and the control
    console caught up with the log."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        head = (await _log(http, exercise_id))[-1]["seq"]
        answered = all(item.seqs is not None or item.refused is not None for item in waiting)
        back = all(player.connected.is_set() for player in players) and control.live.is_set()
        if answered and back and control.last_seq >= head:
            return
        await asyncio.sleep(0.1)
    raise RuntimeError("the consoles did not settle after the restart")


async def _log(http: httpx.AsyncClient, exercise_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        after = events[-1]["seq"] if events else 0
        batch = (await http.get(f"/api/exercises/{exercise_id}/events", params={"after": after, "limit": 5000})).json()
        if not batch:
            return events
        events.extend(batch)


HEADER = (
    f"{'database':<9} {'kill':>4} {'at s':>6} {'in flight':>9} {'down s':>6} {'back in s':>9} {'resent':>6} "
    f"{'events':>6} {'acked':>5} {'lost':>4} {'twice':>5} {'releases':>8} {'due down':>8} {'missing':>7} "
    f"{'gaps':>4} {'late':>4} {'clock err':>9}"
)


def render(row: Row) -> str:
    v = row.verdict
    gaps = v.seq_gaps + v.console_gaps
    return (
        f"{row.database:<9} {row.kill:>4} {row.at:>6.1f} {row.in_flight:>9} {row.down:>6.2f} {row.back_in:>9.2f} "
        f"{row.resent:>6} {v.events:>6} {v.acked:>5} {v.lost:>4} {v.applied_twice + v.released_twice:>5} "
        f"{v.releases:>8} {v.due_while_down:>8} {v.overdue_missing:>7} {gaps:>4} {v.late:>4} {v.clock_error:>9.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=8, help="SIGKILLs per database (default 8)")
    parser.add_argument("--db", default="sqlite,postgres", help="databases to run on: sqlite, postgres or both")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one, printed)")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(1 << 30)
    print(f"chaos: {options.kills} kill(s) per database, seed {seed}", flush=True)
    rows: list[Row] = []
    for kind in options.db.split(","):
        with tempfile.TemporaryDirectory(prefix=f"hotline-chaos-{kind}-") as folder:
            rows += asyncio.run(run_one(kind, options.kills, random.Random(f"{seed}-{kind}"), Path(folder)))
    print(HEADER)
    for row in rows:
        print(render(row))
    failed = [row for row in rows if not row.verdict.ok]
    print(f"{len(rows)} kill(s), {len(failed)} with a failed check" + ("" if not failed else ": see the rows above"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
