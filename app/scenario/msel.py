"""MSEL spreadsheets: export a scenario's injects to .xlsx or .csv, and import them back into a scenario.

The spreadsheet holds only the MSEL. Importing takes every other part (teams, channels, catalog,
objectives, scoring, translations) from a base scenario, replaces its injects with the rows of the sheet,
and validates the whole result, schema and cross-references, before anything is written. Problems in the
sheet are reported by row and column; problems the new MSEL causes elsewhere (a translation of an inject
that is gone) are reported against the base scenario's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.guards.text import text_problem
from app.scenario.linter import lint_issues
from app.scenario.loader import MAX_FILE_BYTES, Loc, Problem, ScenarioInvalid, format_path, read_document
from app.scenario.msel_about import about_sections
from app.scenario.msel_columns import COLUMN_BY_FIELD, COLUMNS
from app.scenario.msel_csv import read_csv, write_csv
from app.scenario.msel_rows import MselRows, inject_row, read_header, read_rows
from app.scenario.msel_table import MselInvalid, MselProblem, Table, file_problem, unstorable_cells
from app.scenario.msel_xlsx import read_xlsx, write_xlsx
from app.scenario.schema import Identifier, Label, Scenario
from app.scenario.validate import parse_and_lint
from app.scenario.yaml_writer import scenario_yaml


class MselFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def msel_format(file_name: str) -> MselFormat | None:
    """The format a file name asks for, by its extension; None when it is neither .xlsx nor .csv."""
    suffix = PurePath(file_name).suffix.lower().lstrip(".")
    return MselFormat(suffix) if suffix in MselFormat.__members__ else None


def export_msel(scenario: Scenario, fmt: MselFormat) -> bytes:
    """The scenario's MSEL as the bytes of an .xlsx workbook or a UTF-8 CSV file."""
    rows = [inject_row(number, inject) for number, inject in enumerate(scenario.injects, start=1)]
    if fmt is MselFormat.xlsx:
        return write_xlsx(COLUMNS, rows, about_sections(scenario))
    return write_csv([column.header for column in COLUMNS], rows)


@dataclass(frozen=True)
class BaseScenario:
    """The scenario whose non-MSEL parts an import keeps; ``text`` (its YAML) lets problems name lines."""

    scenario: Scenario
    source: str
    text: str | None = None


@dataclass(frozen=True)
class MselImport:
    scenario: Scenario
    yaml: str  # what to write or store: loads back to ``scenario``


def read_table(data: bytes, source: str, fmt: MselFormat) -> Table:
    if len(data) > MAX_FILE_BYTES:
        raise file_problem(
            source,
            f"the file is {len(data) / 1048576:.1f} MB; MSEL files may be at most {MAX_FILE_BYTES // 1048576} MB",
        )
    table = read_xlsx(data, source) if fmt is MselFormat.xlsx else read_csv(data, source)
    unstorable = unstorable_cells(table, source)
    if unstorable:
        raise MselInvalid(unstorable)
    return table


_ID_RULE = "use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 64 characters)"


def _override_problems(source: str, new_id: str | None, new_title: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if new_id is not None:
        try:
            TypeAdapter(Identifier).validate_python(new_id)
        except ValidationError:
            shown = new_id if len(new_id) <= 40 else new_id[:40] + "…"
            problems.append(Problem(source, "id", None, f"{shown!r} is not a valid scenario id: {_ID_RULE}"))
    if new_title is not None:
        why = text_problem(new_title)
        try:
            TypeAdapter(Label).validate_python(new_title)
        except ValidationError:
            why = "a scenario title has 1 to 200 characters"
        if why is not None:
            problems.append(Problem(source, "title", None, why))
    return problems


def _line_in(base: BaseScenario, loc: Loc) -> int | None:
    """The line of ``loc`` in the base scenario's file, when its text is known."""
    return read_document(base.text, base.source).line_of(loc) if base.text is not None else None


def _lint_problems(scenario: Scenario, rows: MselRows, base: BaseScenario, source: str) -> list[Problem]:
    """Cross-reference problems of the merged scenario: MSEL ones by row and column, others by base file line.

    When some rows could not be read, the scenario holds only the others, so problems that may come from
    the missing rows (no trigger, a condition waiting for an inject that failed) are left out.
    """
    partial = bool(rows.problems)
    problems: list[Problem] = []
    for issue in lint_issues(scenario):
        loc = issue.loc
        if loc[0] != "injects":
            if partial:
                continue
            message = issue.message
            if loc[0] == "translations" and "injects" in loc:
                message += "; the imported MSEL has no such inject: keep it in the sheet or remove this translation"
            line = _line_in(base, loc)
            problems.append(Problem(base.source, format_path(loc), line, message))
        elif len(loc) == 1:
            if not partial:
                column = COLUMN_BY_FIELD["tags"].header if "trigger" in issue.message else None
                problems.append(MselProblem(source, "injects", None, issue.message, row=None, column=column))
        elif len(loc) >= 3 and loc[2] == "id":
            continue  # duplicate ids were reported by row already
        elif not (partial and loc[2:4] == ("condition", "inject")):
            cell = COLUMN_BY_FIELD.get(str(loc[2])) if len(loc) >= 3 else None
            problems.append(
                MselProblem(
                    source,
                    format_path(loc[2:]),
                    None,
                    issue.message,
                    row=rows.rows[int(loc[1])],
                    column=cell.header if cell else None,
                )
            )
    return problems


def replace_msel(
    base: BaseScenario,
    table: Table,
    source: str,
    *,
    new_id: str | None = None,
    new_title: str | None = None,
) -> Scenario:
    """``base`` with the MSEL read from ``table``; raise ``MselInvalid`` with every problem found."""
    overrides = _override_problems(source, new_id, new_title)
    positions, header_problems = read_header(table, source)
    if header_problems:
        raise MselInvalid([*overrides, *header_problems])
    problems_all: list[Problem] = list(overrides)
    rows = read_rows(table, positions, source)
    problems_all.extend(rows.problems)
    if not rows.injects:
        if not rows.problems:
            message = (
                f"the sheet has no injects; write one inject per row below the column names (row {table.header_row})"
            )
            problems_all.append(MselProblem(source, "injects", None, message))
        raise MselInvalid(problems_all)
    data: dict[str, Any] = base.scenario.model_dump(mode="json")
    data["injects"] = [inject.model_dump(mode="json") for inject in rows.injects]
    if not overrides:
        data.update({key: value for key, value in (("id", new_id), ("title", new_title)) if value is not None})
    scenario = Scenario.model_validate(data)
    problems_all.extend(_lint_problems(scenario, rows, base, source))
    if problems_all:
        raise MselInvalid(problems_all)
    return scenario


def import_msel(
    base: BaseScenario,
    data: bytes,
    source: str,
    fmt: MselFormat,
    *,
    new_id: str | None = None,
    new_title: str | None = None,
) -> MselImport:
    """Read an MSEL file into ``base``; the result has been validated as the YAML it will be written as."""
    scenario = replace_msel(base, read_table(data, source, fmt), source, new_id=new_id, new_title=new_title)
    comment = (
        f"Scenario '{scenario.id}': MSEL imported from {PurePath(source).name}, "
        f"everything else from {PurePath(base.source).name}.\nWritten by Hotline's MSEL import (see docs/msel.md)."
    )
    text = scenario_yaml(scenario, comment)
    try:
        written = parse_and_lint(text, f"{scenario.id}.yaml")
    except ScenarioInvalid as exc:  # the writer and the loader disagree: a bug, not the author's mistake
        raise RuntimeError(f"the scenario written does not validate:\n{exc}") from exc
    if written != scenario:
        raise RuntimeError("the scenario written does not load back to the scenario imported")
    return MselImport(scenario, text)
