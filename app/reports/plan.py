"""The improvement plan: issues, corrective actions, owners and due dates, kept per exercise."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.reports.model import ArchivedPlanItem, ImprovementItem, ImprovementItemIn
from app.reports.tables import ImprovementItemRow


class ItemNotFound(LookupError):
    pass


def _public(row: ImprovementItemRow) -> ImprovementItem:
    assert row.id is not None
    return ImprovementItem(
        id=row.id,
        exercise_id=row.exercise_id,
        objective_id=row.objective_id,
        issue=row.issue,
        corrective_action=row.corrective_action,
        owner=row.owner,
        due_date=row.due_date,
        created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
    )


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; every time we store is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ImprovementPlan:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def items(self, exercise_id: str) -> list[ImprovementItem]:
        query = (
            select(ImprovementItemRow)
            .where(ImprovementItemRow.exercise_id == exercise_id)
            .order_by(ImprovementItemRow.id)  # type: ignore[arg-type]
        )
        with Session(self.engine) as session:
            return [_public(row) for row in session.exec(query)]

    def archived(self, exercise_id: str) -> list[ArchivedPlanItem]:
        """The plan as the JSONL archive carries it (without the database's ids)."""
        return [
            ArchivedPlanItem.model_validate(item.model_dump(exclude={"id", "exercise_id"}))
            for item in self.items(exercise_id)
        ]

    def add(self, exercise_id: str, item: ImprovementItemIn) -> ImprovementItem:
        now = datetime.now(UTC)
        row = ImprovementItemRow(exercise_id=exercise_id, created_at=now, updated_at=now, **item.model_dump())
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
            session.refresh(row)
        return _public(row)

    def update(self, exercise_id: str, item_id: int, item: ImprovementItemIn) -> ImprovementItem:
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(ImprovementItemRow, item_id)
            if row is None or row.exercise_id != exercise_id:
                raise ItemNotFound(item_id)
            for key, value in item.model_dump().items():
                setattr(row, key, value)
            row.updated_at = datetime.now(UTC)
            session.add(row)
            session.commit()
            session.refresh(row)
        return _public(row)

    def delete(self, exercise_id: str, item_id: int) -> None:
        with Session(self.engine) as session:
            row = session.get(ImprovementItemRow, item_id)
            if row is None or row.exercise_id != exercise_id:
                raise ItemNotFound(item_id)
            session.delete(row)
            session.commit()


def restored_rows(exercise_id: str, items: list[ArchivedPlanItem]) -> list[ImprovementItemRow]:
    """The plan of an imported archive as rows of ``exercise_id``, with their original times."""
    return [ImprovementItemRow(exercise_id=exercise_id, **item.model_dump()) for item in items]
