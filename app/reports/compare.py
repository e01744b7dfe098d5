"""Runs of one scenario side by side: team and joint scores, every metric, and how far each run is from the first.

The first run given is the baseline; every other run's difference is its value minus the baseline's.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.engine.events import EventType
from app.reports.model import TeamInfo
from app.reports.source import ReportSource
from app.scoring import score


class CompareError(ValueError):
    pass


class RunSummary(BaseModel):
    exercise_id: str
    title: str
    status: str
    created_at: datetime
    scenario_version: int
    events: int
    final: bool


class ComparedValue(BaseModel):
    key: str = Field(description="'joint', '<team>.score' or '<team>.<metric id>'.")
    label: str
    team: str | None = None
    metric: str | None = None
    values: list[float | None] = Field(description="One per run, in the order of ``runs``.")
    deltas: list[float | None] = Field(description="Each run minus the first (None where either is N/A).")
    spread: float | None = Field(description="Highest minus lowest value over the runs that have one.")


class Comparison(BaseModel):
    scenario_id: str
    scenario_title: str
    teams: list[TeamInfo]
    runs: list[RunSummary]
    rows: list[ComparedValue]
    warnings: list[str] = Field(default_factory=list)


def _row(key: str, label: str, values: list[float | None], team: str | None, metric: str | None) -> ComparedValue:
    base = values[0]
    deltas = [None if value is None or base is None else round(value - base, 1) for value in values]
    present = [value for value in values if value is not None]
    spread = round(max(present) - min(present), 1) if present else None
    return ComparedValue(key=key, label=label, team=team, metric=metric, values=values, deltas=deltas, spread=spread)


def compare(sources: list[ReportSource]) -> Comparison:
    if len(sources) < 2:
        raise CompareError("Give at least two runs to compare.")
    scenario_ids = {source.scenario.id for source in sources}
    if len(scenario_ids) > 1:
        raise CompareError(
            f"These runs are of different scenarios ({', '.join(sorted(scenario_ids))}); compare runs of one scenario."
        )
    first = sources[0].scenario
    warnings = []
    versions = sorted({source.scenario.version for source in sources})
    if len(versions) > 1:
        warnings.append(f"The runs played different versions of the scenario ({', '.join(map(str, versions))}).")
    cards = [score(source.scenario, source.events) for source in sources]
    runs = []
    for source in sources:
        ended = any(event.type is EventType.exercise_ended for event in source.events)
        if not ended:
            warnings.append(f"{source.exercise.id} has not ended: its scores may still change.")
        runs.append(
            RunSummary(
                exercise_id=source.exercise.id,
                title=source.exercise.title,
                status=source.exercise.status,
                created_at=source.exercise.created_at,
                scenario_version=source.scenario.version,
                events=len(source.events),
                final=ended,
            )
        )
    rows = [_row("joint", "Joint score", [card.joint.value for card in cards], None, None)]
    for team in first.teams:
        rows.append(
            _row(
                f"{team.id}.score", f"{team.name} — team score", [c.teams[team.id].score for c in cards], team.id, None
            )
        )
        for metric_id, metric in cards[0].teams[team.id].metrics.items():
            values = [card.teams[team.id].metrics[metric_id].value for card in cards]
            rows.append(
                _row(f"{team.id}.{metric_id}", f"{team.name} — {metric_id} {metric.name}", values, team.id, metric_id)
            )
    return Comparison(
        scenario_id=first.id,
        scenario_title=first.title,
        teams=[TeamInfo(id=team.id, name=team.name, roles=[]) for team in first.teams],
        runs=runs,
        rows=rows,
        warnings=warnings,
    )
