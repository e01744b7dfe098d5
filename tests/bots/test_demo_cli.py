"""``hotline demo`` as a user runs it: one JSON object on stdout, the log on disk, scores that
``hotline score`` reproduces from that log, and plain errors for wrong options."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.bots.demo import POLICY_NAMES
from app.bots.policies import POLICIES
from app.cli import cli
from app.scoring import METRIC_IDS
from tests.bots.helpers import shortest_bundled

DEMO_KEYS = {"exercise_id", "scenario", "teams", "joint", "events", "log", "report"}


def hotline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], subprocess.CompletedProcess[str], Path]:
    work = tmp_path_factory.mktemp("demo")
    scenario = shortest_bundled()
    run = hotline("demo", "--scenario", str(scenario), "--blue", "grit", "--red", "dove", "--json", cwd=work)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), run, work


def test_json_output_is_exactly_one_object_of_the_documented_shape(
    demo: tuple[dict[str, Any], subprocess.CompletedProcess[str], Path],
) -> None:
    summary, run, work = demo
    assert run.stdout.count("\n") == 1 and run.stdout.strip().startswith("{")
    assert set(summary) == DEMO_KEYS
    assert set(summary["teams"]) == {"blue", "red"}
    assert summary["teams"]["blue"]["policy"] == "grit" and summary["teams"]["red"]["policy"] == "dove"
    for team in summary["teams"].values():
        assert set(team) == {"policy", "score", "metrics"}
        assert isinstance(team["score"], float | int)
        assert set(team["metrics"]) == set(METRIC_IDS)
        assert all(value is None or 0 <= value <= 100 for value in team["metrics"].values())
    assert summary["teams"]["blue"]["score"] > summary["teams"]["red"]["score"]
    assert 0 <= summary["joint"] <= 100
    assert summary["report"] is None or (work / summary["report"]).is_file()
    assert "Playing" in run.stderr, "progress goes to stderr"


def test_the_log_is_written_under_demo_out_by_default(
    demo: tuple[dict[str, Any], subprocess.CompletedProcess[str], Path],
) -> None:
    summary, _, work = demo
    log = work / summary["log"]
    assert log.parent == work / "demo-out" and log.is_file()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["kind"] == "hotline-exercise-log"
    assert len(lines) == summary["events"] + 1
    assert json.loads(lines[-1])["type"] == "exercise_ended"


def test_hotline_score_on_the_log_gives_the_printed_scores(
    demo: tuple[dict[str, Any], subprocess.CompletedProcess[str], Path],
) -> None:
    summary, _, work = demo
    scored = hotline("score", summary["log"], "--json", cwd=work)
    assert scored.returncode == 0, scored.stderr
    offline = json.loads(scored.stdout)
    assert offline["exercise_id"] == summary["exercise_id"] and offline["events"] == summary["events"]
    assert offline["joint"] == summary["joint"]
    for team, result in summary["teams"].items():
        assert offline["teams"][team]["score"] == result["score"]
        assert offline["teams"][team]["metrics"] == result["metrics"]


def test_the_table_names_both_policies_and_every_metric(tmp_path: Path) -> None:
    args = ["demo", "--scenario", str(shortest_bundled()), "--blue", "hawk", "--red", "null", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "(hawk)" in result.stdout and "(null)" in result.stdout
    for metric in METRIC_IDS:
        assert f"\n{metric:<4}" in result.stdout
    assert "Team score" in result.stdout and "Joint score" in result.stdout
    assert list(tmp_path.glob("*.jsonl"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--blue", "owl"], "there is no bot policy 'owl'"),
        (["--url", "http://127.0.0.1:9"], "needs the server's facilitator secret"),
        (["--scenario", "missing.yaml"], "no such scenario file"),
    ],
)
def test_wrong_options_are_refused_with_a_plain_message(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", *args], env={"HOTLINE_SECRET": ""})
    assert result.exit_code == 1
    assert message in result.output


def test_an_unreachable_server_is_reported_not_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["demo", "--url", "http://127.0.0.1:9", "--secret", "x" * 20])
    assert result.exit_code == 1
    assert "could not talk to http://127.0.0.1:9" in result.output


def test_the_help_lists_every_policy() -> None:
    assert tuple(POLICIES) == POLICY_NAMES
    result = CliRunner().invoke(cli, ["demo", "--help"])
    assert all(name in result.output for name in POLICY_NAMES)


def test_the_demo_shows_pressure_rising_and_the_hawk_giving_in_while_grit_holds(tmp_path: Path) -> None:
    args = ["demo", "--scenario", "tutorial", "--blue", "hawk", "--red", "grit", "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Domestic pressure (0–100):" in result.stdout
    [hawk] = [line for line in result.stdout.splitlines() if line.startswith("  Washington (hawk): 20 → peak")]
    [grit] = [line for line in result.stdout.splitlines() if line.startswith("  Beijing (grit): 20 → peak")]
    assert "gave in" in hawk and "never gave in" not in hawk
    assert grit.endswith("never gave in")
    hawk_peak, grit_peak = (float(line.split("peak ")[1].split()[0]) for line in (hawk, grit))
    assert hawk_peak > 40 and grit_peak > hawk_peak  # grit held under more pressure than the hawk gave in to
