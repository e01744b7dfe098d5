"""/metrics on a real ``hotline serve`` while two bot teams play: scraped and parsed as Prometheus would."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.bots.match import MatchSetup, play_match
from app.bots.server import ServerHandle
from app.config import Settings
from app.main import create_app
from app.ops.metrics import Metrics
from tests.conftest import PROJECT
from tests.ops.conftest import SECRET, Served

pytestmark = pytest.mark.slow

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    """Every sample of an exposition, keyed by name and sorted labels (the parser refuses a malformed one)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum over every sample of ``name`` whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (n, have), v in samples.items() if n == name and wanted <= set(have))


async def test_metrics_follow_a_bot_demo_as_it_plays(tmp_path: Path) -> None:
    server = Served(tmp_path / "server")
    try:
        server.start()
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as http:
            refused = await http.get("/metrics")
            assert refused.status_code == 401
            headers = {"Authorization": f"Bearer {SECRET}"}
            setup = MatchSetup(policies=("tft", "hawk"), scenario_id="tutorial", out_dir=tmp_path / "demo")
            demo = asyncio.create_task(play_match(setup, ServerHandle(server.url, SECRET, clock=None)))
            scrapes: list[Samples] = []
            while not demo.done():
                response = await http.get("/metrics", headers=headers)
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
                scrapes.append(parse(response.text))
                await asyncio.sleep(0.3)
            result = demo.result()
            report = await http.get(
                f"/api/exercises/{result.exercise_id}/report/export", params={"format": "html"}, headers=headers
            )
            assert report.status_code == 200
            final = parse((await http.get("/metrics", headers=headers)).text)
    finally:
        server.stop()

    assert len(scrapes) >= 3
    assert any(value(s, "hotline_consoles_connected") >= 2 for s in scrapes), "no scrape saw the bots' consoles"
    assert any(value(s, "hotline_exercises_running") == 1 for s in scrapes)
    assert value(final, "hotline_exercises_loaded") >= 1
    for name in ("hotline_events_appended_total", "hotline_commands_total", "hotline_fanout_events_total"):
        seen = [total(s, name) for s in [*scrapes, final]]
        assert seen == sorted(seen), f"{name} went down between scrapes"

    log = [json.loads(line) for line in result.log.read_text(encoding="utf-8").splitlines()[1:]]
    by_type = Counter(event["type"] for event in log)
    for kind, count in by_type.items():  # the log was exported before the bots' consoles went offline
        appended = value(final, "hotline_events_appended_total", type=kind)
        assert appended >= count if kind == "presence_changed" else appended == count, kind
    assert value(final, "hotline_commands_total", type="take_action", outcome="applied") == by_type["action_taken"]
    assert total(final, "hotline_command_seconds_count") == total(final, "hotline_commands_total")
    assert value(final, "hotline_db_commit_seconds_count") >= 1
    fanned_out = value(final, "hotline_fanout_events_total")  # events that found consoles in the room
    assert len(log) / 2 < fanned_out <= total(final, "hotline_events_appended_total")
    assert value(final, "hotline_delivery_offers_total") >= value(final, "hotline_fanout_events_total")
    assert value(final, "hotline_delivery_queue_depth_gcount") == value(final, "hotline_consoles_connected")
    assert value(final, "hotline_report_render_seconds_count", format="html") == 1
    assert ("hotline_timer_lateness_seconds_count", ()) in final


@pytest.mark.parametrize(("setting", "anonymous", "with_secret"), [("open", 200, 200), ("off", 404, 404)])
async def test_the_metrics_setting_opens_or_closes_the_endpoint(
    tmp_path: Path, setting: str, anonymous: int, with_secret: int
) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}", secret=SECRET, metrics=setting
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hotline") as http:
            assert (await http.get("/metrics")).status_code == anonymous
            secret = {"Authorization": f"Bearer {SECRET}"}
            assert (await http.get("/metrics", headers=secret)).status_code == with_secret


def test_every_metric_is_documented_and_the_dashboard_charts_only_real_ones() -> None:
    names = {metric.name for metric in Metrics().registry.collect()}
    operations = (PROJECT / "docs" / "operations.md").read_text(encoding="utf-8")
    undocumented = {name for name in names if f"`{name}" not in operations}
    assert not undocumented, f"add to docs/operations.md: {undocumented}"
    dashboard = json.loads((PROJECT / "docs" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in expressions for name in re.findall(r"\bhotline_[a-z_]+", expr)}
    families = {re.sub(r"_(bucket|count|sum|total|gcount|gsum)$", "", name) for name in used}
    assert families <= names, f"the dashboard charts metrics that do not exist: {families - names}"
    assert len(families) >= len(names) - 2  # nearly everything is charted
