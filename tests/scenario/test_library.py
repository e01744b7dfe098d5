"""The scenario library: valid files load, broken ones and duplicate ids are skipped and reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scenario.library import ScenarioExists, ScenarioLibrary
from app.scenario.loader import parse_scenario
from tests.scenario.helpers import MINI_TEXT, PROJECT, line_of, variant

BROKEN = variant("audience: red\n    channel: military", "audience: green\n    channel: military")


def other_scenario(scenario_id: str, title: str = "Another crisis") -> str:
    return variant("title: Mini crisis\n", f"title: {title}\n", variant("id: mini\n", f"id: {scenario_id}\n"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a-mini.yaml").write_text(MINI_TEXT)
    (tmp_path / "b-broken.yaml").write_text(BROKEN)
    (tmp_path / "c-same-id.yaml").write_text(variant("title: Mini crisis\n", "title: Mini crisis again\n"))
    (tmp_path / "d-syntax.yaml").write_text("id: [oops\n")
    (tmp_path / "readme.txt").write_text("not a scenario")
    return tmp_path


def test_loads_valid_files_and_remembers_invalid_ones(folder: Path) -> None:
    library = ScenarioLibrary([folder])
    assert [summary.id for summary in library.list()] == ["mini"]
    mini = library.get("mini")
    assert mini is not None
    assert mini.title == "Mini crisis"
    assert library.get("absent") is None
    reported = {(Path(problem.file).name, problem.path) for problem in library.invalid}
    assert reported == {("b-broken.yaml", "injects[2].audience.team"), ("c-same-id.yaml", "id"), ("d-syntax.yaml", "")}


def test_duplicate_id_is_reported_against_the_second_file(folder: Path) -> None:
    library = ScenarioLibrary([folder])
    duplicate = next(problem for problem in library.invalid if problem.file.endswith("c-same-id.yaml"))
    assert duplicate.line == line_of(MINI_TEXT, "id: mini")
    assert "already used by" in duplicate.message
    assert "a-mini.yaml" in duplicate.message
    assert str(duplicate).startswith(f"{folder / 'c-same-id.yaml'}:2: id: scenario id 'mini'")


def test_summary_tells_a_facilitator_what_the_scenario_is(folder: Path) -> None:
    summary = ScenarioLibrary([folder]).list()[0]
    assert summary.title == "Mini crisis"
    assert [(team.id, team.name) for team in summary.teams] == [("blue", "Washington"), ("red", "Beijing")]
    assert (summary.roles, summary.injects) == (8, 8)
    assert (summary.end, summary.end_label) == (24 * 3600, "T+24:00")
    assert summary.default_compression == 60
    assert summary.planned_minutes == 24.0
    assert summary.languages == ["en", "zh-CN"]
    assert summary.file == "a-mini.yaml"


def test_missing_folder_and_empty_library_are_fine(tmp_path: Path) -> None:
    library = ScenarioLibrary([tmp_path / "absent", tmp_path])
    assert library.list() == []
    assert library.invalid == []


def test_bundled_folder_loads_cleanly() -> None:
    library = ScenarioLibrary([PROJECT / "injects"])
    assert library.invalid == []
    summary = next(summary for summary in library.list() if summary.id == "incident-at-sea")
    assert summary.end_label == "T+48:00"
    assert 170 <= summary.planned_minutes <= 190  # about three hours of wall time
    assert summary.languages == ["en", "zh-CN"]


def test_add_writes_the_upload_and_serves_it(tmp_path: Path) -> None:
    library = ScenarioLibrary([tmp_path])
    text = "# uploaded by the facilitator\n" + other_scenario("upload-1")
    path = library.add(parse_scenario(text), text, tmp_path)
    assert path == tmp_path / "upload-1.yaml"
    assert path.read_text() == text  # the author's comments survive
    assert library.get("upload-1") is not None
    assert [summary.id for summary in ScenarioLibrary([tmp_path]).list()] == ["upload-1"]
    assert not list(tmp_path.glob("*.partial"))


def test_add_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    library = ScenarioLibrary([tmp_path])
    first = other_scenario("upload-1")
    library.add(parse_scenario(first), first, tmp_path)
    library.add(parse_scenario(first), first, tmp_path)  # the same text again changes nothing
    changed = other_scenario("upload-1", title="Revised crisis")
    with pytest.raises(ScenarioExists, match="already exists"):
        library.add(parse_scenario(changed), changed, tmp_path)
    library.add(parse_scenario(changed), changed, tmp_path, replace=True)
    revised = library.get("upload-1")
    assert revised is not None
    assert revised.title == "Revised crisis"


def test_add_refuses_an_id_held_by_another_file(folder: Path, tmp_path: Path) -> None:
    library = ScenarioLibrary([folder])
    uploads = tmp_path / "uploads"
    with pytest.raises(ScenarioExists, match="already used by"):
        library.add(parse_scenario(MINI_TEXT), MINI_TEXT, uploads, replace=True)
    assert not (uploads / "mini.yaml").exists()


def test_add_refuses_text_that_does_not_match_the_scenario(tmp_path: Path) -> None:
    library = ScenarioLibrary([tmp_path])
    with pytest.raises(ValueError, match="does not describe"):
        library.add(parse_scenario(other_scenario("upload-1")), other_scenario("upload-2"), tmp_path)
