"""Where a report's facts come from: a JSONL archive (offline) or an exercise in the database.

Either way the report needs the same four things: the exercise's metadata, the scenario as it was
played, the event log, and the improvement plan (archives of format 2 and later carry it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.engine.archive import Archive, ArchiveMissing, ExerciseInfo, read_archive, read_archive_file
from app.engine.events import Event
from app.engine.store import EventStore
from app.models import ExerciseRow
from app.reports.model import ImprovementItem
from app.reports.plan import ImprovementPlan
from app.scenario.schema import Scenario


@dataclass(frozen=True)
class ReportSource:
    exercise: ExerciseInfo
    scenario: Scenario
    events: list[Event]
    plan: list[ImprovementItem] = field(default_factory=list)


class SourceNotFound(LookupError):
    """The exercise id is not in the database, or the log file does not exist."""


def from_archive(archive: Archive) -> ReportSource:
    info = archive.header.exercise.model_copy(update={"imported": True})
    plan = [
        ImprovementItem(id=number, exercise_id=info.id, **item.model_dump())
        for number, item in enumerate(archive.plan, start=1)
    ]
    return ReportSource(exercise=info, scenario=archive.scenario, events=archive.events, plan=plan)


def from_archive_lines(lines: Iterable[str]) -> ReportSource:
    """Raises ``ArchiveInvalid`` naming the first bad line."""
    return from_archive(read_archive(lines))


def from_log_file(path: Path) -> ReportSource:
    try:
        return from_archive(read_archive_file(path))
    except ArchiveMissing as missing:
        raise SourceNotFound(str(missing)) from None


def from_database(engine: Engine, exercise_id: str, events: list[Event] | None = None) -> ReportSource:
    """The exercise as stored now; ``events`` may be passed when the caller already holds the log."""
    with Session(engine, expire_on_commit=False) as session:
        row = session.get(ExerciseRow, exercise_id)
    if row is None:
        raise SourceNotFound(f"There is no exercise '{exercise_id}' in this database.")
    info = ExerciseInfo.of(row)
    log = events if events is not None else EventStore(engine).read(exercise_id)
    return ReportSource(
        exercise=info,
        scenario=Scenario.model_validate_json(row.scenario_json),
        events=log,
        plan=ImprovementPlan(engine).items(exercise_id),
    )
