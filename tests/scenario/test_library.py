"""The scenario library: valid files load, broken ones and duplicate ids are skipped and reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.scenario.library import ScenarioExists, ScenarioLibrary
from app.scenario.loader import parse_scenario
from app.scenario.stored import UploadStore
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


@pytest.fixture
def uploads(db: Engine) -> UploadStore:
    return UploadStore(db)


def test_an_upload_is_kept_as_written_and_every_process_serves_it(tmp_path: Path, uploads: UploadStore) -> None:
    library = ScenarioLibrary([tmp_path], uploads)
    elsewhere = ScenarioLibrary([tmp_path], uploads)  # another server process, started before the upload
    text = "# uploaded by the facilitator\n" + other_scenario("upload-1")
    library.apply(library.store(parse_scenario(text), text))
    source = library.source("upload-1")
    assert source is not None and source.text == text and source.uploaded  # the author's comments survive
    assert library.get("upload-1") is not None
    assert elsewhere.get("upload-1") is None
    elsewhere.apply(elsewhere.changed_uploads())
    assert [summary.id for summary in elsewhere.list()] == ["upload-1"]
    assert [summary.id for summary in ScenarioLibrary([tmp_path], uploads).list()] == ["upload-1"]


def test_an_upload_is_replaced_only_when_asked(tmp_path: Path, uploads: UploadStore) -> None:
    library = ScenarioLibrary([tmp_path], uploads)
    elsewhere = ScenarioLibrary([tmp_path], uploads)
    first = other_scenario("upload-1")
    library.apply(library.store(parse_scenario(first), first))
    library.apply(library.store(parse_scenario(first), first))  # the same text again changes nothing
    changed = other_scenario("upload-1", title="Revised crisis")
    with pytest.raises(ScenarioExists, match="uploaded before"):
        library.store(parse_scenario(changed), changed)
    library.apply(library.store(parse_scenario(changed), changed, replace=True))
    for copy in (library, elsewhere):
        copy.apply(copy.changed_uploads())
        revised = copy.get("upload-1")
        assert revised is not None and revised.title == "Revised crisis"


def test_an_upload_never_takes_a_bundled_scenarios_id(folder: Path, uploads: UploadStore) -> None:
    library = ScenarioLibrary([folder], uploads)
    with pytest.raises(ScenarioExists, match="bundled"):
        library.store(parse_scenario(MINI_TEXT), MINI_TEXT, replace=True)
    assert uploads.revisions() == {}


def test_an_upload_must_be_the_text_of_its_scenario(tmp_path: Path, uploads: UploadStore) -> None:
    library = ScenarioLibrary([tmp_path], uploads)
    with pytest.raises(ValueError, match="does not describe"):
        library.store(parse_scenario(other_scenario("upload-1")), other_scenario("upload-2"))
