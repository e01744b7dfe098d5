"""The JSONL archive of an exercise: the canonical record that scoring and reports read offline.

Line 1 is a header (format, the exercise's metadata and the scenario as it was played); every
further line is one event, in seq order. Importing checks all of it before anything is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from app.engine.events import Event
from app.models import ExerciseRow
from app.scenario.schema import Scenario

ARCHIVE_KIND = "hotline-exercise-log"
ARCHIVE_FORMAT = 1


class ExerciseInfo(BaseModel):
    """What a log says about its exercise: the archive header's and the report's view of an exercise row."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    scenario_id: str
    compression: float
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


@dataclass(frozen=True)
class Archive:
    header: ArchiveHeader
    scenario: Scenario
    events: list[Event]


class ArchiveInvalid(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def export_lines(exercise: ExerciseInfo, scenario: Scenario, events: Iterable[Event]) -> Iterator[str]:
    header = ArchiveHeader(
        kind=ARCHIVE_KIND,
        format=ARCHIVE_FORMAT,
        exported_at=datetime.now(UTC),
        exercise=exercise,
        scenario=scenario.model_dump(mode="json"),
    )
    yield header.model_dump_json() + "\n"
    for event in events:
        yield event.model_dump_json() + "\n"


def read_archive(lines: Iterable[str]) -> Archive:
    """Parse and check a whole archive; raises ``ArchiveInvalid`` naming the first bad line."""
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None or not first.strip():
        raise ArchiveInvalid(1, "the file is empty; expected a Hotline exercise log (.jsonl)")
    try:
        header = ArchiveHeader.model_validate(json.loads(first))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ArchiveInvalid(1, f"not a Hotline exercise log header ({_short(exc)})") from exc
    if header.format > ARCHIVE_FORMAT:
        raise ArchiveInvalid(1, f"log format {header.format} is newer than this server reads ({ARCHIVE_FORMAT})")
    try:
        scenario = Scenario.model_validate(header.scenario)
    except ValidationError as exc:
        raise ArchiveInvalid(1, f"the scenario in the header is invalid ({_short(exc)})") from exc
    events: list[Event] = []
    for number, line in enumerate(iterator, start=2):
        if not line.strip():
            continue
        try:
            event = Event.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ArchiveInvalid(number, f"not a valid event ({_short(exc)})") from exc
        if event.seq != len(events) + 1:
            raise ArchiveInvalid(number, f"event seq {event.seq} where {len(events) + 1} was expected")
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
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        return f"{where}: {error['msg']}" if where else error["msg"]
    return str(exc).splitlines()[0]
