"""``hotline tournament`` end to end on a tiny run, and the perturbation its sensitivity mode plays."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.bots.perturb import perturbed, tempo
from app.cli import cli
from app.scenario.linter import lint
from app.scenario.loader import load_scenario
from tests.bots.helpers import BUNDLED, shortest_bundled

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("tournament")
    scenario = load_scenario(shortest_bundled()).id
    args = ["tournament", "--scenarios", scenario, "--policies", "null,tft", "--seeds", "2"]
    result = runner.invoke(cli, [*args, "--sensitivity", "1", "--workers", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_every_pair_plays_on_every_seed_and_the_matrix_says_so(tiny: tuple[Path, str]) -> None:
    out, output = tiny
    data = json.loads((out / "tournament.json").read_text(encoding="utf-8"))
    assert data["games"] == 2 * 2 * 2 * 2 and data["failed"] == []  # 2² pairs × 2 seeds × (as written + 1 variant)
    [scenario] = data["scenarios"]
    cells = data["matrix"][scenario]
    assert set(cells) == {"null", "tft"} and all(set(row) == {"null", "tft"} for row in cells.values())
    assert cells["tft"]["tft"]["first"]["n"] == 2
    assert cells["null"]["null"]["joint"] == {"mean": 0.0, "spread": 0.0, "n": 2}
    assert cells["tft"]["null"]["first"]["mean"] > 50 > cells["tft"]["null"]["second"]["mean"] == 0.0
    assert list(data["standings"][scenario]) == ["tft", "null"]
    assert "16/16 games" in output, "a progress bar counts the games"


def test_csv_and_html_carry_the_same_matrix(tiny: tuple[Path, str]) -> None:
    out, _ = tiny
    with (out / "matrix.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2 * 4  # the scenario and "all scenarios", four pairs each
    data = json.loads((out / "tournament.json").read_text(encoding="utf-8"))
    for row in rows:
        cell = data["matrix"][row["scenario"]][row["first_team_policy"]][row["second_team_policy"]]
        assert float(row["joint_mean"]) == cell["joint"]["mean"]
    with (out / "games.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 16
    page = (out / "tournament.html").read_text(encoding="utf-8")
    assert "<div id='heatmap'></div>" in page and "Plotly.react('heatmap'" in page
    assert "plotly.js v" in page.lower() or "plotly" in page[:200_000].lower()
    assert "src=" not in page.split("<script>", 1)[1].split("</script>", 1)[0][:200], "plotly.js is inlined"


def test_sensitivity_reports_how_far_scores_moved(tiny: tuple[Path, str]) -> None:
    out, _ = tiny
    with (out / "sensitivity.csv").open(encoding="utf-8") as handle:
        rows = {row["scenario"]: row for row in csv.DictReader(handle)}
    overall = rows["all scenarios"]
    assert int(overall["games"]) == 8
    assert 0 <= float(overall["team_mean"]) <= float(overall["team_max"]) <= 100
    assert -1 <= float(overall["rank_agreement"]) <= 1


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--policies", "tft,owl"], "there is no bot policy 'owl'"),
        (["--scenarios", "atlantis"], "there is no scenario 'atlantis'"),
    ],
)
def test_bad_choices_are_refused_before_anything_plays(tmp_path: Path, args: list[str], says: str) -> None:
    result = runner.invoke(cli, ["tournament", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and says in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("path", BUNDLED, ids=[path.stem for path in BUNDLED])
def test_a_perturbed_scenario_moves_every_timing_within_ten_percent_and_stays_valid(path: Path) -> None:
    scenario = load_scenario(path)
    variant = perturbed(scenario, 2)
    assert lint(variant) == [] and variant.end == scenario.end and variant.id == f"{scenario.id}.v2"
    pairs = [(a.at, b.at) for a, b in zip(scenario.injects, variant.injects, strict=True) if a.at]
    pairs += [
        (scenario.ring_timeout, variant.ring_timeout),
        (scenario.scoring.reflex_window, variant.scoring.reflex_window),
    ]
    assert any(before != after for before, after in pairs)
    for before, after in pairs:
        assert after is not None and (after == scenario.end or abs(after - before) <= 0.1 * before + 1)
    assert perturbed(scenario, 2) == variant, "the same variant every time"
    assert tempo(1, 0, "first") == 1.0 and 0.9 <= tempo(1, 2, "first") <= 1.1
