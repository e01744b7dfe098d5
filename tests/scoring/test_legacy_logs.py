"""Older logs keep scoring: logs exported before letters, attributions and standing measures existed.

The fixtures in ``tests/fixtures/legacy`` were exported by the code of the time (a bot match, and an
exercise with a refused call, a pause with an inject fired during it, a jump and a late call). They
must import, score with today's rules and build a report, without an error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.engine.archive import read_archive_file
from app.engine.manager import ExerciseManager
from app.reports.assemble import build_report
from app.reports.source import from_log_file
from app.scenario.schema import METRIC_IDS
from app.scoring import score
from tests.conftest import FIXTURES

LEGACY = sorted((FIXTURES / "legacy").glob("*.jsonl"))
runner = CliRunner()


@pytest.mark.parametrize("path", LEGACY, ids=[path.stem for path in LEGACY])
def test_an_older_log_scores_with_the_new_rules(path: Path) -> None:
    archive = read_archive_file(path)
    card = score(archive.scenario, archive.events)
    for team in card.teams.values():
        assert set(team.metrics) == set(METRIC_IDS)
        assert all(m.value is None or 0 <= m.value <= 100 for m in team.metrics.values())
        assert all(m.explanation for m in team.metrics.values())
    assert 0 < card.joint.value <= 100, "both teams acted in every fixture: no hard zero any more"
    result = runner.invoke(cli, ["score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["joint"] == card.joint.value


@pytest.mark.parametrize("path", LEGACY, ids=[path.stem for path in LEGACY])
def test_an_older_log_imports_and_reports(path: Path, manager: ExerciseManager) -> None:
    imported = manager.import_archive(read_archive_file(path))
    assert imported.status == "ended" and imported.imported
    report = build_report(from_log_file(path))
    assert report.scorecard.teams.keys() == {"blue", "red"}


def test_the_pause_and_jump_log_leaves_out_what_came_in_the_burst() -> None:
    archive = read_archive_file(FIXTURES / "legacy" / "incident-at-sea-pause-jump-main.jsonl")
    card = score(archive.scenario, archive.events)
    media = card.teams["blue"].metrics["MR"].explanation
    assert "released in a burst — a jump or a late release — not counted" in media
    red = card.teams["red"].metrics["LC"]
    assert "after declining a call 22 min in" in red.explanation and red.value is not None and red.value > 0
