"""MSEL as CSV: UTF-8 with a byte-order mark, so spreadsheet programs show non-English text correctly.

Files saved by spreadsheet programs in some locales use ';' or tabs between cells; the reader takes the
separator from the header row, where Hotline's column names contain none of them. Cells that could open
as formulas are written behind an apostrophe, which reading removes (``app.guards.csvcells``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from app.guards.csvcells import restore, write_rows
from app.scenario.msel_columns import COLUMNS
from app.scenario.msel_table import MAX_COLUMNS, MAX_ROWS, Table, file_problem

_SEPARATORS = (",", ";", "\t")


def write_csv(header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> bytes:
    """Every cell neutralised (``app.guards.csvcells``): no cell opens as a formula."""
    return write_rows(header, rows).encode("utf-8-sig")


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_problem(
            source,
            "the file is not UTF-8 text; in your spreadsheet program save it as 'CSV UTF-8' "
            "(or send the .xlsx workbook instead)",
        ) from None


def _separator(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max(_SEPARATORS, key=first_line.count)


def read_csv(data: bytes, source: str) -> Table:
    """The cells of a CSV file; row numbers count records as a spreadsheet program shows them."""
    text = _decode(data, source)
    if "\x00" in text:
        raise file_problem(source, "the file holds binary data, not CSV text; send a .csv or .xlsx file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue  # blank rows between injects are fine
            if len(records) > MAX_ROWS:
                raise file_problem(source, f"the file has more than {MAX_ROWS} rows; an MSEL is far shorter")
            if len(record) > MAX_COLUMNS:
                raise file_problem(source, f"row {number} has {len(record)} cells; an MSEL has {len(COLUMNS)} columns")
            records.append((number, [restore(cell) for cell in record]))
    except csv.Error as exc:
        raise file_problem(
            source, f"line {reader.line_num}: the CSV cannot be read ({exc}); check the quotes around that line"
        ) from None
    if not records:
        raise file_problem(source, "the file is empty; the first row must hold the column names")
    header_row, header = records[0]
    return Table(header_row=header_row, header=header, rows=records[1:])
