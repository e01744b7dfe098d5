"""MSEL as an Excel workbook (openpyxl): an "MSEL" sheet to edit and an "About" sheet that explains it.

Every written cell is stored as text with a text number format, so that a spreadsheet program does not turn
``00:30`` into a clock time or ``=...`` into a formula. On reading, whatever a program did to a cell (a
number, a time, a duration) is turned back into the text a facilitator would have typed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

from app.scenario.msel_about import Section
from app.scenario.msel_columns import Col, Column
from app.scenario.msel_table import MAX_COLUMNS, MAX_ROWS, MselInvalid, Table, column_letter, file_problem

MSEL_SHEET = "MSEL"
ABOUT_SHEET = "About"
# A 2 MB upload can unpack to gigabytes; real MSEL workbooks unpack to a few megabytes.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
_TEXT_FORMAT = "@"
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
# Excel shows a duration typed into a time cell as a date in the first days of 1900.
_EXCEL_DURATIONS_END = dt.datetime(1900, 3, 1)


class MselExportError(ValueError):
    """A scenario text that a workbook cannot hold."""


def _put(sheet: Worksheet, row: int, column: int, value: str | int, where: str, *, wrap: bool = True) -> None:
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        raise MselExportError(
            f"{where}: the text holds a control character that workbooks cannot store; remove it from the "
            "scenario file (or export to CSV)"
        )
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, even when the text starts with '='
        cell.number_format = _TEXT_FORMAT
    if wrap:
        cell.alignment = _WRAP


def _write_msel(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Sequence[str | int]]) -> None:
    for index, column in enumerate(columns, start=1):
        letter = column_letter(index - 1)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        # Rows a facilitator adds later take the column's format: text, wrapped.
        dimension.alignment = _WRAP
        if column.key is not Col.number:
            dimension.number_format = _TEXT_FORMAT
    for row_number, values in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            if value != "":
                _put(sheet, row_number, index, value, f'row {row_number}, column "{column.header}"')
    sheet.freeze_panes = "C2"  # the header, the number and the inject id stay in view
    sheet.auto_filter.ref = f"A1:{column_letter(len(columns) - 1)}{max(2, len(rows) + 1)}"


def _write_about(sheet: Worksheet, sections: Sequence[Section]) -> None:
    # Two-column tables use A and B, so B is the wide one; the columns table adds C and D.
    for letter, width in zip("ABCD", (34, 80, 10, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    row = 1
    for section in sections:
        sheet.cell(row=row, column=1, value=section.title).font = Font(bold=True, size=13)
        row += 1
        if section.header:
            for index, name in enumerate(section.header, start=1):
                sheet.cell(row=row, column=index, value=name).font = _BOLD
            row += 1
        for values in section.rows:
            for index, value in enumerate(values, start=1):
                # A plain line of text is not wrapped, so it runs on across the empty cells beside it.
                _put(sheet, row, index, value, f"About sheet, row {row}", wrap=section.header is not None)
            row += 1
        row += 1


def write_xlsx(columns: Sequence[Column], rows: Sequence[Sequence[str | int]], about: Sequence[Section]) -> bytes:
    workbook = Workbook()
    msel = workbook.active
    assert msel is not None  # a new workbook always has one sheet
    msel.title = MSEL_SHEET
    _write_msel(msel, columns, rows)
    _write_about(workbook.create_sheet(ABOUT_SHEET), about)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def cell_text(value: object) -> str:
    """The text a facilitator typed into a cell, whatever type the spreadsheet program stored it as."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value < _EXCEL_DURATIONS_END:
            return _clock(to_excel(value) * 86400)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.time):
        return _clock(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, dt.timedelta):
        return _clock(value.total_seconds())
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_NOT_A_WORKBOOK = "the file is not an Excel workbook (.xlsx); in your spreadsheet program save it as .xlsx or CSV"


def _check_unpacked_size(data: bytes, source: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise file_problem(source, _NOT_A_WORKBOOK) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise file_problem(
            source,
            f"the workbook unpacks to {unpacked / 1048576:.0f} MB; an MSEL workbook is far smaller, so "
            "remove other sheets, images and unused rows",
        )


def _trimmed(cells: Sequence[object]) -> list[str]:
    texts = [cell_text(value) for value in cells]
    while texts and not texts[-1].strip():
        texts.pop()
    return texts


def _damaged(source: str, sheet: str, rows_read: int) -> MselInvalid:
    where = f"after row {rows_read}" if rows_read else "at its start"
    return file_problem(
        source,
        f"the sheet '{sheet}' is damaged {where} and cannot be read; open the file in your spreadsheet program "
        "and save it again as .xlsx (or as CSV UTF-8)",
    )


def read_xlsx(data: bytes, source: str) -> Table:
    """The cells of the "MSEL" sheet (or the first sheet) as text, with spreadsheet row numbers.

    A workbook is a zip of XML parts that any program may have written; openpyxl raises whatever its
    XML parser or its cell conversion raises on a damaged one, so every exception from it counts as
    "this file cannot be read" and is reported with the row it got to, never as a server error.
    """
    _check_unpacked_size(data, source)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or hostile workbook: see the docstring
        raise file_problem(source, _NOT_A_WORKBOOK) from None
    title = MSEL_SHEET
    number = 0
    records: list[tuple[int, list[str]]] = []
    try:
        sheet = workbook[MSEL_SHEET] if MSEL_SHEET in workbook.sheetnames else workbook.worksheets[0]
        title = sheet.title
        for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            texts = _trimmed(cells)
            if not texts:
                continue  # blank rows between injects are fine
            if len(records) > MAX_ROWS:
                raise file_problem(source, f"the sheet has more than {MAX_ROWS} rows; an MSEL is far shorter")
            records.append((number, texts))
    except MselInvalid:
        raise
    except Exception:  # a damaged or hostile workbook: see the docstring
        raise _damaged(source, title, max(0, number - 1)) from None
    finally:
        workbook.close()
    if not records:
        raise file_problem(source, f"the sheet '{title}' is empty; its first row must hold the column names")
    header_row, header = records[0]
    return Table(header_row=header_row, header=header, rows=records[1:])
