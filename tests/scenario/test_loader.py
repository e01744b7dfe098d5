"""Reading scenario files: every problem names the file, the field path and the YAML line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scenario.loader import (
    MAX_FILE_BYTES,
    Problem,
    ScenarioInvalid,
    load_scenario,
    parse_scenario,
)
from app.scenario.validate import load_and_lint, validate_paths
from tests.scenario.helpers import FIXTURES, MINI_TEXT, SOURCE, line_of, problem_at, problems_in, variant


def only_problem(text: str) -> Problem:
    found = problems_in(text)
    assert len(found) == 1, "\n".join(str(problem) for problem in found)
    return found[0]


def test_problem_prints_as_one_line_with_file_line_path_and_message() -> None:
    assert str(Problem("a.yaml", "injects[3].audience.team", 42, "no such team")) == (
        "a.yaml:42: injects[3].audience.team: no such team"
    )
    assert str(Problem("a.yaml", "", None, "the file is empty")) == "a.yaml: (top level): the file is empty"


def test_load_and_parse_agree_on_the_mini_fixture() -> None:
    loaded = load_scenario(FIXTURES / "mini.yaml")
    assert loaded == parse_scenario(MINI_TEXT)
    audience = loaded.injects[1].audience
    assert audience != "all"
    assert (audience[0].team, audience[0].role) == ("blue", "defense")


def test_yaml_syntax_error_gives_its_line() -> None:
    text = variant("title: Mini crisis\n", "title: [Mini crisis\n")
    problem = only_problem(text)
    assert problem.line is not None
    assert problem.line >= line_of(text, "title: [Mini")
    assert problem.message.startswith("YAML syntax error")
    assert str(problem).startswith(f"{SOURCE}:{problem.line}: ")


def test_bad_indentation_points_at_the_offending_line() -> None:
    text = variant("    name: Beijing\n", "   name: Beijing\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "   name: Beijing")
    assert "indentation" in problem.message


def test_wrong_type_names_path_line_and_value() -> None:
    text = variant("weight: -7.2,", "weight: heavy,")
    problem = problem_at(text, "actions[3].weight")
    assert problem.line == line_of(text, "weight: heavy")
    assert "number" in problem.message
    assert "'heavy'" in problem.message


def test_bad_time_says_how_to_write_one() -> None:
    text = variant('at: "T+02:00"', 'at: "soon"')
    problem = problem_at(text, "injects[2].at")
    assert problem.line == line_of(text, 'at: "soon"')
    assert "'T+HH:MM'" in problem.message


def test_missing_field_points_at_its_parent() -> None:
    text = variant("    originator: Fleet\n", "")
    problem = only_problem(text)
    assert problem.path == "injects[2].originator"
    assert problem.line == line_of(text, "  - id: I3")
    assert "'originator' is required" in problem.message


def test_misspelt_field_suggests_the_right_one() -> None:
    text = variant("    originator: Fleet\n", "    originater: Fleet\n")
    problem = problem_at(text, "injects[2].originater")
    assert problem.line == line_of(text, "originater")
    assert "did you mean 'originator'?" in problem.message


def test_unquoted_comma_in_a_flow_mapping_explains_the_quotes() -> None:
    text = variant("{id: news, name: News, kind: feed}", "{id: news, name: News, wires and radio, kind: feed}")
    problem = only_problem(text)
    assert problem.path == "channels[1].wires and radio"
    assert "quotes" in problem.message


def test_audience_in_short_form_reports_the_field_written() -> None:
    text = variant("{team: blue, role: defense}", "{team: blue, role: 'the admiral'}")
    problem = only_problem(text)
    assert problem.path == "injects[1].audience.role"
    assert problem.line == line_of(text, "the admiral")
    assert "not a valid id" in problem.message


def test_unreadable_audience_says_what_to_write() -> None:
    text = variant("audience: red\n    channel: military", "audience: 5\n    channel: military")
    problem = only_problem(text)
    assert problem.path == "injects[2].audience"
    assert "{team: ID, role: ID}" in problem.message


def test_condition_without_type_lists_the_types() -> None:
    text = variant("{type: band_reached, band: 4}", "{band: 4}")
    problem = only_problem(text)
    assert problem.path == "injects[7].condition"
    assert "band_reached" in problem.message


def test_times_with_seconds_are_not_read_as_base_60_numbers() -> None:
    # YAML 1.1 would turn an unquoted 1:30:00 into 5400, which would then be read as 5400 minutes.
    scenario = parse_scenario(variant('at: "T+02:00"', "at: 2:00:00"))
    assert scenario.injects[2].at == 2 * 3600


def test_key_written_twice_is_reported_on_the_second_line() -> None:
    text = variant("    originator: Fleet\n", "    originator: Fleet\n    originator: Navy\n")
    problem = only_problem(text)
    assert problem.path == "injects[2].originator"
    assert problem.line == line_of(text, "originator: Navy")
    assert "first on line" in problem.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- id: mini\n- title: x\n", "the top level is a list"),
        ("just words\n", "the top level is a single value"),
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("id: a\n---\nid: b\n", "one YAML document"),
        ("id: !!python/object/apply:os.system ['true']\n", "no '!!' tags"),
    ],
)
def test_documents_that_are_not_a_scenario_mapping(text: str, words: str) -> None:
    problem = only_problem(text)
    assert words in problem.message
    assert problem.line is not None


def test_alias_bomb_is_refused_quickly() -> None:
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    layers += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    problem = only_problem("\n".join(layers) + "\n")
    assert "too many values" in problem.message


def test_oversized_text_is_refused() -> None:
    text = MINI_TEXT + "# " + "x" * MAX_FILE_BYTES + "\n"
    problem = only_problem(text)
    assert "2 MB" in problem.message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}: (top level): the file is 2.0 MB")


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Crise à Paris\n".encode("latin-1"))
    with pytest.raises(ScenarioInvalid, match="not UTF-8"):
        load_scenario(path)


def test_scenario_invalid_message_lists_every_problem_sorted_by_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(variant("weight: -7.2,", "weight: heavy,", variant("kind: chat", "kind: gossip")))
    with pytest.raises(ScenarioInvalid) as caught:
        load_and_lint(path)
    lines = str(caught.value).splitlines()
    assert lines == [str(problem) for problem in caught.value.problems]
    assert [line.split(":")[1] for line in lines] == ["31", "36"]
    assert lines[0].startswith(f"{path}:31: channels[7].kind: ")


def test_validate_paths_checks_folders_and_files(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(MINI_TEXT)
    bad = tmp_path / "bad.yml"
    bad.write_text(variant("audience: red\n    channel: military", "audience: green\n    channel: military"))
    (tmp_path / "notes.txt").write_text("not a scenario")
    found = validate_paths([tmp_path])
    assert [(Path(p.file).name, p.path) for p in found] == [("bad.yml", "injects[2].audience.team")]
    assert validate_paths([good]) == []
    missing = validate_paths([tmp_path / "absent.yaml"])
    assert "cannot read the file" in missing[0].message
