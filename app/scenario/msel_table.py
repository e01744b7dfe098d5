"""What the xlsx and CSV readers hand over (a grid of cell texts with row numbers), and MSEL problems.

A problem in a spreadsheet is found by row and column, not by YAML line, so ``MselProblem`` adds both
to the loader's ``Problem`` and prints as ``msel.xlsx: row 7, column "Scenario time": ...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.guards.text import text_problem
from app.scenario.loader import Problem, ScenarioInvalid
from app.scenario.msel_columns import COLUMNS

# A scenario's MSEL has tens of injects; these bounds only stop a wrong or hostile file early.
MAX_ROWS = 5000
MAX_COLUMNS = 100


@dataclass(frozen=True)
class Table:
    """The cells of one sheet as text; ``rows`` pairs each row's cells with its 1-based row number."""

    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class MselProblem(Problem):
    """A problem in an MSEL spreadsheet: ``row`` as a spreadsheet program numbers it, ``column`` by header."""

    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column is not None:
            where.append(f'column "{self.column}"')
        return f"{self.file}: {', '.join(where)}: {self.message}" if where else f"{self.file}: {self.message}"


_COLUMN_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}


def _reading_order(problem: Problem) -> tuple[int, int, int, str, int, str]:
    if isinstance(problem, MselProblem):
        column = -1 if problem.column is None else _COLUMN_ORDER.get(problem.column, len(_COLUMN_ORDER))
        return (0, problem.row or 0, column, problem.column or "", 0, "")
    return (1, 0, 0, problem.file, problem.line or 0, problem.path)


class MselInvalid(ScenarioInvalid):
    """An MSEL import that cannot be used; problems come row by row, as a facilitator reads the sheet."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(list(problems))
        self.problems = sorted(problems, key=_reading_order)
        self.args = ("\n".join(str(problem) for problem in self.problems),)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def file_problem(source: str, message: str) -> MselInvalid:
    """The whole file cannot be read (not a spreadsheet, too big, wrong encoding)."""
    return MselInvalid([MselProblem(source, "", None, message)])


def unstorable_cells(table: Table, source: str) -> list[MselProblem]:
    """A problem for every cell holding text no database can store (a NUL, a lone surrogate)."""
    problems: list[MselProblem] = []
    for row, cells in [(table.header_row, table.header), *table.rows]:
        for index, cell in enumerate(cells):
            why = text_problem(cell)
            if why is not None:
                header = table.header[index] if index < len(table.header) else ""
                column = header if header and text_problem(header) is None else f"column {column_letter(index)}"
                problems.append(MselProblem(source, "", None, why, row=row, column=column))
    return problems
