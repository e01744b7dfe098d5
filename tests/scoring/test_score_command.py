"""``hotline score LOG.jsonl``: the offline scorer prints what ``score()`` computes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.engine.archive import ExerciseInfo, export_lines
from app.scenario.schema import METRIC_IDS
from app.scoring import score
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR

runner = CliRunner()


def write_archive(log: LogBuilder, path: Path) -> Path:
    header = ExerciseInfo(
        id=log.exercise_id,
        title="Drill",
        scenario_id=log.scenario.id,
        compression=60,
        status="ended",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    path.write_text("".join(export_lines(header, log.scenario, log.events)), encoding="utf-8")
    return path


@pytest.fixture
def played(log: LogBuilder) -> LogBuilder:
    log.talk("blue", 40)
    log.act("red", "show-of-force", 60, role="defense")
    log.act("blue", "deliberate", 70)
    log.act("blue", "demand", 90)
    log.inject("ally", 6 * HOUR)
    log.act("blue", "restrain", 6 * HOUR + 30, role="diplomacy")
    log.end(24 * HOUR)
    return log


def test_json_output_is_one_object_with_the_same_numbers_as_score(played: LogBuilder, tmp_path: Path) -> None:
    archive = write_archive(played, tmp_path / "drill.jsonl")
    result = runner.invoke(cli, ["score", str(archive), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    card = score(played.scenario, played.events)
    assert set(printed) == {"exercise_id", "scenario", "teams", "joint", "events"}
    assert printed["exercise_id"] == "ex_test"
    assert printed["scenario"] == "drill"
    assert printed["events"] == len(played.events)
    assert printed["joint"] == card.joint.value
    for team, team_card in card.teams.items():
        assert printed["teams"][team]["policy"] is None
        assert printed["teams"][team]["score"] == team_card.score
        assert printed["teams"][team]["metrics"] == {m: team_card.metrics[m].value for m in METRIC_IDS}


def test_table_shows_every_metric_with_explanations(played: LogBuilder, tmp_path: Path) -> None:
    archive = write_archive(played, tmp_path / "drill.jsonl")
    result = runner.invoke(cli, ["score", str(archive)])
    assert result.exit_code == 0, result.output
    card = score(played.scenario, played.events)
    lines = result.output.splitlines()
    assert lines[0].startswith("Scoring drill — exercise ex_test:")
    team_line = next(line for line in lines if line.startswith("Team score"))
    assert team_line.split()[2:] == [f"{card.teams['blue'].score:.1f}", f"{card.teams['red'].score:.1f}"]
    for metric in METRIC_IDS:
        row = next(line for line in lines if line.startswith(f"{metric} "))
        expected = [
            "N/A" if (v := card.teams[t].metrics[metric].value) is None else f"{v:.1f}" for t in ("blue", "red")
        ]
        assert row.split()[-2:] == expected
    assert f"Joint score {card.joint.value:.1f}" in result.output
    assert card.teams["blue"].metrics["LC"].explanation in result.output


def test_a_missing_file_says_how_to_get_one(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["score", str(tmp_path / "nowhere.jsonl")])
    assert result.exit_code == 1
    assert "hotline export" in result.output


def test_a_broken_log_names_the_line(played: LogBuilder, tmp_path: Path) -> None:
    archive = write_archive(played, tmp_path / "drill.jsonl")
    lines = archive.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "{not json\n"
    archive.write_text("".join(lines), encoding="utf-8")
    result = runner.invoke(cli, ["score", str(archive)])
    assert result.exit_code == 1
    assert f"{archive}:4:" in result.output
