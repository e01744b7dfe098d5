"""The JSONL archive of an exercise: the canonical record that scoring and reports read offline.

Line 1 is a header (format, the exercise's metadata, the scenario as it was played and the
improvement plan); every further line is one event, in seq order. Everything else an exercise has
lives in its events (observations, evaluator ratings, hot wash, seats), so the archive is complete: an
export imported again gives the same report. Seat links are not carried: an imported exercise is
read-only.

Importing checks all of it before anything is stored: each line as bounded JSON, the scenario as a
scenario file would be, each event against its payload model, and the whole log by replaying it,
so a log that imports is one the engine could have written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.engine.events import PAYLOADS, Event, EventType, ReleaseInternal
from app.engine.state import ExerciseState, apply, initial_state
from app.guards.jsonload import JsonRefused, load_json
from app.guards.validation import describe
from app.models import ExerciseRow
from app.reports.model import ArchivedPlanItem
from app.scenario.linter import lint_issues
from app.scenario.loader import format_path
from app.scenario.schema import Scenario

ARCHIVE_KIND = "hotline-exercise-log"
ARCHIVE_FORMAT = 2
"""Format 2 added the improvement plan to the header; format 1 logs still import, with an empty plan."""
MAX_COMMAND_ID_CHARS = 80  # the event log's column
EARLIEST_WALL = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_WALL = datetime(2200, 1, 1, tzinfo=UTC)


class ExerciseInfo(BaseModel):
    """What a log says about its exercise: the archive header's and the report's view of an exercise row."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(max_length=64)
    title: str = Field(min_length=1, max_length=200)
    scenario_id: str
    compression: float = Field(gt=0, allow_inf_nan=False)
    status: str
    created_at: datetime
    imported: bool = False

    @classmethod
    def of(cls, row: ExerciseRow) -> ExerciseInfo:
        return cls.model_validate(row, from_attributes=True)


class ArchiveHeader(BaseModel):
    kind: Literal["hotline-exercise-log"]
    format: int
    exported_at: datetime
    exercise: ExerciseInfo
    scenario: dict[str, Any]
    improvement_plan: list[ArchivedPlanItem] = Field(default_factory=list, max_length=10_000)


@dataclass(frozen=True)
class Archive:
    header: ArchiveHeader
    scenario: Scenario
    events: list[Event]

    @property
    def plan(self) -> list[ArchivedPlanItem]:
        return self.header.improvement_plan


class ArchiveInvalid(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def export_lines(
    exercise: ExerciseInfo,
    scenario: Scenario,
    events: Iterable[Event],
    plan: Iterable[ArchivedPlanItem] = (),
) -> Iterator[str]:
    header = ArchiveHeader(
        kind=ARCHIVE_KIND,
        format=ARCHIVE_FORMAT,
        exported_at=datetime.now(UTC),
        exercise=exercise,
        scenario=scenario.model_dump(mode="json"),
        improvement_plan=list(plan),
    )
    yield header.model_dump_json() + "\n"
    for event in events:
        yield event.model_dump_json() + "\n"


def _json_line(line: str, number: int, what: str) -> Any:
    try:
        return load_json(line)
    except JsonRefused as refused:
        raise ArchiveInvalid(number, f"{what}: {refused.message}") from None


def _header(line: str) -> tuple[ArchiveHeader, Scenario]:
    try:
        header = ArchiveHeader.model_validate(_json_line(line, 1, "not a Hotline exercise log header"))
    except ValidationError as exc:
        raise ArchiveInvalid(1, f"not a Hotline exercise log header ({_short(exc)})") from exc
    exercise = header.exercise
    plan = [
        item.model_copy(update={"created_at": in_utc(item.created_at), "updated_at": in_utc(item.updated_at)})
        for item in header.improvement_plan
    ]
    header = header.model_copy(
        update={
            "exercise": exercise.model_copy(update={"created_at": in_utc(exercise.created_at)}),
            "improvement_plan": plan,
        }
    )
    if header.format > ARCHIVE_FORMAT:
        raise ArchiveInvalid(1, f"log format {header.format} is newer than this server reads ({ARCHIVE_FORMAT})")
    try:
        scenario = Scenario.model_validate(header.scenario)
    except ValidationError as exc:
        raise ArchiveInvalid(1, f"the scenario in the header is invalid ({_short(exc)})") from exc
    issues = lint_issues(scenario)
    if issues:
        where = format_path(issues[0].loc)
        raise ArchiveInvalid(1, f"the scenario in the header is inconsistent (scenario.{where}: {issues[0].message})")
    return header, scenario


def _event(line: str, number: int, seq: int) -> Event:
    try:
        event = Event.model_validate(_json_line(line, number, "not a valid event"))
        PAYLOADS[event.type].model_validate(event.payload)
        if event.type is EventType.inject_released and event.internal is not None:
            ReleaseInternal.model_validate(event.internal)  # an ad hoc inject's attribution, which scoring reads
    except ValidationError as exc:
        raise ArchiveInvalid(number, f"not a valid event ({_short(exc)})") from exc
    if event.seq != seq:
        raise ArchiveInvalid(number, f"event seq {event.seq} where {seq} was expected")
    if event.command_id is not None and len(event.command_id) > MAX_COMMAND_ID_CHARS:
        raise ArchiveInvalid(number, f"command_id: at most {MAX_COMMAND_ID_CHARS} characters")
    wall = in_utc(event.wall_time)
    if not EARLIEST_WALL <= wall <= LATEST_WALL:
        raise ArchiveInvalid(number, f"wall_time {event.wall_time.isoformat()} is not a time an exercise was run")
    return event if event.wall_time.utcoffset() == timedelta(0) else event.model_copy(update={"wall_time": wall})


def in_utc(moment: datetime) -> datetime:
    """A time from a log in UTC; a time written without a zone is taken to be UTC, as Hotline writes them."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _replay(state: ExerciseState, scenario: Scenario, event: Event, number: int) -> None:
    """Fold one event as the engine would; a log it cannot fold is refused at that line."""
    try:
        apply(state, scenario, event)
    except KeyError as exc:
        raise ArchiveInvalid(
            number, f"the event refers to {exc.args[0]!r}, which neither the scenario nor an earlier event has"
        ) from None
    except Exception as exc:  # any other way a hand-made log can contradict itself
        raise ArchiveInvalid(number, f"the event does not follow from the ones before it ({_short(exc)})") from None


def read_archive(lines: Iterable[str]) -> Archive:
    """Parse and check a whole archive, replaying it; raises ``ArchiveInvalid`` naming the first bad line."""
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None or not first.strip():
        raise ArchiveInvalid(1, "the file is empty; expected a Hotline exercise log (.jsonl)")
    header, scenario = _header(first)
    state = initial_state(header.exercise.id, scenario)
    events: list[Event] = []
    for number, line in enumerate(iterator, start=2):
        if not line.strip():
            continue
        event = _event(line, number, len(events) + 1)
        _replay(state, scenario, event, number)
        events.append(event)
    return Archive(header=header, scenario=scenario, events=events)


class ArchiveMissing(FileNotFoundError):
    """The log file named does not exist."""


def read_archive_file(path: Path) -> Archive:
    """Read and check a JSONL log file; raises ``ArchiveMissing`` or ``ArchiveInvalid`` with what to do."""
    if not path.is_file():
        raise ArchiveMissing(f"{path}: no such file. Export a log first with 'hotline export EXERCISE_ID --out FILE'.")
    try:
        with path.open(encoding="utf-8") as handle:
            return read_archive(handle)
    except UnicodeDecodeError:
        raise ArchiveInvalid(1, "not UTF-8 text; expected a Hotline exercise log (.jsonl)") from None


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return describe(exc.errors(include_url=False, include_input=False)[:1])
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__
