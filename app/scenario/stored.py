"""Uploaded scenarios, kept in the database so every server process offers the same library.

Each upload keeps the author's own text (comments and all) and a revision that grows when it is
replaced, so a process notices another's upload with one small query. Scenario files that earlier
versions wrote into ``<data_dir>/scenarios`` are moved into the database at start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, Engine, Text, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel

log = logging.getLogger(__name__)

MIGRATED_SUFFIX = ".in-database"


class ScenarioUploadRow(SQLModel, table=True):
    __tablename__ = "scenario_uploads"

    id: str = ColumnField(primary_key=True, max_length=64)
    file_name: str = ColumnField(max_length=200)
    source: str = ColumnField(sa_column=Column(Text, nullable=False))
    revision: int = 1
    uploaded_at: datetime


_uploads = ScenarioUploadRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StoredUpload:
    id: str
    file_name: str
    source: str
    revision: int


class StoredConflict(ValueError):
    """Another upload with this id and different text is stored, and replacing it was not asked for."""


class UploadStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def revisions(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {row.id: int(row.revision) for row in connection.execute(select(_uploads.c.id, _uploads.c.revision))}

    def fetch(self, ids: list[str]) -> list[StoredUpload]:
        if not ids:
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(select(_uploads).where(_uploads.c.id.in_(ids)))
            return [StoredUpload(row.id, row.file_name, row.source, int(row.revision)) for row in rows]

    def put(self, scenario_id: str, file_name: str, source: str, *, replace: bool) -> StoredUpload:
        """Store an upload; the same text again changes nothing, other text needs ``replace``."""
        try:
            return self._put(scenario_id, file_name, source, replace=replace)
        except IntegrityError:  # another process stored this id at the same moment: decide against its row
            return self._put(scenario_id, file_name, source, replace=replace)

    def _put(self, scenario_id: str, file_name: str, source: str, *, replace: bool) -> StoredUpload:
        now = datetime.now(UTC)
        with self.engine.begin() as connection:
            existing = connection.execute(
                select(_uploads.c.source, _uploads.c.revision).where(_uploads.c.id == scenario_id).with_for_update()
            ).first()
            if existing is None:
                connection.execute(
                    insert(_uploads).values(
                        id=scenario_id, file_name=file_name, source=source, revision=1, uploaded_at=now
                    )
                )
                return StoredUpload(scenario_id, file_name, source, 1)
            if existing.source == source:
                return StoredUpload(scenario_id, file_name, source, int(existing.revision))
            if not replace:
                raise StoredConflict(scenario_id)
            revision = int(existing.revision) + 1
            connection.execute(
                update(_uploads)
                .where(_uploads.c.id == scenario_id)
                .values(file_name=file_name, source=source, revision=revision, uploaded_at=now)
            )
            return StoredUpload(scenario_id, file_name, source, revision)

    def import_folder(self, folder: Path) -> list[str]:
        """Move the scenario files an earlier version kept in ``folder`` into the database.

        A file is renamed ``<name>.in-database`` once stored, so it is imported once and stays on disk
        for whoever wants it. A file whose id is already stored with other text is left alone, and said.
        """
        from app.scenario.loader import ScenarioInvalid
        from app.scenario.validate import load_and_lint

        moved: list[str] = []
        if not folder.is_dir():
            return moved
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            try:
                scenario = load_and_lint(path)
                self.put(scenario.id, f"{scenario.id}.yaml", path.read_text(encoding="utf-8"), replace=False)
            except ScenarioInvalid:
                continue  # never was in the library; leave it for its author
            except StoredConflict:
                log.warning("%s: a different upload with this id is already in the database; file left as is", path)
                continue
            path.rename(path.with_name(path.name + MIGRATED_SUFFIX))
            moved.append(scenario.id)
        if moved:
            log.info("moved %d uploaded scenario(s) from %s into the database", len(moved), folder)
        return moved
