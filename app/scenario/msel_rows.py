"""Between injects and spreadsheet rows: one inject per row, one field per column (see ``msel_columns``).

Reading is strict and thorough: every cell of every row is checked, and each problem names its row and
column, so a facilitator fixes the whole sheet in one pass. Cross-references (does channel ``news``
exist?) are left to the linter, which runs on the assembled scenario.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.scenario.msel_attribution import AttributionFormatError, format_attribution, parse_attribution
from app.scenario.msel_columns import COLUMN_BY_FIELD, COLUMN_BY_KEY, COLUMNS, HEADER_NAMES, Col, header_key
from app.scenario.msel_condition import ConditionFormatError, format_condition, parse_condition, parse_time_cell
from app.scenario.msel_table import MselProblem, Table, column_letter
from app.scenario.schema import Audience, Inject, InjectTag
from app.scenario.timefmt import TimeFormatError, format_scenario_time

SEPARATOR = "; "
_ID_RULE = "use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 64 characters)"
_TAGS = ", ".join(tag.value for tag in InjectTag)
_TAG_VALUES = frozenset(tag.value for tag in InjectTag)
_AUDIENCE_HINT = "write 'all', a team id, 'team/role', or several of those separated by ';'"
_REQUIRED = {
    Col.id: "an id",
    Col.originator: "an originator (who it appears to come from)",
    Col.audience: "an audience: 'all', a team id or 'team/role'",
    Col.channel: "the feed channel it arrives on",
    Col.synopsis: "a synopsis (its headline)",
    Col.text: "a text for the players",
}


def _duration(seconds: int) -> str:
    return format_scenario_time(seconds, prefix="", with_seconds=seconds % 60 != 0)


def _time(seconds: int) -> str:
    return format_scenario_time(seconds, with_seconds=seconds % 60 != 0)


def format_audience(audience: Audience) -> str:
    if audience == "all":
        return "all"
    return SEPARATOR.join(target.team if target.role is None else f"{target.team}/{target.role}" for target in audience)


def inject_row(number: int, inject: Inject) -> list[str | int]:
    """The cells of one MSEL row, in the order of ``COLUMNS``."""
    window = inject.decision_window
    values: dict[Col, str | int] = {
        Col.number: number,
        Col.id: inject.id,
        Col.time: "" if inject.at is None else _time(inject.at),
        Col.condition: "" if inject.condition is None else format_condition(inject.condition),
        Col.originator: inject.originator,
        Col.audience: format_audience(inject.audience),
        Col.channel: inject.channel,
        Col.synopsis: inject.title,
        Col.text: inject.text,
        Col.expected: SEPARATOR.join(inject.expected_actions),
        Col.objective: inject.objective or "",
        Col.tags: SEPARATOR.join(tag.value for tag in inject.tags),
        Col.decision_window: "" if window is None else _duration(window),
        Col.attribution: "" if inject.attribution is None else format_attribution(inject.attribution),
        Col.notes: inject.notes,
    }
    return [values[column.key] for column in COLUMNS]


def read_header(table: Table, source: str) -> tuple[dict[Col, int], list[MselProblem]]:
    """Which cell index holds each known column; problems for unknown, repeated or missing columns."""
    problems: list[MselProblem] = []
    row = table.header_row

    def problem(message: str, column: str | None = None) -> None:
        problems.append(MselProblem(source, "", None, message, row=row, column=column))

    positions: dict[Col, int] = {}
    width = max([len(table.header), *(len(cells) for _, cells in table.rows)])
    known = [column.header for column in COLUMNS]
    for index in range(width):
        name = table.header[index].strip() if index < len(table.header) else ""
        letter = column_letter(index)
        if not name:
            if any(index < len(cells) and cells[index].strip() for _, cells in table.rows):
                problem(f"column {letter} has values but no name in the header row; name it or delete the column")
            continue
        key = HEADER_NAMES.get(header_key(name))
        if key is None:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            hint = f'did you mean "{close[0]}"?' if close else f"the columns are: {', '.join(known)}"
            problem(f"column {letter} is not one Hotline reads; rename it or delete it ({hint})", name)
        elif key in positions:
            first = column_letter(positions[key])
            problem(f"columns {first} and {letter} are both '{COLUMN_BY_KEY[key].header}'; keep one", name)
        else:
            positions[key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        names = ", ".join(f'"{name}"' for name in missing)
        problem(f"the header row has no {names} column; add it (row {row} must hold the column names)")
    if Col.time not in positions and Col.condition not in positions:
        problem('the header row needs a "Scenario time" column (timed injects), a "Condition" column, or both')
    return positions, problems


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def _parse_audience(text: str) -> Literal["all"] | list[dict[str, str]]:
    """The audience as a scenario file would hold it; ``ValueError`` says what is wrong with it."""
    items = _split(text)
    if [item.casefold() for item in items] == ["all"]:
        return "all"
    if any(item.casefold() == "all" for item in items):
        raise ValueError("'all' already means everyone; write it alone")
    targets: list[dict[str, str]] = []
    for item in items:
        team, slash, role = (part.strip() for part in item.partition("/"))
        if not team or (slash and not role) or "/" in role:
            raise ValueError(f"cannot read {item!r}: {_AUDIENCE_HINT}")
        targets.append({"team": team, "role": role} if role else {"team": team})
    return targets


def _pydantic_message(error: ErrorDetails) -> str:
    value = error.get("input")
    kind = error["type"]
    if kind == "string_pattern_mismatch":
        hint = "; separate several with ';'" if isinstance(value, str) and "," in value else ""
        return f"{value!r} is not a valid id: {_ID_RULE}{hint}"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return f"the text is {len(str(value))} characters long; at most {limit} fit here"
    message = error["msg"].removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


@dataclass
class _Row:
    """One data row being read: its cells by column and the problems found in them."""

    source: str
    row: int
    cells: dict[Col, str]
    problems: dict[Col, list[str]] = field(default_factory=dict)
    number: float | None = None

    def text(self, key: Col) -> str:
        return self.cells.get(key, "")

    def complain(self, key: Col, message: str) -> None:
        messages = self.problems.setdefault(key, [])
        if message not in messages:
            messages.append(message)

    def reports(self) -> list[MselProblem]:
        return [
            MselProblem(
                self.source,
                COLUMN_BY_KEY[key].field,
                None,
                "; ".join(messages),
                row=self.row,
                column=COLUMN_BY_KEY[key].header,
            )
            for key, messages in self.problems.items()
        ]


def _read_fields(row: _Row, present: set[Col]) -> dict[str, Any]:
    """The inject's fields as a scenario file would hold them; problems are noted on ``row``."""
    fields: dict[str, Any] = {}
    for key in (Col.id, Col.channel, Col.objective):
        if row.text(key).strip():
            fields[COLUMN_BY_KEY[key].field] = row.text(key).strip()
    for key in (Col.originator, Col.synopsis, Col.text, Col.notes):
        if row.text(key).strip():
            fields[COLUMN_BY_KEY[key].field] = row.text(key)  # as written: line breaks and spacing are content
    for key, what in _REQUIRED.items():
        if not row.text(key).strip():
            row.complain(key, f"this cell is empty; every inject needs {what}")
    if row.text(Col.audience).strip():
        try:
            fields["audience"] = _parse_audience(row.text(Col.audience))
        except ValueError as exc:
            row.complain(Col.audience, str(exc))
    _read_timing(row, present, fields)
    if row.text(Col.decision_window).strip():
        try:
            fields["decision_window"] = _duration(parse_time_cell(row.text(Col.decision_window).strip()))
        except TimeFormatError as exc:
            row.complain(Col.decision_window, f"{exc} (a duration, e.g. 00:30)")
    if row.text(Col.attribution).strip():
        try:
            fields["attribution"] = parse_attribution(row.text(Col.attribution))
        except AttributionFormatError as exc:
            row.complain(Col.attribution, str(exc))
    fields["expected_actions"] = _split(row.text(Col.expected))
    tags = _split(row.text(Col.tags))
    unknown = [tag for tag in tags if tag not in _TAG_VALUES]
    for tag in unknown:
        close = difflib.get_close_matches(tag, sorted(_TAG_VALUES), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"write any of: {_TAGS}"
        row.complain(Col.tags, f"{tag!r} is not an inject tag; {hint}")
    if not unknown:
        fields["tags"] = tags
    return fields


def _read_timing(row: _Row, present: set[Col], fields: dict[str, Any]) -> None:
    at, condition = row.text(Col.time).strip(), row.text(Col.condition).strip()
    if at and condition:
        row.complain(Col.condition, 'an inject is timed or contingent, not both: empty "Scenario time" or this cell')
    elif not at and not condition:
        key = Col.time if Col.time in present else Col.condition
        row.complain(
            key, 'write a "Scenario time" (a timed inject) or a "Condition" (a contingency inject); both are empty'
        )
    if at:
        try:
            fields["at"] = _time(parse_time_cell(at))
        except TimeFormatError as exc:
            row.complain(Col.time, str(exc))
    if condition:
        try:
            fields["condition"] = parse_condition(condition)
        except ConditionFormatError as exc:
            row.complain(Col.condition, str(exc))


def _validate(row: _Row, fields: dict[str, Any]) -> Inject | None:
    try:
        inject = Inject.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors():
            column = COLUMN_BY_FIELD.get(str(error["loc"][0]))
            if column is None or column.key in row.problems:
                continue  # a field already reported (a missing required cell, say) is not reported twice
            if column.key is Col.audience and not {"team", "role"} & set(map(str, error["loc"])):
                continue  # the complaint of the "all" branch of the audience union is noise here
            row.complain(column.key, _pydantic_message(error))
        return None
    return None if row.problems else inject


@dataclass
class MselRows:
    """The injects read from a sheet, in MSEL order, each with its row; problems of every row."""

    injects: list[Inject]
    rows: list[int]
    problems: list[MselProblem]


def _number(row: _Row) -> None:
    text = row.text(Col.number).strip()
    if not text:
        row.complain(Col.number, "write the inject's number (its place in the MSEL, e.g. 7)")
        return
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        row.complain(Col.number, f"{text!r} is not a number; write the inject's place in the MSEL, e.g. 7")
    else:
        row.number = number


def _check_unique(rows: list[_Row], key: Col, value: Callable[[_Row], str | None], what: str) -> None:
    first_row: dict[str, int] = {}
    for row in rows:
        current = value(row)
        if current is None:
            continue
        if current in first_row:
            row.complain(
                key, f"{what} {current} is also used in row {first_row[current]}; give each inject its own {what}"
            )
        else:
            first_row[current] = row.row


def read_rows(table: Table, positions: dict[Col, int], source: str) -> MselRows:
    present = set(positions)
    rows: list[_Row] = []
    for row_number, cells in table.rows:
        texts = {key: cells[index] if index < len(cells) else "" for key, index in positions.items()}
        rows.append(_Row(source, row_number, texts))
    fields = []
    for row in rows:
        if Col.number in present:
            _number(row)
        fields.append(_read_fields(row, present))
    _check_unique(rows, Col.id, lambda row: repr(row.text(Col.id).strip()) if row.text(Col.id).strip() else None, "id")
    _check_unique(rows, Col.number, lambda row: _shown_number(row.number), "number")
    injects = [_validate(row, row_fields) for row, row_fields in zip(rows, fields, strict=True)]
    order = sorted(range(len(rows)), key=lambda k: rows[k].number or 0) if Col.number in present else range(len(rows))
    valid = [k for k in order if injects[k] is not None]
    return MselRows(
        injects=[inject for k in valid if (inject := injects[k]) is not None],
        rows=[rows[k].row for k in valid],
        problems=[problem for row in rows for problem in row.reports()],
    )


def _shown_number(number: float | None) -> str | None:
    if number is None:
        return None
    return str(int(number)) if number.is_integer() else str(number)
