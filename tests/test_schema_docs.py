"""The JSON Schemas in docs/ are exactly what the models generate, so they can never go stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.schema_docs import DOCS, PUBLISHED, render, write
from tests.conftest import PROJECT


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_committed_schema_matches_the_models(name: str) -> None:
    assert DOCS == PROJECT / "docs"
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == render(name), f"run `python -m app.schema_docs` and commit docs/{name}"


def test_scenario_schema_names_the_required_fields() -> None:
    schema = json.loads(render("scenario.schema.json"))
    assert schema["title"] == "Hotline scenario"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert {"id", "title", "summary", "end", "teams", "channels", "actions", "injects"} <= set(schema["required"])


def test_protocol_schema_covers_every_message_and_close_code() -> None:
    schema = json.loads(render("protocol.schema.json"))
    client = schema["properties"]["client_message"]["discriminator"]["mapping"]
    server = schema["properties"]["server_message"]["discriminator"]["mapping"]
    assert {"join", "ping", "send_chat", "take_action", "call_request", "pause", "jump"} <= set(client)
    assert set(server) == {"hello", "event", "live", "ack", "error", "heartbeat", "pong", "scores"}
    assert {"4401", "4403", "4404", "1009"} <= set(schema["close_codes"])


def test_write_reports_whether_it_changed(tmp_path: Path) -> None:
    assert write("protocol.schema.json", tmp_path) is True
    assert write("protocol.schema.json", tmp_path) is False
    assert (tmp_path / "protocol.schema.json").read_text(encoding="utf-8") == render("protocol.schema.json")
