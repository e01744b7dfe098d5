"""Importing an MSEL: every problem named by row and column, all at once; the notations it reads."""

from __future__ import annotations

import csv
import io
from typing import cast

import pytest

from app.scenario.loader import ScenarioInvalid
from app.scenario.msel import BaseScenario, MselFormat, export_msel, import_msel
from app.scenario.msel_table import MselProblem
from app.scenario.schema import Scenario
from app.scenario.validate import parse_and_lint
from tests.scenario.helpers import MINI_TEXT, line_of

MINI = parse_and_lint(MINI_TEXT, "mini.yaml")
BASE = BaseScenario(MINI, "mini.yaml", MINI_TEXT)


def exported_rows() -> list[list[str]]:
    """The mini scenario's MSEL as CSV cells: header first, then I1 I2 I3 I4 C1 C2 C3 C4 (rows 2 to 9)."""
    text = export_msel(MINI, MselFormat.csv).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def as_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def set_cell(rows: list[list[str]], row: int, header: str, value: str) -> None:
    """Put ``value`` in the cell a spreadsheet shows at ``row`` (1 = header) under ``header``."""
    rows[row - 1][rows[0].index(header)] = value


def import_rows(rows: list[list[str]], **options: str) -> Scenario:
    return import_msel(BASE, as_csv(rows), "msel.csv", MselFormat.csv, **options).scenario


def problems_of(rows: list[list[str]], **options: str) -> list[MselProblem]:
    with pytest.raises(ScenarioInvalid) as caught:
        import_rows(rows, **options)
    # Problems about the base scenario's file are plain ``Problem``s; the tests of those read no row or column.
    return cast("list[MselProblem]", caught.value.problems)


def where(problems: list[MselProblem]) -> list[tuple[int | None, str | None]]:
    return [(problem.row, problem.column) for problem in problems]


def test_a_bad_time_names_its_row_and_column_and_says_what_to_write() -> None:
    rows = exported_rows()
    set_cell(rows, 7, "Scenario time", "")
    set_cell(rows, 7, "Condition", "")
    set_cell(rows, 3, "Scenario time", "T+1:3x")
    problems = problems_of(rows)
    assert where(problems) == [(3, "Scenario time"), (7, "Scenario time")]
    assert str(problems[0]) == (
        "msel.csv: row 3, column \"Scenario time\": cannot read time 'T+1:3x': "
        "write 'T+HH:MM', 'HH:MM', 'D+1 H+3 M+45' or a number of minutes"
    )
    assert "both are empty" in problems[1].message


def test_every_problem_of_every_row_is_reported_at_once() -> None:
    rows = exported_rows()
    set_cell(rows, 2, "To", "blue/")
    set_cell(rows, 3, "Channel", "tv")  # a cross-reference: found by the linter, still by row and column
    set_cell(rows, 4, "Expected action", "verify, consult")
    set_cell(rows, 4, "Tags", "media; medai")
    set_cell(rows, 5, "Decision window", "two hours")
    set_cell(rows, 6, "Condition", "no_contact hotline")
    set_cell(rows, 7, "Inject ID", "I1")
    set_cell(rows, 8, "Synopsis", " ")
    problems = problems_of(rows)
    assert where(problems) == [
        (2, "To"),
        (3, "Channel"),
        (4, "Expected action"),
        (4, "Tags"),
        (5, "Decision window"),
        (6, "Condition"),
        (7, "Inject ID"),
        (8, "Synopsis"),
    ]
    messages = [problem.message for problem in problems]
    assert "'team/role'" in messages[0]
    assert "there is no channel 'tv'" in messages[1]
    assert "separate several with ';'" in messages[2]
    assert "did you mean 'media'?" in messages[3]
    assert "cannot read time 'two hours'" in messages[4]
    assert "no_contact CHANNEL by T+HH:MM" in messages[5]
    assert "also used in row 2" in messages[6]
    assert "every inject needs a synopsis" in messages[7]


def test_problems_that_only_the_whole_msel_shows_are_reported() -> None:
    rows = exported_rows()
    set_cell(rows, 2, "Tags", "military_incident; media")  # no trigger any more
    set_cell(rows, 3, "Scenario time", "T+30:00")  # after ENDEX (T+24:00)
    set_cell(rows, 8, "Condition", "inject_released C3 +01:00")  # waits for itself
    problems = problems_of(rows)
    assert where(problems) == [(None, "Tags"), (3, "Scenario time"), (8, "Condition")]
    assert "tagged 'trigger'" in problems[0].message
    assert "after the scenario's end" in problems[1].message
    assert "its own release" in problems[2].message


def test_header_problems_are_reported_before_any_row_is_read() -> None:
    rows = exported_rows()
    rows[0][rows[0].index("Player text")] = "Player txt"
    rows[0][rows[0].index("Channel")] = "Channel"
    rows[0][rows[0].index("Tags")] = "To"
    problems = problems_of(rows)
    assert [(p.row, p.column) for p in problems] == [(1, None), (1, "To"), (1, "Player txt")]
    assert '"Player text"' in problems[0].message and "add it" in problems[0].message
    assert "columns F and L are both 'To'" in problems[1].message
    assert 'did you mean "Player text"?' in problems[2].message


def test_hseep_header_names_and_other_notations_are_read() -> None:
    rows = exported_rows()
    rows[0] = [
        {"Inject no.": "Inject #", "Synopsis": "Event Synopsis", "Player text": "Inject"}.get(name, name.upper())
        for name in rows[0]
    ]
    set_cell(rows, 3, "SCENARIO TIME", "D+0 H+1 M+0")
    set_cell(rows, 4, "SCENARIO TIME", "120")  # minutes
    set_cell(rows, 5, "SCENARIO TIME", "06:00")
    set_cell(rows, 5, "DECISION WINDOW", "D+0 H+2")
    set_cell(rows, 3, "TO", " blue / defense ;")
    scenario = import_rows(rows)
    assert scenario.injects == MINI.injects


def test_rows_are_taken_in_the_order_of_their_inject_numbers() -> None:
    rows = exported_rows()
    header, body = rows[0], rows[1:]
    body.reverse()  # the facilitator sorted the sheet another way
    set_cell([header, *body], 2, "Inject no.", "2.5")  # C4 now goes between I2 and I3
    scenario = import_rows([header, [], *body, ["", "", ""]])  # blank rows are skipped
    assert [inject.id for inject in scenario.injects] == ["I1", "I2", "C4", "I3", "I4", "C1", "C2", "C3"]


def test_contingency_notation_round_trips_every_kind_of_condition() -> None:
    rows = exported_rows()
    assert [row[rows[0].index("Condition")] for row in rows[5:]] == [
        "no_contact hotline by T+03:00",
        "action_taken show-of-force by red +00:30",
        "inject_released I3 +01:00",
        "band_reached 4 +00:00",
    ]
    set_cell(rows, 6, "Condition", "no_contact by 180")  # the hotline by default, minutes
    set_cell(rows, 8, "Condition", "INJECT_RELEASED I3 +60")
    set_cell(rows, 9, "Condition", "band_reached 4")  # no delay: +00:00
    assert import_rows(rows).injects == MINI.injects


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("no_call hotline by T+01:00", "'no_call' is not a kind of condition"),
        ("band_reached 7 +00:00", "there is no band 7"),
        ("band_reached four", "band_reached BAND [by TEAM] +HH:MM"),
        ("action_taken show-of-force by +00:30", "action_taken ACTION [by TEAM] +HH:MM"),
        ("action_taken blockade by green +00:30", "there is no team 'green'"),
        ("inject_released I9", "there is no inject 'I9'"),
    ],
)
def test_conditions_are_read_strictly(condition: str, words: str) -> None:
    rows = exported_rows()
    set_cell(rows, 7, "Condition", condition)
    problems = problems_of(rows)
    assert where(problems) == [(7, "Condition")]
    assert words in problems[0].message


def test_only_the_msel_comes_from_the_sheet_and_translations_must_still_fit() -> None:
    rows = exported_rows()
    set_cell(rows, 2, "Inject ID", "collision")
    set_cell(rows, 2, "Player text", "Changed text")
    problems = problems_of(rows)
    translation_line = line_of(MINI_TEXT, "I1: {title: 海上相撞")
    assert [(p.file, p.path, p.line) for p in problems] == [
        ("mini.yaml", "translations.zh-CN.injects.I1", translation_line)
    ]
    assert "remove this translation" in problems[0].message


def test_new_id_and_title_are_checked_and_applied() -> None:
    scenario = import_rows(exported_rows(), new_id="mini-b", new_title="Mini crisis, variant B")
    assert (scenario.id, scenario.title) == ("mini-b", "Mini crisis, variant B")
    assert scenario.model_copy(update={"id": "mini", "title": MINI.title}) == MINI
    problems = problems_of(exported_rows(), new_id="mini b")
    assert [(p.path, p.message.split(":")[0]) for p in problems] == [("id", "'mini b' is not a valid scenario id")]


def test_an_empty_sheet_or_a_file_that_is_not_a_spreadsheet_is_refused() -> None:
    problems = problems_of(exported_rows()[:1])
    assert "the sheet has no injects" in problems[0].message
    for data, fmt, words in [
        (b"", MselFormat.csv, "the file is empty"),
        (b"\xff\xfe\x00n\x00o", MselFormat.csv, "not UTF-8"),
        (b"id: mini\n", MselFormat.xlsx, "not an Excel workbook"),
        (b"x" * (2 * 1024 * 1024 + 1), MselFormat.csv, "at most 2 MB"),
    ]:
        with pytest.raises(ScenarioInvalid) as caught:
            import_msel(BASE, data, f"msel.{fmt}", fmt)
        assert words in str(caught.value)


def test_a_csv_saved_with_semicolons_is_read() -> None:
    rows = exported_rows()
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows(rows)
    data = buffer.getvalue().encode("utf-8-sig")
    assert import_msel(BASE, data, "msel.csv", MselFormat.csv).scenario == MINI


@pytest.mark.parametrize(
    ("cell", "side", "duration", "lifted_by"),
    [
        ("red band 3 weight -7.2", "red", None, []),
        (
            "blue band 4 weight -9.5 for 06:00 until restore-milmil, apologise",
            "blue",
            6 * 3600,
            ["restore-milmil", "apologise"],
        ),
    ],
)
def test_an_attribution_cell_becomes_the_injects_attribution(
    cell: str, side: str, duration: int | None, lifted_by: list[str]
) -> None:
    rows = exported_rows()
    set_cell(rows, 2, "Attributed to", cell)
    attribution = import_rows(rows).injects[0].attribution
    assert attribution is not None
    assert (attribution.side, attribution.duration, attribution.lifted_by) == (side, duration, lifted_by)
    again = list(csv.reader(io.StringIO(export_msel(import_rows(rows), MselFormat.csv).decode("utf-8-sig"))))
    assert again[1][again[0].index("Attributed to")] == cell


def test_an_attribution_that_cannot_be_read_is_refused_with_the_notation() -> None:
    rows = exported_rows()
    set_cell(rows, 3, "Attributed to", "red band two")
    with pytest.raises(ScenarioInvalid) as refused:
        import_rows(rows)
    assert "row 3, column \"Attributed to\": cannot read 'red band two'; write SIDE band BAND weight WEIGHT" in str(
        refused.value
    )
