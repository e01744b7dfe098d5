"""Adding scenarios from the control console: a file is checked at once, its problems are shown where they
are, nothing is stored while it is invalid, and a valid one joins the scenario picker at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from app.cli import cli
from tests.browser.helpers import Consoles
from tests.browser.server import FIXTURES, HotlineServer

pytestmark = pytest.mark.browser

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HotlineServer]:
    """A server of its own: what these tests add to its library must not show in the other tests' pickers."""
    with HotlineServer(tmp_path_factory.mktemp("upload-library")) as running:
        yield running


def scenario_file(text: str, name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/yaml", "buffer": text.encode("utf-8")}


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


def open_start_page(server: HotlineServer, page: Page) -> None:
    page.goto(f"{server.base_url}/control#secret={server.secret}")
    expect(page.locator(".scenario-card").first).to_be_visible()


def stored_ids(server: HotlineServer) -> list[str]:
    return [summary["id"] for summary in server.http.get("/api/scenarios").json()]


def test_a_scenario_file_is_checked_at_once_and_only_a_valid_one_is_added(
    library: HotlineServer, consoles: Consoles
) -> None:
    console = consoles.open()
    page = console.page
    open_start_page(library, page)
    cards = page.locator(".scenario-card")
    expect(cards).to_have_count(1)

    broken = MINI.replace("id: mini\n", "id: drill\n").replace("title: Red-only report", "title: ''")
    broken = broken.replace("{type: band_reached, band: 4}", "{type: band_reached, band: 9}")
    page.get_by_label("Choose a file").set_input_files(files=[scenario_file(broken, "drill.yaml")])
    upload = page.locator("#upload")
    problems = upload.locator(".problem")
    expect(upload.locator(".upload-problems")).to_contain_text("This file has 2 problem(s); nothing was stored.")
    empty_title, bad_band = line_of(broken, "title: ''"), line_of(broken, "band: 9")
    expect(problems.nth(0)).to_contain_text(f"Line {empty_title}")
    expect(problems.nth(0)).to_contain_text("injects[2].title")
    expect(problems.nth(1)).to_contain_text(f"Line {bad_band}")
    expect(problems.nth(1)).to_contain_text("less than or equal to 6")
    # The file itself, with exactly those lines marked and explained.
    marked = upload.locator(".source-view .source-line.marked")
    expect(marked).to_have_count(2)
    assert marked.evaluate_all("lines => lines.map(line => Number(line.dataset.line))") == [empty_title, bad_band]
    expect(marked.nth(1).locator(".line-text")).to_contain_text("band: 9")
    expect(marked.nth(1).locator(".line-note")).to_contain_text("less than or equal to 6")
    problems.nth(1).get_by_role("button", name=f"Line {bad_band}").click()
    expect(marked.nth(1)).to_be_in_viewport()
    expect(upload.get_by_role("button", name="Add to library")).to_have_count(0)
    expect(cards).to_have_count(1)
    assert stored_ids(library) == ["mini"], "nothing is stored while the file is invalid"

    # Fixed, the same file is valid: its summary, then "Add to library" puts it in the picker at once.
    fixed = MINI.replace("id: mini\n", "id: drill\n").replace("title: Mini crisis", "title: Harbour drill")
    page.get_by_label("Choose a file").set_input_files(files=[scenario_file(fixed, "drill.yaml")])
    expect(upload.locator(".upload-summary")).to_contain_text("Harbour drill")
    expect(upload.locator(".upload-summary")).to_contain_text("8 injects")
    assert stored_ids(library) == ["mini"], "checking stores nothing"
    upload.get_by_role("button", name="Add to library").click()
    expect(cards).to_have_count(2)
    expect(page.locator("#scenario-drill")).to_be_checked()
    expect(page.locator(".scenario-card[data-scenario=drill]")).to_contain_text("Harbour drill")
    expect(upload).to_contain_text("“Harbour drill” (drill) is in the library")

    # Another scenario under an uploaded id: explained, and replacing is offered because the server allows it.
    changed = fixed.replace("title: Harbour drill", "title: Harbour drill, second cut")
    page.get_by_label("Choose a file").set_input_files(files=[scenario_file(changed, "drill.yaml")])
    expect(upload.locator(".upload-conflict")).to_contain_text("was uploaded before")
    upload.get_by_role("button", name="Replace the earlier upload").click()
    expect(page.locator(".scenario-card[data-scenario=drill]")).to_contain_text("Harbour drill, second cut")
    expect(cards).to_have_count(2)

    # A bundled scenario's id is never replaced: explained, and no replace button.
    page.get_by_label("Choose a file").set_input_files(files=[scenario_file(MINI, "mini.yaml")])
    expect(upload.locator(".upload-conflict")).to_contain_text("uploads never replace")
    expect(upload.get_by_role("button", name="Replace the earlier upload")).to_have_count(0)
    assert sorted(stored_ids(library)) == ["drill", "mini"]
    # Chromium logs each refused check (422, 409) as a failed resource: those are the answers expected.
    assert [problem for problem in console.problems if "status of 4" not in problem] == []


def test_an_msel_spreadsheet_for_an_existing_scenario_is_checked_by_row_and_column(
    library: HotlineServer, consoles: Consoles, tmp_path: Path
) -> None:
    sheet = tmp_path / "mini-msel.xlsx"
    exported = CliRunner().invoke(cli, ["msel", "export", str(FIXTURES / "mini.yaml"), "--out", str(sheet)])
    assert exported.exit_code == 0, exported.output
    workbook = load_workbook(sheet)
    rows = workbook.worksheets[0]
    column = next(cell.column for cell in rows[1] if cell.value == "Scenario time")
    rows.cell(row=3, column=column, value="T+1:3x")
    broken = tmp_path / "mini-msel-broken.xlsx"
    workbook.save(broken)

    console = consoles.open()
    page = console.page
    open_start_page(library, page)
    upload = page.locator("#upload")
    page.locator("#scenario-mini").check()
    page.get_by_label("Choose a file").set_input_files(str(broken))
    expect(page.get_by_label("Scenario the spreadsheet belongs to")).to_have_value("mini")  # the scenario picked
    problem = upload.locator(".problem")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Row 3, column “Scenario time”")
    expect(problem).to_contain_text("cannot read time 'T+1:3x'")
    expect(upload.locator(".source-view")).to_have_count(0)  # a workbook has rows, not lines

    page.get_by_label("Choose a file").set_input_files(str(sheet))
    # Into a bundled scenario under its own id would replace it: the console says to give a new id.
    expect(upload.locator(".upload-conflict")).to_contain_text("uploads never replace")
    expect(upload).to_contain_text("Give the new scenario an id of its own")
    page.get_by_label("Id for the new scenario").fill("mini-sheet")
    summary = upload.locator(".upload-summary")
    expect(summary).to_contain_text("Id mini-sheet · stored as mini-sheet.yaml")
    expect(summary).to_contain_text("8 injects")
    expect(upload.get_by_role("button", name="Add to library")).to_be_visible()
    assert "mini-sheet" not in stored_ids(library)
    assert [problem for problem in console.problems if "status of 4" not in problem] == []
