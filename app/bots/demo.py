"""``hotline demo``: two scripted teams play a whole scenario against each other, then the log is scored.

By default a real server is started in this process (on a free local port, with a scratch database),
so nothing needs to be running; ``--url`` plays on a running server instead. The JSONL log goes to
``--out`` and the scores printed are ``app.scoring.score`` of that log, the same as ``hotline score``.
Progress goes to stderr, so ``--json`` leaves exactly one JSON object on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from app.bots.match import MatchResult, MatchSetup, Progress

POLICY_NAMES = (
    "null",
    "hawk",
    "dove",
    "tft",
    "grit",
    "spammer",
    "tft-slow",
    "writer",
    "refuser",
    "noisy",
    "escalate-agree",
)
"""Kept here so that ``hotline --help`` need not import the bots; ``tests/bots`` checks it is complete."""
_POLICY_HELP = f"Bot policy: {', '.join(POLICY_NAMES)}."


def demo_command(
    scenario: Annotated[
        str | None,
        typer.Option(help="A scenario file, or the id of a bundled scenario (default: the first bundled one)."),
    ] = None,
    blue: Annotated[str, typer.Option(help=f"{_POLICY_HELP} Plays the scenario's first team.")] = "tft",
    red: Annotated[str, typer.Option(help=f"{_POLICY_HELP} Plays the scenario's second team.")] = "tft",
    compression: Annotated[
        float | None,
        typer.Option(min=0.001, max=10000, help="Exercise compression (default: the scenario's)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the bots' random choices: the same seed plays the same game.")] = 1,
    out: Annotated[Path, typer.Option(help="Folder for the JSONL log.")] = Path("demo-out"),
    url: Annotated[
        str | None, typer.Option(help="Play on the Hotline server at this URL instead of starting one here.")
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(envvar="HOTLINE_SECRET", help="Facilitator secret of the server given with --url."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the table.")] = False,
) -> None:
    """Let two bot teams play a scenario to ENDEX, write the log and print the scores."""
    from app.bots.match import MatchSetup

    for side, policy in (("--blue", blue), ("--red", red)):
        if policy not in POLICY_NAMES:
            _fail(f"{side}: there is no bot policy '{policy}'; choose one of {', '.join(POLICY_NAMES)}.")
    if url is not None and not secret:
        _fail("--url needs the server's facilitator secret: pass --secret or set HOTLINE_SECRET.")
    scenario_id, scenario_file = _scenario_choice(scenario)
    if url is not None and scenario_file is not None:
        typer.echo(f"Playing scenario '{scenario_id}' as the server at {url} knows it.", err=True)
    setup = MatchSetup(policies=(blue, red), scenario_id=scenario_id, seed=seed, compression=compression, out_dir=out)
    result = _run(setup, url, secret, scenario_file)
    from app.reports.exports import write_html_report

    report = write_html_report(result.log, result.log.parent)
    if as_json:
        sys.stdout.write(json.dumps(summary(result, report), ensure_ascii=False) + "\n")
    else:
        typer.echo(table(result) + f"\nReport: {report}")


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _scenario_choice(value: str | None) -> tuple[str | None, Path | None]:
    """(scenario id, file to serve): a value naming a file is loaded and checked here, first."""
    if value is None:
        return None, None
    path = Path(value)
    if not (path.suffix in (".yaml", ".yml") or path.exists()):
        return value, None
    if not path.is_file():
        _fail(f"{path}: no such scenario file.")
    from app.scenario.loader import ScenarioInvalid
    from app.scenario.validate import load_and_lint

    try:
        scenario = load_and_lint(path)
    except ScenarioInvalid as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        _fail(f"{path} is not a valid scenario; 'hotline validate {path}' lists the same problems.")
    return scenario.id, path


def _run(setup: MatchSetup, url: str | None, secret: str | None, scenario_file: Path | None) -> MatchResult:
    import httpx

    from app.bots.match import MatchError
    from app.bots.pacing import ControlRefused
    from app.bots.player import BotError
    from app.bots.server import ServerUnavailable

    try:
        return asyncio.run(_play(setup, url, secret, scenario_file))
    except KeyboardInterrupt:
        typer.echo("\nInterrupted; no log was written.", err=True)
        raise typer.Exit(130) from None
    except (MatchError, BotError, ControlRefused, ServerUnavailable) as exc:
        _fail(f"The demo stopped: {exc}")
    except httpx.HTTPError as exc:
        where = url or "the in-process server"
        _fail(f"The demo could not talk to {where}: {exc}. Is the server running and the URL right?")


async def _play(setup: MatchSetup, url: str | None, secret: str | None, scenario_file: Path | None) -> MatchResult:
    import tempfile

    from app.bots.match import play_match
    from app.bots.server import ServerHandle, in_process_server

    progress = _progress_printer()
    if url is not None:
        assert secret is not None
        return await play_match(setup, ServerHandle(base_url=url.rstrip("/"), secret=secret, clock=None), progress)
    with tempfile.TemporaryDirectory(prefix="hotline-demo-") as scratch:
        async with in_process_server(Path(scratch), scenario_file) as server:
            return await play_match(setup, server, progress)


def _progress_printer() -> Progress:
    """Scenario time on stderr: one updating line on a terminal, a line per tenth otherwise."""
    from app.scenario.timefmt import format_scenario_time

    interactive = sys.stderr.isatty()
    shown = {"tenth": -1}

    def show(now: float, end: float) -> None:
        share = now / end if end else 1.0
        tenth = int(share * 10)
        line = f"Playing… {format_scenario_time(now)} of {format_scenario_time(end)} ({share:.0%})"
        if interactive:
            sys.stderr.write("\r" + line + ("\n" if now >= end else ""))
            sys.stderr.flush()
        elif tenth != shown["tenth"]:
            shown["tenth"] = tenth
            typer.echo(line, err=True)

    return show


def summary(result: MatchResult, report: Path | None = None) -> dict[str, Any]:
    """The ``--json`` object."""
    card = result.card
    return {
        "exercise_id": result.exercise_id,
        "scenario": result.scenario.id,
        "teams": {
            team: {
                "policy": result.policies[team],
                "score": scores.score,
                "metrics": {metric: value.value for metric, value in scores.metrics.items()},
            }
            for team, scores in card.teams.items()
        },
        "joint": card.joint.value,
        "events": result.events,
        "log": str(result.log),
        "report": str(report) if report is not None else None,
    }


def table(result: MatchResult) -> str:
    """Metrics by team, team scores and the joint score, as plain text."""
    card = result.card
    teams = list(card.teams)
    heads = [f"{result.scenario.team(team).name} ({result.policies[team]})" for team in teams]
    width = max(12, *(len(head) for head in heads)) + 2
    first = card.teams[teams[0]].metrics
    label = max(len(f"{metric:<4}{value.name}") for metric, value in first.items()) + 2

    def cell(value: float | None) -> str:
        return f"{'N/A' if value is None else f'{value:.1f}':>{width}}"

    lines = [
        f"{result.scenario.title}: exercise {result.exercise_id}, {result.events} events",
        "",
        " " * label + "".join(f"{head:>{width}}" for head in heads),
    ]
    for metric, value in first.items():
        row = "".join(cell(card.teams[team].metrics[metric].value) for team in teams)
        lines.append(f"{f'{metric:<4}{value.name}':<{label}}{row}")
    lines.append(f"{'Team score':<{label}}" + "".join(cell(card.teams[team].score) for team in teams))
    if result.pressure:
        lines += ["", "Domestic pressure (0–100):"]
        lines += [
            "  " + story.line(result.scenario.team(team).name, result.policies[team])
            for team, story in result.pressure.items()
        ]
    lines += [
        "",
        f"Joint score {card.joint.value:.1f}: {card.joint.explanation}",
        f"Log: {result.log}  (explanations: hotline score {result.log})",
    ]
    return "\n".join(lines)
