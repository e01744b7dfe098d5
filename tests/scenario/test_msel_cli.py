"""`hotline msel export` and `hotline msel import` as a facilitator runs them: exit codes, files, messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.scenario.loader import load_scenario
from app.scenario.validate import load_and_lint
from tests.scenario.helpers import FIXTURES, MINI_TEXT, variant

runner = CliRunner()
MINI_FILE = FIXTURES / "mini.yaml"


@pytest.fixture(autouse=True)
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Scenario ids resolve in a library of the mini fixture plus an uploads folder under the test's data dir."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "mini.yaml").write_text(MINI_TEXT, encoding="utf-8")
    monkeypatch.setenv("HOTLINE_SCENARIO_DIRS", json.dumps([str(bundled)]))
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path / "data"))
    return bundled


def test_export_then_import_by_id_writes_a_valid_scenario_with_the_same_msel(tmp_path: Path) -> None:
    sheet, out = tmp_path / "msel.xlsx", tmp_path / "new.yaml"
    exported = runner.invoke(cli, ["msel", "export", "mini", "--out", str(sheet)])
    assert exported.exit_code == 0, exported.output
    assert f"Wrote {sheet}: 8 injects of scenario 'mini'" in exported.stdout
    imported = runner.invoke(
        cli, ["msel", "import", str(sheet), "--into", "mini", "--out", str(out), "--id", "mini-copy"]
    )
    assert imported.exit_code == 0, imported.output
    assert "scenario 'mini-copy' with 8 injects (4 timed, 4 contingency)" in imported.stdout
    written = load_and_lint(out)
    assert written.id == "mini-copy"
    assert written.injects == load_scenario(MINI_FILE).injects


def test_a_scenario_file_can_be_named_instead_of_an_id(tmp_path: Path) -> None:
    sheet, out = tmp_path / "msel.csv", tmp_path / "new.yaml"
    assert runner.invoke(cli, ["msel", "export", str(MINI_FILE), "--out", str(sheet)]).exit_code == 0
    result = runner.invoke(cli, ["msel", "import", str(sheet), "--into", str(MINI_FILE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_and_lint(out) == load_scenario(MINI_FILE)


def test_uploaded_scenarios_are_found_by_id_too(tmp_path: Path) -> None:
    uploads = tmp_path / "data" / "scenarios"
    uploads.mkdir(parents=True)
    (uploads / "mini-up.yaml").write_text(variant("id: mini\n", "id: mini-up\n"), encoding="utf-8")
    result = runner.invoke(cli, ["msel", "export", "mini-up", "--out", str(tmp_path / "up.csv")])
    assert result.exit_code == 0, result.output


def test_import_problems_are_listed_by_row_and_column_exit_1_and_nothing_is_written(tmp_path: Path) -> None:
    sheet, out = tmp_path / "msel.csv", tmp_path / "new.yaml"
    runner.invoke(cli, ["msel", "export", "mini", "--out", str(sheet)])
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    rows[2][rows[0].index("Scenario time")] = "T+1:3x"
    rows[5][rows[0].index("To")] = "green"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    out.write_text("# an older file the failed import must leave alone\n", encoding="utf-8")

    result = runner.invoke(cli, ["msel", "import", str(sheet), "--into", "mini", "--out", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{sheet}: row 3, column \"Scenario time\": cannot read time 'T+1:3x'" in lines[1]
    assert f"{sheet}: row 6, column \"To\": there is no team 'green'" in lines[2]
    assert lines[-1] == f"2 problem(s) in {sheet}; nothing was written."
    assert out.read_text(encoding="utf-8") == "# an older file the failed import must leave alone\n"
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("arguments", "code", "words"),
    [
        (["msel", "export", "mini", "--out", "msel.ods"], 2, "must end in .xlsx or .csv"),
        (["msel", "export", "no-such-id", "--out", "msel.csv"], 1, "There is no scenario 'no-such-id'"),
        (["msel", "export", "missing.yaml", "--out", "msel.csv"], 1, "missing.yaml: no such scenario file"),
        (["msel", "import", "missing.xlsx", "--into", "mini", "--out", "new.yaml"], 1, "missing.xlsx: no such file"),
        (["msel", "import", "msel.csv", "--into", "mini", "--out", "new.txt"], 2, "must end in .yaml"),
        (["msel", "import", "msel.txt", "--into", "mini", "--out", "new.yaml"], 2, "must end in .xlsx or .csv"),
    ],
)
def test_mistakes_on_the_command_line_exit_non_zero_and_say_what_is_wrong(
    arguments: list[str], code: int, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, arguments)
    assert result.exit_code == code
    assert words in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bundled"]  # nothing written


def test_an_invalid_base_scenario_file_is_reported_with_its_lines(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        variant("audience: red\n    channel: military", "audience: green\n    channel: military"), encoding="utf-8"
    )
    result = runner.invoke(cli, ["msel", "export", str(broken), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 1
    assert f"{broken}:" in result.stderr and "injects[2].audience.team" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_text_a_workbook_cannot_hold_is_reported_and_csv_still_works(tmp_path: Path) -> None:
    bell = tmp_path / "bell.yaml"
    bell.write_text(variant("text: Still no call between the leaders.", 'text: "Still no call\\a"'), encoding="utf-8")
    workbook = runner.invoke(cli, ["msel", "export", str(bell), "--out", str(tmp_path / "bell.xlsx")])
    assert workbook.exit_code == 1
    assert 'row 6, column "Player text": the text holds a control character' in workbook.stderr
    assert not (tmp_path / "bell.xlsx").exists()
    assert runner.invoke(cli, ["msel", "export", str(bell), "--out", str(tmp_path / "bell.csv")]).exit_code == 0
