"""The MSEL workbook: a sheet a facilitator can work in, an About sheet, and cells as Excel stores them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.scenario.loader import ScenarioInvalid
from app.scenario.msel import BaseScenario, MselFormat, export_msel, import_msel
from app.scenario.msel_columns import COLUMNS
from app.scenario.validate import parse_and_lint
from tests.scenario.helpers import MINI_TEXT

MINI = parse_and_lint(MINI_TEXT, "mini.yaml")
BASE = BaseScenario(MINI, "mini.yaml", MINI_TEXT)


def exported() -> Workbook:
    return load_workbook(io.BytesIO(export_msel(MINI, MselFormat.xlsx)))


def msel_sheet(workbook: Workbook) -> Worksheet:
    sheet = workbook["MSEL"]
    assert isinstance(sheet, Worksheet)
    return sheet


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_of(sheet: Worksheet, header: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == header)


def test_the_header_row_is_named_bold_frozen_and_filterable() -> None:
    workbook = exported()
    assert workbook.sheetnames == ["MSEL", "About"]
    sheet = msel_sheet(workbook)
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:O9"
    assert sheet.column_dimensions["I"].width == 60  # player text gets room
    text_cell = sheet.cell(row=2, column=column_of(sheet, "Player text"))
    assert text_cell.alignment.wrap_text
    assert text_cell.value == "A patrol aircraft and an interceptor have collided."
    assert sheet.cell(row=2, column=column_of(sheet, "Scenario time")).number_format == "@"


def test_the_about_sheet_explains_columns_notations_and_the_scenarios_ids() -> None:
    about = workbook_text(exported()["About"])
    for column in COLUMNS:
        assert column.header in about
    for words in (
        "no_contact CHANNEL by T+HH:MM",
        "D+1 H+3 M+45",
        "blue/leader; red/leader",
        "hotline msel import THIS.xlsx --into mini",
        "action show-of-force",
        "objective OBJ1",
        "intel, news, military",
    ):
        assert words in about


def workbook_text(sheet: object) -> str:
    assert isinstance(sheet, Worksheet)
    return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value)


def test_a_text_that_starts_with_equals_stays_text_not_a_formula() -> None:
    first = MINI.injects[0].model_copy(update={"text": '=HYPERLINK("http://example.invalid")'})
    scenario = MINI.model_copy(update={"injects": [first, *MINI.injects[1:]]})
    sheet = msel_sheet(load_workbook(io.BytesIO(export_msel(scenario, MselFormat.xlsx))))
    cell = sheet.cell(row=2, column=column_of(sheet, "Player text"))
    assert cell.data_type == "s"


def test_cells_that_excel_turned_into_numbers_and_times_are_read_as_typed() -> None:
    workbook = exported()
    sheet = msel_sheet(workbook)
    time, window, number = (column_of(sheet, name) for name in ("Scenario time", "Decision window", "Inject no."))
    sheet.cell(row=3, column=time).value = dt.time(1, 0)  # typed 01:00, stored as a clock time
    sheet.cell(row=4, column=time).value = 120  # typed 120: minutes
    sheet.cell(row=5, column=time).value = dt.timedelta(hours=6)  # an [h]:mm duration
    sheet.cell(row=5, column=window).value = dt.time(2, 0)
    sheet.cell(row=2, column=number).value = 1.0
    result = import_msel(BASE, saved(workbook), "msel.xlsx", MselFormat.xlsx)
    assert result.scenario.injects == MINI.injects


def test_a_later_time_typed_past_24_hours_is_read_as_hours() -> None:
    workbook = exported()
    sheet = msel_sheet(workbook)
    cell = sheet.cell(row=5, column=column_of(sheet, "Scenario time"))
    cell.value = dt.datetime(1900, 1, 1, 2, 0)  # Excel shows 26:00 in an [h]:mm cell as 1900-01-01 02:00
    cell.number_format = "[h]:mm"
    with pytest.raises(ScenarioInvalid) as caught:
        import_msel(BASE, saved(workbook), "msel.xlsx", MselFormat.xlsx)
    assert [str(problem) for problem in caught.value.problems] == [
        'msel.xlsx: row 5, column "Scenario time": T+26:00 is after the scenario\'s end (T+24:00)'
    ]


def test_the_msel_sheet_is_found_by_name_and_other_sheets_are_ignored() -> None:
    workbook = exported()
    workbook.move_sheet("About", offset=-1)
    workbook.create_sheet("Notes").append(["anything", "at", "all"])
    assert import_msel(BASE, saved(workbook), "msel.xlsx", MselFormat.xlsx).scenario == MINI


def test_a_workbook_that_unpacks_to_far_more_than_an_msel_is_refused() -> None:
    buffer = io.BytesIO(export_msel(MINI, MselFormat.xlsx))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/filler.bin", bytes(70 * 1024 * 1024))  # 70 MB of zeros pack to 70 KB
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(ScenarioInvalid) as caught:
        import_msel(BASE, buffer.getvalue(), "msel.xlsx", MselFormat.xlsx)
    assert "unpacks to 70 MB" in str(caught.value)
