"""Keeping the list of exercises tidy: archive an ended exercise, or delete it with everything it holds.

Only an ended (or imported) exercise may be archived or deleted: a running exercise's log is still
being written, and players may still hold its links. Deleting removes its events, seats and
improvement plan in one transaction, so nothing is left half-deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete
from sqlmodel import Session

from app.cluster.tables import ExerciseLeaseRow, SeatPresenceRow
from app.engine.commands import CommandError
from app.models import EventRow, ExerciseRow, SeatRow
from app.reports.tables import ImprovementItemRow


def _ended(session: Session, exercise_id: str, doing: str) -> ExerciseRow:
    row = session.get(ExerciseRow, exercise_id)
    if row is None:
        raise CommandError("not_found", f"There is no exercise '{exercise_id}'.")
    if row.status != "ended" and not row.imported:
        raise CommandError("invalid_state", f"Only an ended exercise can be {doing}; this one is {row.status}.")
    return row


def set_archived(engine: Engine, exercise_id: str, archived: bool, now: datetime) -> ExerciseRow:
    with Session(engine, expire_on_commit=False) as session:
        row = _ended(session, exercise_id, "archived")
        row.archived = archived
        row.updated_at = now
        session.add(row)
        session.commit()
        return row


def delete_exercise(engine: Engine, exercise_id: str) -> None:
    with Session(engine) as session:
        _ended(session, exercise_id, "deleted")
        for table in (EventRow, SeatRow, ImprovementItemRow, ExerciseLeaseRow, SeatPresenceRow):
            session.execute(delete(table).where(table.exercise_id == exercise_id))  # type: ignore[arg-type]
        session.execute(delete(ExerciseRow).where(ExerciseRow.id == exercise_id))  # type: ignore[arg-type]
        session.commit()
