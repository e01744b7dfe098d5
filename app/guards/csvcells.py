"""Every CSV Hotline writes is safe to open in a spreadsheet program, and reads back exactly.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: ``=HYPERLINK(…)`` in an inject's text would become a live link, and
worse. The rule, for every cell written (docs/msel.md and docs/reports.md say it to users):

* a cell whose first non-blank character is one of ``= + - @``, or that starts with a tab, a
  carriage return or an apostrophe, is written with one apostrophe in front; the apostrophe is
  the spreadsheet programs' own "this is text" mark;
* a plain number (``-3.5``) is written as it is, so it stays a number;
* reading removes one leading apostrophe, so a cell round-trips unchanged (an apostrophe that was
  really there was doubled on writing).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

_FORMULA_START = frozenset("=+-@")
_CONTROL_START = frozenset("\t\r\n'")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
APOSTROPHE = "'"


def neutralise(cell: object) -> str:
    """The text to write for ``cell``: never read as a formula, and ``restore`` gives it back."""
    text = "" if cell is None else str(cell)
    if not text or _NUMBER.fullmatch(text):
        return text
    first = text.lstrip(" ")[:1]
    if text[0] in _CONTROL_START or first in _FORMULA_START:
        return APOSTROPHE + text
    return text


def restore(cell: str) -> str:
    """The text a neutralised cell stood for."""
    return cell[1:] if cell.startswith(APOSTROPHE) else cell


def write_rows(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document (CRLF line ends, as spreadsheet programs write them) with every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()
