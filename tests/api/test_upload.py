"""Scenario upload from the control console: YAML or an MSEL spreadsheet, checked fully, stored only when valid."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import httpx
from openpyxl import load_workbook

from app.scenario.loader import load_scenario
from app.scenario.msel import MselFormat, export_msel
from app.scenario.stored import UploadStore
from app.scenario.validate import parse_and_lint
from tests.api.conftest import Api, api_settings, running_api
from tests.scenario.helpers import line_of, variant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MINI = load_scenario(Path(__file__).parent.parent / "fixtures" / "mini.yaml")
TWO = variant("id: mini\n", "id: mini-two\n", variant("title: Mini crisis\n", "title: Mini crisis two\n"))
BROKEN = variant("audience: red\n    channel: military", "audience: green\n    channel: military", TWO)


def uploads(api: Api) -> list[str]:
    """The uploads stored in the database, as file names."""
    return sorted(f"{upload_id}.yaml" for upload_id in UploadStore(api.services.engine).revisions())


def stored_text(api: Api, scenario_id: str) -> str:
    [upload] = UploadStore(api.services.engine).fetch([scenario_id])
    return upload.source


async def listed(api: Api) -> dict[str, str]:
    response = await api.http.get("/api/scenarios")
    return {summary["id"]: summary["title"] for summary in response.json()}


async def post_yaml(api: Api, text: str, url: str = "/api/scenarios") -> httpx.Response:
    return await api.http.post(url, content=text.encode("utf-8"), headers={"Content-Type": "application/yaml"})


async def post_file(api: Api, name: str, data: bytes, kind: str, url: str = "/api/scenarios", **fields: str) -> Any:
    return await api.http.post(url, files={"file": (name, data, kind)}, data=fields)


def edited_workbook(**cells: str) -> bytes:
    """The mini MSEL as a workbook with some cells of its first inject (row 2) changed, by header."""
    workbook = load_workbook(io.BytesIO(export_msel(MINI, MselFormat.xlsx)))
    sheet = workbook["MSEL"]
    headers = [cell.value for cell in sheet[1]]
    for header, value in cells.items():
        sheet.cell(row=2, column=headers.index(header.replace("_", " ")) + 1).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_a_valid_scenario_is_stored_as_written_and_listed_at_once(api: Api) -> None:
    response = await post_yaml(api, TWO)
    assert response.status_code == 201, response.text
    summary = response.json()
    assert (summary["id"], summary["title"], summary["injects"], summary["file"]) == (
        "mini-two",
        "Mini crisis two",
        8,
        "mini-two.yaml",
    )
    assert (await listed(api))["mini-two"] == "Mini crisis two"
    assert stored_text(api, "mini-two") == TWO  # the author's text, comments and all
    scenario = await api.http.get("/api/scenarios/mini-two")
    assert scenario.json()["injects"][0]["notes"] == "Watch whether the leaders call."


async def test_a_scenario_file_may_come_as_a_multipart_form(api: Api) -> None:
    response = await post_file(api, "crisis.yml", TWO.encode("utf-8"), "application/octet-stream")
    assert response.status_code == 201, response.text
    assert "mini-two" in await listed(api)


async def test_an_invalid_scenario_gets_its_problems_with_lines_and_nothing_is_stored(api: Api) -> None:
    response = await post_file(api, "broken.yaml", BROKEN.encode("utf-8"), "application/yaml")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The scenario has 1 problem; nothing was stored."
    assert body["problems"] == [
        {
            "file": "broken.yaml",
            "path": "injects[2].audience.team",
            "line": line_of(BROKEN, "audience: green"),
            "row": None,
            "column": None,
            "message": "there is no team 'green'; write one of: blue, red",
        }
    ]
    assert uploads(api) == []
    assert "mini-two" not in await listed(api)


async def test_a_yaml_syntax_error_is_reported_with_its_line(api: Api) -> None:
    response = await post_yaml(api, TWO.replace("title: Mini crisis two\n", "title: [unclosed\n"))
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["file"] == "upload.yaml"
    assert problem["line"] is not None and "YAML syntax error" in problem["message"]


async def test_an_msel_workbook_is_imported_into_an_existing_scenario(api: Api) -> None:
    workbook = edited_workbook(Synopsis="Collision at sea, revised")
    response = await post_file(api, "msel.xlsx", workbook, XLSX, into="mini", id="mini-b", title="Mini B")
    assert response.status_code == 201, response.text
    assert (response.json()["id"], response.json()["injects"]) == ("mini-b", 8)
    assert (await listed(api))["mini-b"] == "Mini B"
    scenario = (await api.http.get("/api/scenarios/mini-b")).json()
    assert scenario["injects"][0]["title"] == "Collision at sea, revised"
    assert scenario["teams"] == MINI.model_dump(mode="json")["teams"]  # everything but the MSEL from 'mini'
    stored = parse_and_lint(stored_text(api, "mini-b"), "mini-b.yaml")
    assert stored.injects[1:] == MINI.injects[1:]


async def test_msel_problems_come_back_by_row_and_column(api: Api) -> None:
    workbook = edited_workbook(Scenario_time="T+1:3x", To="blue/")
    response = await post_file(api, "msel.xlsx", workbook, XLSX, into="mini", id="mini-b")
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [(p["file"], p["row"], p["column"], p["line"]) for p in problems] == [
        ("msel.xlsx", 2, "Scenario time", None),
        ("msel.xlsx", 2, "To", None),
    ]
    assert problems[0]["message"].startswith("cannot read time 'T+1:3x'")
    assert uploads(api) == []


async def test_an_msel_needs_the_scenario_it_belongs_to(api: Api) -> None:
    csv_data = export_msel(MINI, MselFormat.csv)
    for fields, words in [({}, "send the form field 'into'"), ({"into": "nope"}, "there is no scenario 'nope'")]:
        response = await post_file(api, "msel.csv", csv_data, "text/csv", **fields)
        assert response.status_code == 422
        [problem] = response.json()["problems"]
        assert problem["path"] == "into"
        assert words in problem["message"] and "mini" in problem["message"]


async def test_a_bundled_scenario_is_never_replaced_by_an_upload(api: Api) -> None:
    other = variant("title: Mini crisis\n", "title: Not the mini crisis\n")
    for url in ("/api/scenarios", "/api/scenarios?replace=true"):
        response = await post_yaml(api, other, url)
        assert response.status_code == 409
        assert "Change the id" in response.json()["detail"]
        assert response.json()["problems"] == [
            {"file": "upload", "path": "id", "line": None, "row": None, "column": None, "message": ANY}
        ]
        assert response.json()["problems"][0]["message"] == response.json()["detail"]
    workbook = export_msel(MINI, MselFormat.xlsx)  # into 'mini' without a new id: the result is 'mini' again
    assert (await post_file(api, "msel.xlsx", workbook, XLSX, into="mini")).status_code == 409
    assert (await listed(api))["mini"] == "Mini crisis"
    assert uploads(api) == []


async def test_an_earlier_upload_is_replaced_only_on_request(api: Api) -> None:
    assert (await post_yaml(api, TWO)).status_code == 201
    assert (await post_yaml(api, TWO)).status_code == 201  # the same scenario again: nothing to clash with
    changed = TWO.replace("title: Mini crisis two\n", "title: Mini crisis two, revised\n")
    clash = await post_yaml(api, changed)
    assert clash.status_code == 409
    assert "replace=true" in clash.json()["detail"]
    assert (await listed(api))["mini-two"] == "Mini crisis two"
    replaced = await post_file(api, "two.yaml", changed.encode("utf-8"), "application/yaml", replace="true")
    assert replaced.status_code == 201, replaced.text
    assert (await listed(api))["mini-two"] == "Mini crisis two, revised"
    assert uploads(api) == ["mini-two.yaml"]


async def test_uploads_over_2_mb_are_refused_with_413(api: Api) -> None:
    just_over = TWO + "# " + "x" * (2 * 1024 * 1024) + "\n"
    far_over = just_over + "# " + "y" * (1024 * 1024) + "\n"
    for response in (
        await post_yaml(api, just_over),
        await post_yaml(api, far_over),  # refused before the whole body is read
        await post_file(api, "big.yaml", just_over.encode("utf-8"), "application/yaml"),
    ):
        assert response.status_code == 413
        assert "may be at most 2 MB" in response.json()["detail"]
    assert uploads(api) == []


async def test_files_that_are_neither_scenarios_nor_spreadsheets_get_415(api: Api) -> None:
    text = await post_file(api, "notes.txt", b"hello", "text/plain")
    assert text.status_code == 415
    assert ".yaml or .yml (a scenario), .xlsx or .csv" in text.json()["detail"]
    old_excel = await post_file(api, "msel.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel")
    assert old_excel.status_code == 415
    assert "save old Excel files (.xls) as .xlsx" in old_excel.json()["detail"]


async def test_validate_checks_without_storing(api: Api) -> None:
    valid = await post_yaml(api, TWO, "/api/scenarios/validate")
    assert valid.status_code == 200
    assert (valid.json()["id"], valid.json()["file"]) == ("mini-two", "mini-two.yaml")
    invalid = await post_file(api, "broken.yaml", BROKEN.encode("utf-8"), "application/yaml", "/api/scenarios/validate")
    assert invalid.status_code == 422
    assert invalid.json()["problems"][0]["path"] == "injects[2].audience.team"
    workbook = edited_workbook(Tags="media")  # the trigger tag is gone
    msel = await post_file(api, "msel.xlsx", workbook, XLSX, "/api/scenarios/validate", into="mini", id="b")
    assert msel.status_code == 422
    assert [(p["row"], p["column"]) for p in msel.json()["problems"]] == [(None, "Tags")]
    clash = await post_yaml(api, variant("title: Mini crisis\n", "title: Other\n"), "/api/scenarios/validate")
    assert clash.status_code == 409
    assert uploads(api) == []
    assert set(await listed(api)) == {"mini"}


async def test_uploading_needs_the_facilitator_secret(api: Api) -> None:
    for url in ("/api/scenarios", "/api/scenarios/validate"):
        response = await api.http.post(
            url, content=TWO.encode("utf-8"), headers={"Content-Type": "application/yaml", "Authorization": ""}
        )
        assert response.status_code == 401
    assert uploads(api) == []


async def test_uploaded_scenarios_are_there_after_a_restart(api: Api) -> None:
    assert (await post_yaml(api, TWO)).status_code == 201
    async for restarted in running_api(api.settings):
        assert (await listed(restarted))["mini-two"] == "Mini crisis two"


async def test_scenarios_uploaded_into_the_data_folder_by_earlier_versions_move_into_the_database(
    tmp_path: Path,
) -> None:
    settings = api_settings(tmp_path)
    folder = settings.data_dir / "scenarios"
    folder.mkdir(parents=True)
    (folder / "mini-two.yaml").write_text(TWO, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    async for started in running_api(settings):
        assert (await listed(started))["mini-two"] == "Mini crisis two"
        assert stored_text(started, "mini-two") == TWO
    assert sorted(path.name for path in folder.iterdir()) == ["broken.yaml", "mini-two.yaml.in-database"]
    async for again in running_api(settings):  # moved once: the next start finds it in the database only
        assert uploads(again) == ["mini-two.yaml"]
