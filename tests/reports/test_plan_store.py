"""The improvement plan is stored per exercise, on SQLite and on PostgreSQL, and the report shows it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from app.db import make_engine
from app.engine.manager import ExerciseManager
from app.reports.assemble import build_report
from app.reports.model import ImprovementItemIn
from app.reports.plan import ImprovementPlan, ItemNotFound
from app.reports.source import from_database
from app.scenario.schema import Scenario


async def test_plan_items_are_added_changed_and_deleted(manager: ExerciseManager, db: Engine, mini: Scenario) -> None:
    exercise = await manager.create(mini)
    plan = ImprovementPlan(db)
    first = plan.add(
        exercise.id,
        ImprovementItemIn(
            issue="Leaders called late",
            corrective_action="Drill the hotline",
            owner="NSC",
            due_date=date(2027, 3, 1),
            objective_id="OBJ1",
        ),
    )
    second = plan.add(exercise.id, ImprovementItemIn(issue="Cables unanswered"))
    assert [item.issue for item in plan.items(exercise.id)] == ["Leaders called late", "Cables unanswered"]
    changed = plan.update(
        exercise.id, first.id, ImprovementItemIn(issue="Leaders called late", owner="White House", due_date=None)
    )
    assert (changed.owner, changed.due_date, changed.corrective_action) == ("White House", None, "")
    assert changed.updated_at >= changed.created_at
    plan.delete(exercise.id, second.id)
    assert [item.id for item in plan.items(exercise.id)] == [first.id]


async def test_plan_items_persist_and_belong_to_one_exercise(
    manager: ExerciseManager, db: Engine, database_url: str, mini: Scenario
) -> None:
    mine, other = await manager.create(mini), await manager.create(mini)
    item = ImprovementPlan(db).add(
        mine.id, ImprovementItemIn(issue="Verify before replying", due_date=date(2027, 1, 15))
    )
    reopened = make_engine(database_url)
    try:
        assert [(i.issue, i.due_date) for i in ImprovementPlan(reopened).items(mine.id)] == [
            ("Verify before replying", date(2027, 1, 15))
        ]
        assert ImprovementPlan(reopened).items(other.id) == []
        with pytest.raises(ItemNotFound):
            ImprovementPlan(reopened).update(other.id, item.id, ImprovementItemIn(issue="Not yours"))
        with pytest.raises(ItemNotFound):
            ImprovementPlan(reopened).delete(other.id, item.id)
    finally:
        reopened.dispose()


async def test_the_report_of_a_stored_exercise_includes_its_plan(
    manager: ExerciseManager, db: Engine, mini: Scenario
) -> None:
    exercise = await manager.create(mini)
    ImprovementPlan(db).add(exercise.id, ImprovementItemIn(issue="Agree a code of conduct at sea", owner="Navy"))
    report = build_report(from_database(db, exercise.id))
    assert [(item.issue, item.owner) for item in report.plan] == [("Agree a code of conduct at sea", "Navy")]
    assert not report.final
