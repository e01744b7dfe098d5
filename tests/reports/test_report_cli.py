"""``hotline report`` and ``hotline compare`` on JSONL logs (offline) and on a database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.reports.model import Report
from tests.reports.conftest import KnownLog


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("export_format", ["html", "md", "json", "csv"])
def test_report_writes_each_format_from_a_log(
    runner: CliRunner, known: KnownLog, tmp_path: Path, export_format: str
) -> None:
    out = tmp_path / f"report.{export_format}"
    result = runner.invoke(cli, ["report", str(known.path), "--format", export_format, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output and "Scoring and assembling" in result.output
    text = out.read_text(encoding="utf-8")
    if export_format == "json":
        assert Report.model_validate_json(text).overview.exercise_id == known.exercise_id
    elif export_format == "csv":
        assert len(list(csv.DictReader(io.StringIO(text)))) == known.anonymous_answer
    elif export_format == "html":
        assert "<!doctype html>" in text and "Analysis of objectives" in text
    else:
        assert text.startswith("# After-action report — Known exercise")


def test_report_reads_an_exercise_from_the_database(runner: CliRunner, known: KnownLog, tmp_path: Path) -> None:
    database = tmp_path / "hotline.db"
    imported = runner.invoke(cli, ["import", str(known.path), "--db", str(database)])
    assert imported.exit_code == 0, imported.output
    exercise_id = imported.output.strip().splitlines()[-1]
    result = runner.invoke(cli, ["report", exercise_id, "--db", str(database), "--format", "md", "--out", "-"])
    assert result.exit_code == 0, result.output
    assert "## Improvement plan" in result.output
    missing = runner.invoke(cli, ["report", "ex_nothing", "--db", str(database)])
    assert missing.exit_code == 1 and "There is no exercise 'ex_nothing'" in missing.output


def test_report_explains_bad_input(runner: CliRunner, known: KnownLog, tmp_path: Path) -> None:
    wrong_format = runner.invoke(cli, ["report", str(known.path), "--format", "pdf"])
    assert wrong_format.exit_code == 1 and "--format must be one of html, md, json, csv" in wrong_format.output
    missing = runner.invoke(cli, ["report", str(tmp_path / "nowhere.jsonl")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    bad = runner.invoke(cli, ["report", str(broken)])
    assert bad.exit_code == 1 and f"{broken}:1:" in bad.output


def test_compare_shows_the_differences_between_runs(runner: CliRunner, known: KnownLog, quiet_log: Path) -> None:
    result = runner.invoke(cli, ["compare", str(known.path), str(quiet_log)])
    assert result.exit_code == 0, result.output
    assert "Mini crisis (mini): 2 runs" in result.output and "Δ run 2" in result.output
    line = next(row for row in result.output.splitlines() if row.startswith("Washington — LC Leader contact"))
    first, second, delta = line.split()[-4:-1]
    assert float(first) > 0 and float(second) == 0 and float(delta) == -float(first)
    as_json = runner.invoke(cli, ["compare", str(known.path), str(quiet_log), "--format", "json"])
    data = json.loads(as_json.stdout)
    assert [run["events"] for run in data["runs"]] == [known.anonymous_answer, 5]
    as_md = runner.invoke(cli, ["compare", str(known.path), str(quiet_log), "--format", "md"])
    assert "| Washington — LC Leader contact |" in as_md.stdout


def test_compare_refuses_a_single_run_or_mixed_scenarios(runner: CliRunner, known: KnownLog, tmp_path: Path) -> None:
    alone = runner.invoke(cli, ["compare", str(known.path)])
    assert alone.exit_code == 1 and "at least two runs" in alone.output
    lines = known.path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["scenario"]["id"] = "other"
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    mixed = runner.invoke(cli, ["compare", str(known.path), str(other)])
    assert mixed.exit_code == 1 and "different scenarios (mini, other)" in mixed.output
