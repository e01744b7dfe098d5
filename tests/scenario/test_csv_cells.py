"""Every cell of every CSV Hotline writes opens as text in a spreadsheet program, and reads back exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from app.cli import cli
from app.guards.csvcells import neutralise, restore
from app.scenario.loader import load_scenario
from app.scenario.validate import load_and_lint
from tests.scenario.helpers import MINI_TEXT, variant

runner = CliRunner()
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd", " =1+1", "\t=1", "'quoted"]


def runs_as_a_formula(cell: str) -> bool:
    """Whether a spreadsheet program would evaluate this cell (a plain number is harmless)."""
    try:
        float(cell)
        return False
    except ValueError:
        pass
    return cell[:1] in ("\t", "\r") or cell.lstrip(" ")[:1] in ("=", "+", "-", "@")


@given(st.text())
def test_any_text_is_written_inert_and_read_back_unchanged(text: str) -> None:
    written = neutralise(text)
    assert not runs_as_a_formula(written)
    assert restore(written) == text


def test_numbers_stay_numbers() -> None:
    assert [neutralise(value) for value in (-7.2, 3, "-3.5", "1e5")] == ["-7.2", "3", "-3.5", "1e5"]


def test_the_msel_csv_holds_no_formula_and_imports_back_to_the_same_scenario(tmp_path: Path) -> None:
    text = MINI_TEXT
    titles = ("Collision at sea", "Blue-only report", "Red-only report", "Leaders under pressure")
    for title, formula in zip(titles, FORMULAS, strict=False):
        text = variant(f"title: {title}", f"title: {formula!r}", text)
    text = variant("notes: Watch whether the leaders call.", f"notes: {FORMULAS[4]!r}", text)
    text = variant("text: Red fleet reports the pilot missing.", f"text: {FORMULAS[6]!r}", text)
    scenario_file = tmp_path / "formulas.yaml"
    scenario_file.write_text(text, encoding="utf-8")
    sheet, out = tmp_path / "msel.csv", tmp_path / "back.yaml"
    assert runner.invoke(cli, ["msel", "export", str(scenario_file), "--out", str(sheet)]).exit_code == 0
    cells = [cell for row in csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")) for cell in row]
    assert not [cell for cell in cells if runs_as_a_formula(cell)]
    assert '\'=HYPERLINK("http://x","y")' in cells and "''quoted" in cells
    result = runner.invoke(cli, ["msel", "import", str(sheet), "--into", str(scenario_file), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_and_lint(out).injects == load_scenario(scenario_file).injects  # lossless
