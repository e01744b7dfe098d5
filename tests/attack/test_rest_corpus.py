"""Hostile REST requests: each gets its documented status and Hotline's own message naming the field,
logs no traceback and changes nothing (no row, no upload, no event)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from app.scenario.loader import load_scenario
from app.scenario.msel import MselFormat, export_msel
from tests.attack.conftest import Target
from tests.conftest import FIXTURES

pytestmark = pytest.mark.asyncio(loop_scope="module")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEEP = "[" * 20_000 + "]" * 20_000


def workbook(damage: Callable[[str], str]) -> bytes:
    """The mini scenario's MSEL workbook with its sheet's XML changed by ``damage``."""
    original = zipfile.ZipFile(io.BytesIO(export_msel(load_scenario(FIXTURES / "mini.yaml"), MselFormat.xlsx)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for name in original.namelist():
            data = original.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = damage(data.decode("utf-8")).encode("utf-8")
            damaged.writestr(name, data)
    return buffer.getvalue()


FIRST_CELL = re.compile(r'<c r="A2"[^>]*>.*?</c>')
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)
BROKEN_XML = workbook(lambda xml: xml[: len(xml) // 2])
STRING_INDEX = workbook(lambda xml: FIRST_CELL.sub('<c r="A2" t="s"><v>99999</v></c>', xml, count=1))
NOT_A_NUMBER = workbook(lambda xml: FIRST_CELL.sub('<c r="A2"><v>not-a-number</v></c>', xml, count=1))
ENTITY_BOMB = workbook(lambda xml: BOMB + xml.replace("<t>Inject no.</t>", "<t>&lol9;</t>", 1))
EXTERNAL_ENTITY = workbook(
    lambda xml: (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        + xml.replace("<t>Inject no.</t>", "<t>&secret;</t>", 1)
    )
)


def archive(*events: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    """A JSONL log of the mini scenario: the header, then ``events`` (numbered from 1 unless they say)."""
    scenario = load_scenario(FIXTURES / "mini.yaml").model_dump(mode="json")
    head = {
        "kind": "hotline-exercise-log",
        "format": 1,
        "exported_at": "2026-01-01T10:00:00Z",
        "exercise": {
            "id": "ex_0000000001",
            "title": "Imported",
            "scenario_id": "mini",
            "compression": 60,
            "status": "ended",
            "created_at": "2026-01-01T09:00:00Z",
        },
        "scenario": scenario,
        **(header or {}),
    }
    lines = [json.dumps(head)]
    for seq, event in enumerate(events, start=1):
        lines.append(json.dumps({**logged(seq), **event}))
    return "\n".join(lines) + "\n"


def logged(seq: int) -> dict[str, Any]:
    created = {"scenario_id": "mini", "scenario_title": "Mini crisis", "title": "Imported", "compression": 60}
    return {
        "seq": seq,
        "exercise_id": "ex_0000000001",
        "type": "exercise_created",
        "wall_time": "2026-01-01T09:00:00Z",
        "scenario_time": 0,
        "actor": {"kind": "facilitator"},
        "audience": ["all"],
        "payload": created,
    }


@dataclass(frozen=True)
class Request:
    name: str
    method: str
    path: str
    status: int
    says: str
    json: Any = None
    content: str | bytes | None = None
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes, str]] | None = None
    data: dict[str, str] | None = None
    field: str | None = None


def damaged_workbook(name: str, data: bytes) -> Request:
    """An MSEL upload that would have crashed the workbook reader: refused as damaged, nothing stored."""
    files = {"file": ("msel.xlsx", data, XLSX)}
    return Request(name, "POST", "/api/scenarios", 422, "damaged", files=files, data={"into": "mini", "id": "mini-x"})


COMMANDS = "/api/exercises/{exercise}/commands"
CORPUS = [
    # commands: decoded exactly as websocket messages are
    Request("command-type-list", "POST", COMMANDS, 422, "type: must be text", json={"type": ["pause"]}),
    Request(
        "command-yes",
        "POST",
        COMMANDS,
        422,
        "visible: must be true or false",
        json={"type": "set_scores_visible", "id": "v", "visible": "yes"},
    ),
    Request(
        "command-player",
        "POST",
        COMMANDS,
        422,
        "not a command this endpoint runs",
        json={"type": "send_chat", "id": "c", "text": "x"},
    ),
    Request(
        "command-jump-1e30",
        "POST",
        COMMANDS,
        422,
        "to: a scenario time may be at most",
        json={"type": "jump", "id": "j", "to": 1e30},
    ),
    Request("command-deep", "POST", COMMANDS, 422, "nested more than 16", content=DEEP),
    Request("command-not-json", "POST", COMMANDS, 422, "Not valid JSON", content="{nope"),
    Request("command-not-utf8", "POST", COMMANDS, 422, "not UTF-8", content=b"\xff\xfe{}"),
    Request(
        "command-nul",
        "POST",
        COMMANDS,
        422,
        "reason: contains a NUL",
        json={"type": "pause", "id": "p", "reason": "a\u0000"},
    ),
    Request("command-nul-id", "POST", COMMANDS, 422, "id: contains a NUL", json={"type": "pause", "id": "p\u0000"}),
    Request("command-too-big", "POST", COMMANDS, 413, "at most 1024 KiB", content="x" * (1024 * 1024 + 1)),
    Request(
        "command-as-text",
        "POST",
        COMMANDS,
        415,
        "Content-Type: application/json",
        content='{"type":"start","id":"s"}',
        headers={"Content-Type": "text/plain"},
    ),
    Request(
        "create-as-form",
        "POST",
        "/api/exercises",
        415,
        "Content-Type: application/json",
        content="scenario_id=mini",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    # creating exercises
    Request(
        "create-1e999",
        "POST",
        "/api/exercises",
        422,
        "compression: must be at most 10000",
        content='{"scenario_id":"mini","compression":1e999}',
        field="compression",
    ),
    Request(
        "create-nan",
        "POST",
        "/api/exercises",
        422,
        "NaN is not a JSON number",
        content='{"scenario_id":"mini","compression":NaN}',
    ),
    Request(
        "create-tiny-compression",
        "POST",
        "/api/exercises",
        422,
        "compression: must be at least 0.01",
        json={"scenario_id": "mini", "compression": 1e-300},
    ),
    Request(
        "create-compression-text",
        "POST",
        "/api/exercises",
        422,
        "compression: must be a number",
        json={"scenario_id": "mini", "compression": "12"},
    ),
    Request(
        "create-surrogate-title",
        "POST",
        "/api/exercises",
        422,
        "title: contains an unpaired surrogate",
        content='{"scenario_id":"mini","title":"\\ud800"}',
        field="title",
    ),
    Request(
        "create-nul-title",
        "POST",
        "/api/exercises",
        422,
        "title: contains a NUL",
        json={"scenario_id": "mini", "title": "a\u0000b"},
    ),
    Request(
        "create-seats-yes",
        "POST",
        "/api/exercises",
        422,
        "seats: must be true or false",
        json={"scenario_id": "mini", "seats": "yes"},
    ),
    Request(
        "create-extra",
        "POST",
        "/api/exercises",
        422,
        "colour: is not a field",
        json={"scenario_id": "mini", "colour": "red"},
    ),
    Request("create-no-scenario", "POST", "/api/exercises", 422, "scenario_id: is required", json={}),
    Request(
        "create-unknown-scenario",
        "POST",
        "/api/exercises",
        404,
        "no scenario 'atlantis'",
        json={"scenario_id": "atlantis"},
    ),
    Request(
        "create-deep", "POST", "/api/exercises", 422, "nested more than 16", content='{"scenario_id":' + DEEP + "}"
    ),
    # reading events
    Request(
        "events-after-overflow",
        "GET",
        "/api/exercises/{exercise}/events",
        422,
        "after: must be at most 2147483647",
        params={"after": "99999999999999999999999"},
    ),
    Request(
        "events-after-negative",
        "GET",
        "/api/exercises/{exercise}/events",
        422,
        "after: must be at least 0",
        params={"after": "-1"},
    ),
    Request(
        "events-limit-zero",
        "GET",
        "/api/exercises/{exercise}/events",
        422,
        "limit: must be at least 1",
        params={"limit": "0"},
    ),
    Request(
        "events-after-text",
        "GET",
        "/api/exercises/{exercise}/events",
        422,
        "after: must be a whole number",
        params={"after": "x"},
    ),
    Request("nul-in-path", "GET", "/api/exercises/ex%00x", 400, "NUL"),
    Request("nul-in-query", "GET", "/api/exercises/{exercise}/events", 400, "NUL", params={"after": "\u0000"}),
    Request("long-id", "GET", "/api/exercises/" + "x" * 5000, 404, "There is no exercise"),
    # seats
    Request(
        "seat-without-team",
        "POST",
        "/api/exercises/{exercise}/seats",
        422,
        "team: is required for a player seat",
        json={},
        field="team",
    ),
    Request(
        "seat-nul-team", "POST", "/api/exercises/{exercise}/seats", 422, "team: contains a NUL", json={"team": "\u0000"}
    ),
    Request(
        "seat-nul-label",
        "POST",
        "/api/exercises/{exercise}/seats",
        422,
        "label: contains a NUL",
        json={"team": "blue", "label": "Blue\u0000"},
        field="label",
    ),
    Request(
        "seat-unknown-team", "POST", "/api/exercises/{exercise}/seats", 404, "no team 'green'", json={"team": "green"}
    ),
    Request(
        "seat-kind",
        "POST",
        "/api/exercises/{exercise}/seats",
        422,
        "kind: must be one of",
        json={"kind": "admin", "team": "blue"},
    ),
    # the improvement plan and reports
    Request(
        "plan-date-number",
        "POST",
        "/api/exercises/{exercise}/improvement-plan",
        422,
        "due_date: must be a date",
        json={"issue": "x", "due_date": 20260101},
    ),
    Request(
        "plan-item-overflow",
        "PUT",
        "/api/exercises/{exercise}/improvement-plan/99999999999999999999",
        422,
        "item_id: must be at most",
        json={"issue": "x"},
    ),
    Request(
        "report-format",
        "GET",
        "/api/exercises/{exercise}/report/export",
        422,
        "format: must be one of",
        params={"format": "exe"},
    ),
    Request("compare-nothing", "GET", "/api/reports/compare", 422, "Give ?scenario=ID"),
    # imports: every line checked, nothing stored
    Request(
        "import-deep-line",
        "POST",
        "/api/exercises/import",
        422,
        "line 2: not a valid event: JSON nested",
        content=archive().rstrip("\n") + "\n" + DEEP + "\n",
    ),
    Request(
        "import-unknown-inject",
        "POST",
        "/api/exercises/import",
        422,
        "line 3: the event refers to 'I9'",
        content=archive(
            {},
            {
                "type": "inject_held",
                "actor": {"kind": "facilitator"},
                "audience": ["control"],
                "payload": {"inject_id": "I9", "reason": ""},
            },
        ),
    ),
    Request(
        "import-unknown-call",
        "POST",
        "/api/exercises/import",
        422,
        "line 3: the event refers to 'call-7'",
        content=archive(
            {},
            {
                "type": "call_accepted",
                "actor": {"kind": "player", "team": "red"},
                "audience": ["all"],
                "payload": {"call_id": "call-7", "channel": "hotline"},
            },
        ),
    ),
    Request(
        "import-missing-payload-key",
        "POST",
        "/api/exercises/import",
        422,
        "line 3: not a valid event (channel: is required)",
        content=archive(
            {}, {"type": "channel_suspended", "actor": {"kind": "facilitator"}, "audience": ["all"], "payload": {}}
        ),
    ),
    Request(
        "import-nan-time",
        "POST",
        "/api/exercises/import",
        422,
        "line 2: not a valid event",
        content=archive({}).replace('"scenario_time": 0', '"scenario_time": NaN'),
    ),
    Request(
        "import-nul",
        "POST",
        "/api/exercises/import",
        422,
        "line 2: not a valid event: payload.title: contains a NUL",
        content=archive(
            {"payload": {"scenario_id": "mini", "scenario_title": "x", "title": "a\u0000", "compression": 60}}
        ),
    ),
    Request(
        "import-far-future",
        "POST",
        "/api/exercises/import",
        422,
        "line 2: wall_time 9999",
        content=archive({"wall_time": "9999-12-31T23:59:59Z"}),
    ),
    Request(
        "import-huge-number",
        "POST",
        "/api/exercises/import",
        422,
        "line 2: not a valid event: Not valid JSON",
        content=archive().rstrip("\n").rsplit("\n", 1)[0] + '\n{"seq": ' + "1" * 5000 + "}\n",
    ),
    Request(
        "import-seq-gap",
        "POST",
        "/api/exercises/import",
        422,
        "line 3: event seq 5 where 2 was expected",
        content=archive({}, {"seq": 5}),
    ),
    Request(
        "import-broken-scenario",
        "POST",
        "/api/exercises/import",
        422,
        "line 1: the scenario in the header is inconsistent",
        content=archive(
            header={"scenario": {**load_scenario(FIXTURES / "mini.yaml").model_dump(mode="json"), "end": "T+00:01"}}
        ),
    ),
    Request(
        "import-long-title",
        "POST",
        "/api/exercises/import",
        422,
        "line 1: not a Hotline exercise log header",
        content=archive().replace(
            '"title": "Imported", "scenario_id"', '"title": "' + "x" * 300 + '", "scenario_id"', 1
        ),
    ),
    Request("import-not-utf8", "POST", "/api/exercises/import", 422, "not UTF-8", content=b"\xff\xfe"),
    Request(
        "import-too-big",
        "POST",
        "/api/exercises/import",
        413,
        "over 50 MB",
        content=b"x" * (50 * 1024 * 1024 + 1),
    ),
    # MSEL spreadsheets that would have crashed the reader
    damaged_workbook("msel-broken-xml", BROKEN_XML),
    damaged_workbook("msel-string-index", STRING_INDEX),
    damaged_workbook("msel-not-a-number", NOT_A_NUMBER),
    damaged_workbook("msel-entity-bomb", ENTITY_BOMB),
    damaged_workbook("msel-external-entity", EXTERNAL_ENTITY),
    Request(
        "msel-nul-title",
        "POST",
        "/api/scenarios",
        422,
        "contains a NUL",
        files={"file": ("msel.csv", export_msel(load_scenario(FIXTURES / "mini.yaml"), MselFormat.csv), "text/csv")},
        data={"into": "mini", "id": "mini-x", "title": "a\u0000b"},
    ),
    Request(
        "yaml-nul",
        "POST",
        "/api/scenarios",
        422,
        "contains a NUL",
        content=(FIXTURES / "mini.yaml")
        .read_text()
        .replace("id: mini\n", "id: mini-nul\n")
        .replace("title: Mini crisis", 'title: "Mini\\0 crisis"'),
        headers={"Content-Type": "application/yaml"},
    ),
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def exercise_id(target: Target) -> AsyncIterator[str]:
    exercise = await target.live.create_exercise()
    yield exercise["id"]


@pytest.mark.parametrize("request_", CORPUS, ids=lambda request_: request_.name)
async def test_a_hostile_request_gets_its_status_and_message_and_changes_nothing(
    target: Target, exercise_id: str, request_: Request
) -> None:
    before, logged = target.fingerprint(), len(target.log.records)
    headers = request_.headers
    if request_.content is not None and "Content-Type" not in headers:
        headers = {**headers, "Content-Type": "application/json"}
    response = await target.live.http.request(
        request_.method,
        request_.path.format(exercise=exercise_id),
        json=request_.json,
        content=request_.content,
        params=request_.params,
        headers=headers,
        files=request_.files,
        data=request_.data,
    )
    body = response.json()
    assert response.status_code == request_.status, body
    messages = [body["detail"], *(problem["message"] for problem in body.get("problems", []))]
    assert any(request_.says in message for message in messages), messages
    assert isinstance(body["code"], str) and body["code"]
    if request_.field is not None:
        assert body["field"] == request_.field
    assert "validation error for" not in response.text and "/etc/passwd" not in response.text
    assert target.fingerprint() == before
    assert target.log.tracebacks(logged) == []


async def test_a_valid_import_still_works(target: Target) -> None:
    response = await target.live.http.post("/api/exercises/import", content=archive())
    assert response.status_code == 201, response.text


async def test_the_api_reference_pages_come_from_this_server_with_every_security_header(target: Target) -> None:
    http = target.live.http
    for page in ("/docs", "/redoc"):
        response = await http.get(page)
        assert response.status_code == 200
        for header in ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy"):
            assert header in response.headers, (page, header)
        assert "script-src 'self';" in response.headers["content-security-policy"]
        scripts = re.findall(r'src="([^"]+)"', response.text)
        assert scripts and all(src.startswith("/") for src in scripts), scripts  # no CDN
        for src in scripts:
            asset = await http.get(src)
            assert asset.status_code == 200 and asset.content, src
