"""``hotline tournament``: every pair of policies on every chosen scenario, in parallel processes.

Each worker process starts one in-process server (the ordinary application, a scratch SQLite database,
a clock that moves only when its pacer says) serving every scenario of the tournament, and plays the
games it is handed one after the other, exactly as ``hotline demo`` plays one. A game is one ordered
pair of policies (the first plays the scenario's first team) on one scenario with one seed; in a
sensitivity run, also on variants of the scenario whose timings, and the bots' tempo, are moved by up
to ±10% (``perturb``). Only the scores come back; logs are deleted as soon as they are scored.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from app.bots.match import MatchSetup, play_match
from app.bots.perturb import perturbed, tempo
from app.bots.server import ServerHandle, in_process_server
from app.scenario.schema import Scenario

STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Game:
    scenario: str
    """The scenario's id; a sensitivity variant's id is ``<id>.v<variant>``."""
    blue: str
    red: str
    seed: int
    variant: int = 0

    @property
    def served_id(self) -> str:
        return self.scenario if self.variant == 0 else f"{self.scenario}.v{self.variant}"


@dataclass(frozen=True)
class Outcome:
    game: Game
    teams: dict[str, float] = field(default_factory=dict)
    """Score of the scenario's first team, then of its second (team id → score)."""
    joint: float = 0.0
    metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)
    events: int = 0
    seconds: float = 0.0
    error: str | None = None

    def score(self, side: int) -> float:
        return list(self.teams.values())[side]


@dataclass(frozen=True)
class TournamentSetup:
    scenarios: Sequence[Scenario]
    policies: Sequence[str]
    seeds: int = 3
    variants: int = 0
    """Sensitivity: how many perturbed variants of every game to play besides the nominal one."""
    workers: int = 0
    """Worker processes; 0: one per CPU."""

    def games(self) -> list[Game]:
        pairs = list(product(self.policies, repeat=2))
        return [
            Game(scenario.id, blue, red, seed, variant)
            for scenario in self.scenarios
            for variant in range(self.variants + 1)
            for seed in range(1, self.seeds + 1)
            for blue, red in pairs
        ]

    def worker_count(self, games: int) -> int:
        wanted = self.workers or os.cpu_count() or 1
        return max(1, min(wanted, games))


Progress = Callable[[int, int], None]


def run_tournament(setup: TournamentSetup, progress: Progress | None = None) -> list[Outcome]:
    """Play every game of ``setup``; outcomes in the order of ``setup.games()``."""
    games = setup.games()
    done: dict[Game, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="hotline-tournament-") as scratch:
        folder = Path(scratch) / "scenarios"
        folder.mkdir()
        for scenario in setup.scenarios:
            for variant in range(setup.variants + 1):
                served = scenario if variant == 0 else perturbed(scenario, variant)
                # JSON is YAML: the library reads it like any scenario file.
                text = json.dumps(served.model_dump(mode="json"), ensure_ascii=False)
                (folder / f"{served.id}.yaml").write_text(text, encoding="utf-8")
        context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
        workers = setup.worker_count(len(games))
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(scratch, os.getpid()))
        try:
            futures = [pool.submit(_play, game) for game in games]
            for future in as_completed(futures):
                outcome = future.result()
                done[outcome.game] = outcome
                if progress is not None:
                    progress(len(done), len(games))
        except BaseException:  # Ctrl-C or a broken worker: drop the games not started, finish those running
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
    return [done[game] for game in games]


# --- inside a worker process ---


class _Worker:
    """One server on a private event loop in a background thread; games are played on it one at a time."""

    def __init__(self, scratch: Path) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="tournament-server", daemon=True).start()
        self.home = scratch / f"worker-{os.getpid()}"
        self.home.mkdir(parents=True)
        self.context: AbstractAsyncContextManager[ServerHandle] = in_process_server(
            self.home, bundled=False, scenario_dir=scratch / "scenarios"
        )
        self.server = self._wait(self.context.__aenter__(), STARTUP_SECONDS)

    def _wait(self, coroutine: Any, timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def play(self, game: Game) -> Outcome:
        started = time.perf_counter()
        setup = MatchSetup(
            policies=(game.blue, game.red),
            scenario_id=game.served_id,
            seed=game.seed,
            out_dir=self.home / "logs",
            tempo=(tempo(game.seed, game.variant, "first"), tempo(game.seed, game.variant, "second")),
            keep_log=False,
        )
        try:
            result = self._wait(play_match(setup, self.server))
        except Exception as exc:  # one failed game must not lose the others; it is reported
            return Outcome(game, error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - started)
        card = result.card
        return Outcome(
            game,
            teams={team: scores.score for team, scores in card.teams.items()},
            joint=card.joint.value,
            metrics={
                team: {metric: value.value for metric, value in scores.metrics.items()}
                for team, scores in card.teams.items()
            },
            events=result.events,
            seconds=time.perf_counter() - started,
        )


_worker: _Worker | None = None


def _start(scratch: str, parent: int) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_orphan_watch, args=(parent,), name="orphan-watch", daemon=True).start()
    _worker = _Worker(Path(scratch))


def _orphan_watch(parent: int) -> None:
    """A worker whose tournament process is gone (killed, say) has no one to play for: it leaves."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _play(game: Game) -> Outcome:
    assert _worker is not None, "the worker process was not started with _start"
    return _worker.play(game)


def nominal(outcomes: Sequence[Outcome]) -> Iterator[Outcome]:
    return (outcome for outcome in outcomes if outcome.game.variant == 0 and outcome.error is None)
