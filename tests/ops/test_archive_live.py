"""Through a real server's REST API: an exported exercise imported again has the same report, plan included."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ops.conftest import Served

pytestmark = pytest.mark.slow


def _report(served: Served, exercise_id: str) -> dict[str, Any]:
    report = dict(served.http.get(f"/api/exercises/{exercise_id}/report").json())
    for varying in ("generated_at",):
        report.pop(varying)
    for varying in ("exercise_id", "imported", "status"):
        report["overview"].pop(varying)
    report["plan"] = [{k: v for k, v in item.items() if k not in ("id", "exercise_id")} for item in report["plan"]]
    return report


def test_export_and_import_through_the_api_keep_the_whole_exercise(served: Served) -> None:
    exercise_id = served.create_exercise("mini")["id"]
    served.control(exercise_id, "start")
    served.control(exercise_id, "add_observation", text="Blue hesitated", objective_id="OBJ1", rating="M")
    served.control(exercise_id, "rate_task", task_id="T1", rating="U", rationale="No call was made")
    served.control(exercise_id, "end")
    item = {"issue": "No leader call", "corrective_action": "Hotline drill", "owner": "Ops", "due_date": "2027-05-01"}
    assert served.http.post(f"/api/exercises/{exercise_id}/improvement-plan", json=item).status_code == 201

    exported = served.http.get(f"/api/exercises/{exercise_id}/export")
    assert exported.status_code == 200
    imported = served.http.post(
        "/api/exercises/import", content=exported.content, headers={"Content-Type": "application/x-ndjson"}
    )
    assert imported.status_code == 201, imported.text
    copy_id = imported.json()["id"]

    original, copy = _report(served, exercise_id), _report(served, copy_id)
    assert copy["plan"][0]["issue"] == "No leader call" and copy["observations"]
    assert copy == original
