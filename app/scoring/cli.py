"""``hotline score LOG.jsonl [--json]``: score an exported exercise log offline.

The table shows every metric for both teams with its explanation, the team scores and the joint
score. ``--json`` prints exactly one JSON object, for scripts and the bot tournament:
``{"exercise_id", "scenario", "teams": {<team>: {"policy", "score", "metrics": {<id>: value}}}, "joint", "events"}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from app.scenario.schema import Scenario
    from app.scoring.model import ScoreCard

EXPLANATION_INDENT = "      "


def score_command(
    log: Annotated[Path, typer.Argument(help="A JSONL exercise log written by 'hotline export'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the table.")] = False,
) -> None:
    """Score an exported exercise log: every metric for both teams, team scores and the joint score."""
    from app.engine.archive import ArchiveInvalid, ArchiveMissing, read_archive_file
    from app.scoring.card import score

    try:
        archive = read_archive_file(log)
    except ArchiveMissing as missing:
        typer.echo(str(missing), err=True)
        raise typer.Exit(1) from None
    except ArchiveInvalid as exc:
        typer.echo(f"{log}:{exc.line}: {exc.message}", err=True)
        raise typer.Exit(1) from None
    card = score(archive.scenario, archive.events)
    exercise_id = archive.header.exercise.id
    if as_json:
        typer.echo(json.dumps(summary(card, exercise_id, len(archive.events)), ensure_ascii=False))
    else:
        typer.echo(table(card, archive.scenario, exercise_id, len(archive.events)))


def summary(card: ScoreCard, exercise_id: str, events: int) -> dict[str, Any]:
    """The ``--json`` object."""
    return {
        "exercise_id": exercise_id,
        "scenario": card.scenario_id,
        "teams": {
            team: {
                "policy": None,
                "score": result.score,
                "metrics": {metric: value.value for metric, value in result.metrics.items()},
            }
            for team, result in card.teams.items()
        },
        "joint": card.joint.value,
        "events": events,
    }


def _shown(value: float | None) -> str:
    return "N/A" if value is None else f"{value:.1f}"


def table(card: ScoreCard, scenario: Scenario, exercise_id: str, events: int) -> str:
    """The score card as plain text for a terminal."""
    from app.scoring.curves import clock

    teams = list(card.teams)
    names = [scenario.team(team).name for team in teams]
    width = max(12, *(len(name) for name in names))
    first = next(iter(card.teams.values()))
    label_width = max(len(f"{m.id:<4}{m.name}") for m in first.metrics.values()) + 2
    lines = [
        f"{scenario.title} — exercise {exercise_id}: {events} events, scored up to {clock(card.scenario_time)}",
        "",
        " " * label_width + "".join(f"{name:>{width + 2}}" for name in names),
    ]
    for metric, result in first.metrics.items():
        label = f"{metric:<4}{result.name}"
        values = "".join(f"{_shown(card.teams[team].metrics[metric].value):>{width + 2}}" for team in teams)
        lines.append(f"{label:<{label_width}}{values}")
    lines.append(f"{'Team score':<{label_width}}" + "".join(f"{card.teams[t].score:>{width + 2}.1f}" for t in teams))
    lines.append(f"{'Activity gate':<{label_width}}" + "".join(f"{card.teams[t].gate:>{width + 2}.2f}" for t in teams))
    lines += ["", f"Joint score {card.joint.value:.1f}: {card.joint.explanation}"]
    if card.resolution_time is not None:
        lines.append(f"Resolution phase from {clock(card.resolution_time)}.")
    lines += ["", "Why:"]
    for metric, result in first.metrics.items():
        lines.append(f"  {metric:<4}{result.name} — {result.theme}")
        for team, name in zip(teams, names, strict=True):
            explained = card.teams[team].metrics[metric]
            lines.append(f"{EXPLANATION_INDENT}{name} ({_shown(explained.value)}): {explained.explanation}")
    return "\n".join(lines)
