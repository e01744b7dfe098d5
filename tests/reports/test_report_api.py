"""The report REST API on a live server: the report, exports, reviewer links, the plan, comparisons, pages."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

import httpx

from tests.realtime.conftest import LiveServer
from tests.reports.conftest import KnownLog


async def _imported(live: LiveServer, log: Path) -> str:
    content = await asyncio.to_thread(log.read_bytes)
    response = await live.http.post("/api/exercises/import", content=content)
    response.raise_for_status()
    return str(response.json()["id"])


async def test_report_view_follows_a_running_exercise(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    base = f"/api/exercises/{exercise['id']}/report"
    first = (await live.http.get(f"{base}/status")).json()
    assert first["final"] is False
    await live.control(exercise["id"], "start")
    await live.advance(60)  # I2 falls due at T+01:00
    status = (await live.http.get(f"{base}/status")).json()
    assert status["last_seq"] > first["last_seq"] and status["status"] == "running"
    view = (await live.http.get(f"{base}/view")).json()
    assert view["report"]["last_seq"] == status["last_seq"] and not view["report"]["final"]
    assert {"timeline", "escalation"} <= set(view["charts"])
    released = [event for event in view["report"]["events"] if event["type"] == "inject_released"]
    assert [event["text"].split(":")[0] for event in released] == ["Wire service", "Watch officer"]
    await live.control(exercise["id"], "end")
    assert (await live.http.get(f"{base}/status")).json()["final"] is True


async def test_exports_download_in_every_format(live: LiveServer, known: KnownLog) -> None:
    exercise_id = await _imported(live, known.path)
    url = f"/api/exercises/{exercise_id}/report/export"
    for export_format, media in (
        ("html", "text/html"),
        ("md", "text/markdown"),
        ("json", "application/json"),
        ("csv", "text/csv"),
    ):
        response = await live.http.get(url, params={"format": export_format})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        assert f'filename="{exercise_id}-' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO((await live.http.get(url, params={"format": "csv"})).text)))
    assert len(rows) == known.anonymous_answer
    refused = await live.http.get(url, params={"format": "pdf"})
    assert refused.status_code == 422


async def test_reports_need_the_secret_or_a_reviewer_key(live: LiveServer, known: KnownLog) -> None:
    exercise_id = await _imported(live, known.path)
    other_id = await _imported(live, known.path)
    link = (await live.http.get(f"/api/exercises/{exercise_id}/report/link")).json()
    assert link["url"].endswith(f"/report/{exercise_id}#key={link['key']}")
    async with httpx.AsyncClient(base_url=live.base_url) as anonymous:
        refused = await anonymous.get(f"/api/exercises/{exercise_id}/report/view")
        assert refused.status_code == 401 and "reviewer link" in refused.json()["detail"]
        reviewer = {"X-Report-Key": link["key"]}
        assert (await anonymous.get(f"/api/exercises/{exercise_id}/report/view", headers=reviewer)).status_code == 200
        assert (
            await anonymous.get(f"/api/exercises/{exercise_id}/improvement-plan", headers=reviewer)
        ).status_code == 200
        assert (await anonymous.get(f"/api/exercises/{other_id}/report/view", headers=reviewer)).status_code == 401
        writing = await anonymous.post(
            f"/api/exercises/{exercise_id}/improvement-plan", json={"issue": "x"}, headers=reviewer
        )
        assert writing.status_code == 401  # reviewers read; only the facilitator writes the plan
        assert (await anonymous.get(f"/api/exercises/{exercise_id}/report/link", headers=reviewer)).status_code == 401


async def test_improvement_plan_crud_over_rest(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    plan = f"/api/exercises/{exercise['id']}/improvement-plan"
    body: dict[str, Any] = {
        "issue": "The leaders called late",
        "corrective_action": "Drill the hotline quarterly",
        "owner": "NSC staff",
        "due_date": "2027-03-01",
        "objective_id": "OBJ1",
    }
    created = await live.http.post(plan, json=body)
    assert created.status_code == 201
    item = created.json()
    assert {key: item[key] for key in body} == body
    changed = await live.http.put(f"{plan}/{item['id']}", json={**body, "owner": "White House", "due_date": None})
    assert changed.json()["owner"] == "White House" and changed.json()["due_date"] is None
    listed = (await live.http.get(plan)).json()
    assert [entry["owner"] for entry in listed] == ["White House"]
    view = (await live.http.get(f"/api/exercises/{exercise['id']}/report/view")).json()
    assert [entry["issue"] for entry in view["report"]["plan"]] == ["The leaders called late"]
    empty = await live.http.post(plan, json={"issue": ""})
    assert empty.status_code == 422
    assert (await live.http.delete(f"{plan}/{item['id']}")).status_code == 204
    assert (await live.http.delete(f"{plan}/{item['id']}")).status_code == 404
    assert (await live.http.get(plan)).json() == []
    assert (await live.http.get("/api/exercises/ex_missing/improvement-plan")).status_code == 404


async def test_compare_puts_runs_side_by_side_with_differences(
    live: LiveServer, known: KnownLog, quiet_log: Path
) -> None:
    first = await _imported(live, known.path)
    second = await _imported(live, quiet_log)
    response = await live.http.get("/api/reports/compare", params=[("exercise", first), ("exercise", second)])
    assert response.status_code == 200, response.text
    comparison = response.json()
    assert [run["exercise_id"] for run in comparison["runs"]] == [first, second]
    rows = {row["key"]: row for row in comparison["rows"]}
    lc = rows["blue.LC"]
    assert lc["values"][0] > 0 and lc["values"][1] == 0  # only the known run had a leaders' call
    assert lc["deltas"] == [0.0, round(lc["values"][1] - lc["values"][0], 1)]
    assert rows["blue.score"]["spread"] > 0
    by_scenario = (await live.http.get("/api/reports/compare", params={"scenario": "mini"})).json()
    assert [run["exercise_id"] for run in by_scenario["runs"]] == [first, second]
    alone = await live.http.get("/api/reports/compare", params=[("exercise", first)])
    assert alone.status_code == 422 and "at least two runs" in alone.json()["detail"]


async def test_report_pages_and_plotly_are_served(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    async with httpx.AsyncClient(base_url=live.base_url) as browser:
        page = await browser.get(f"/report/{exercise['id']}")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        policy = page.headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "/static-vendor/plotly.min.js" in page.text
        assert (await browser.get("/report/compare")).status_code == 200
        bundle = await browser.get("/static-vendor/plotly.min.js")
        assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
        assert len(bundle.content) > 1_000_000
        sheet = await browser.get("/static-vendor/plotly.css")
        assert ".js-plotly-plot .plotly .main-svg{position:absolute" in sheet.text
        assert (await browser.get("/static/report/report.js")).status_code == 200
