"""Everything an exercise has survives export and import: the log, the observations, the evaluators'
ratings, the hot wash and the improvement plan; a log written before the plan was archived still imports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.db import make_engine, migrate
from app.engine.archive import read_archive
from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.reports.assemble import build_report
from app.reports.model import ImprovementItemIn
from app.reports.plan import ImprovementPlan
from app.reports.source import from_archive, from_database
from tests.reports.conftest import play_known_exercise

PLAN = [
    ImprovementItemIn(
        issue="Leaders called late", corrective_action="Drill the hotline", owner="NSC", due_date=date(2027, 3, 1)
    ),
    ImprovementItemIn(issue="Red offered no facts", objective_id="OBJ1"),
]


def _comparable(engine: Engine, exercise_id: str) -> dict[str, Any]:
    """The report as a reader sees it, without what differs by design between an original and its import."""
    report = build_report(from_database(engine, exercise_id)).model_dump(mode="json")
    report.pop("generated_at")
    report["overview"].pop("exercise_id")
    report["overview"].pop("imported")
    for item in report["plan"]:
        item.pop("id")
        item.pop("exercise_id")
    return report


def test_export_then_import_keeps_every_piece_of_the_exercise(db: Engine, database_url: str, tmp_path: Path) -> None:
    known = play_known_exercise(db, tmp_path)
    for item in PLAN:
        ImprovementPlan(db).add(known.exercise_id, item)
    manager = ExerciseManager(db, ManualClock(), lambda _exercise, _events: None)
    lines = list(manager.export(known.exercise_id))
    assert [item["issue"] for item in json.loads(lines[0])["improvement_plan"]] == [item.issue for item in PLAN]

    other_url = f"sqlite:///{tmp_path / 'elsewhere.db'}"  # another server's database
    elsewhere = make_engine(other_url)
    migrate(elsewhere)
    try:
        imported = ExerciseManager(elsewhere, ManualClock(), lambda _e, _v: None).import_archive(read_archive(lines))
        original, copy = _comparable(db, known.exercise_id), _comparable(elsewhere, imported.id)
        assert copy["plan"] and copy["observations"] and copy["hotwash"]["answers"]
        assert copy == original
        again = list(ExerciseManager(elsewhere, ManualClock(), lambda _e, _v: None).export(imported.id))
        assert [json.loads(line) for line in again[1:]] == [
            {**json.loads(line), "exercise_id": imported.id} for line in lines[1:]
        ]
        assert json.loads(again[0])["improvement_plan"] == json.loads(lines[0])["improvement_plan"]
    finally:
        elsewhere.dispose()


def test_a_log_of_format_1_still_imports_and_reports_offline(db: Engine, tmp_path: Path) -> None:
    known = play_known_exercise(db, tmp_path)
    lines = known.path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header.pop("improvement_plan")
    header["format"] = 1
    old = [json.dumps(header) + "\n", *lines[1:]]
    manager = ExerciseManager(db, ManualClock(), lambda _exercise, _events: None)
    imported = manager.import_archive(read_archive(old))
    assert ImprovementPlan(db).items(imported.id) == []
    assert len(manager.store.read(imported.id)) == len(lines) - 1
    assert build_report(from_archive(read_archive(old))).plan == []


def test_a_report_made_offline_from_a_log_shows_its_plan(db: Engine, tmp_path: Path) -> None:
    known = play_known_exercise(db, tmp_path)
    ImprovementPlan(db).add(known.exercise_id, PLAN[0])
    manager = ExerciseManager(db, ManualClock(), lambda _exercise, _events: None)
    report = build_report(from_archive(read_archive(list(manager.export(known.exercise_id)))))
    assert [(item.issue, item.owner, item.due_date) for item in report.plan] == [
        ("Leaders called late", "NSC", date(2027, 3, 1))
    ]
