"""``hotline tournament``: the command line of ``app.bots.tournament``, with a progress bar on stderr."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from app.bots.demo import POLICY_NAMES

if TYPE_CHECKING:
    from app.scenario.schema import Scenario

BAR_WIDTH = 30


def tournament_command(
    out: Annotated[Path, typer.Option(help="Folder for tournament.html, tournament.json and the CSV files.")],
    scenarios: Annotated[
        list[str] | None,
        typer.Option(
            "--scenarios",
            "--scenario",
            help="Scenario ids of the bundled library or scenario files, comma-separated or repeated "
            "(default: every bundled scenario).",
        ),
    ] = None,
    policies: Annotated[
        list[str] | None,
        typer.Option(
            "--policies",
            "--policy",
            help=f"Bot policies, comma-separated or repeated (default: all of {', '.join(POLICY_NAMES)}).",
        ),
    ] = None,
    seeds: Annotated[int, typer.Option(min=1, max=100, help="Games per pairing, seeds 1…N.")] = 3,
    sensitivity: Annotated[
        int,
        typer.Option(
            min=0,
            max=20,
            help="Also play every game this many more times with every timing (scenario and bots) moved by up "
            "to ±10%, and report how far scores move. 0: off.",
        ),
    ] = 0,
    workers: Annotated[int, typer.Option(min=0, max=64, help="Worker processes (0: one per CPU).")] = 0,
) -> None:
    """Play every pair of policies against each other on every chosen scenario, and compare the scores."""
    from app.bots.tournament import TournamentSetup, run_tournament
    from app.bots.tournament_report import write_all

    chosen = _policies(policies)
    setup = TournamentSetup(_scenarios(scenarios), chosen, seeds=seeds, variants=sensitivity, workers=workers)
    games = len(setup.games())
    typer.echo(
        f"Playing {games} games ({len(chosen)}² pairings × {len(setup.scenarios)} scenario(s) × {seeds} seed(s)"
        + (f" × {sensitivity + 1} timings" if sensitivity else "")
        + f") in {setup.worker_count(games)} process(es)…",
        err=True,
    )
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _interrupt)  # a kill cleans up like Ctrl-C: no stray processes or files
    try:
        outcomes = run_tournament(setup, ProgressBar(started))
    except KeyboardInterrupt:
        typer.echo("\nInterrupted; nothing was written.", err=True)
        raise typer.Exit(130) from None
    written = write_all(out, setup, outcomes, time.monotonic() - started)
    failed = [o for o in outcomes if o.error is not None]
    for outcome in failed[:5]:
        typer.echo(f"Game failed: {outcome.game}: {outcome.error}", err=True)
    typer.echo("\n".join(str(path) for path in written))
    if failed:
        typer.echo(f"{len(failed)} of {games} games failed; see tournament.json.", err=True)
        raise typer.Exit(1)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _policies(values: list[str] | None) -> list[str]:
    chosen = _split(values) or list(POLICY_NAMES)
    unknown = [name for name in chosen if name not in POLICY_NAMES]
    if unknown:
        named = ", ".join(repr(name) for name in unknown)
        _fail(f"--policies: there is no bot policy {named}; choose from {', '.join(POLICY_NAMES)}.")
    return list(dict.fromkeys(chosen))


def _scenarios(values: list[str] | None) -> list[Scenario]:
    from app.config import Settings
    from app.scenario.library import ScenarioLibrary
    from app.scenario.loader import ScenarioInvalid
    from app.scenario.validate import load_and_lint

    library = ScenarioLibrary(list(Settings().scenario_dirs))
    names = _split(values)
    if not names:
        chosen = [library.get(summary.id) for summary in library.list()]
        if not chosen:
            _fail("There is no bundled scenario to play; pass --scenarios with a scenario file.")
        return [scenario for scenario in chosen if scenario is not None]
    found: list[Scenario] = []
    for name in names:
        path = Path(name)
        if path.suffix in (".yaml", ".yml") or path.exists():
            try:
                found.append(load_and_lint(path))
            except ScenarioInvalid as exc:
                for problem in exc.problems:
                    typer.echo(str(problem), err=True)
                _fail(f"{path} is not a valid scenario; 'hotline validate {path}' lists the same problems.")
            continue
        scenario = library.get(name)
        if scenario is None:
            known = ", ".join(summary.id for summary in library.list()) or "none"
            _fail(f"--scenarios: there is no scenario '{name}' (bundled: {known}); or give a .yaml file.")
        found.append(scenario)
    ids = [scenario.id for scenario in found]
    if len(set(ids)) != len(ids):
        _fail("--scenarios: a scenario is named twice.")
    return found


class ProgressBar:
    """Games done, a bar, elapsed and remaining time: one updating line on a terminal, every tenth otherwise."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.interactive = sys.stderr.isatty()
        self.tenth = -1

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        elapsed = time.monotonic() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        filled = round(share * BAR_WIDTH)
        line = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} games, {_clock(elapsed)} elapsed, "
            f"~{_clock(left)} left"
        )
        if self.interactive:
            sys.stderr.write("\r" + line + ("\n" if done >= total else ""))
            sys.stderr.flush()
        elif int(share * 10) != self.tenth:
            self.tenth = int(share * 10)
            typer.echo(line, err=True)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"
