"""Imported logs: any change to a valid log is either refused with its line, or makes a log whose
report, charts and exports all build. An import never ends in a server error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.db import make_engine, migrate
from app.engine.archive import ArchiveInvalid, read_archive
from app.engine.events import EventType
from app.reports.assemble import build_report
from app.reports.charts import charts
from app.reports.exports import render
from app.reports.source import from_archive
from app.scenario.loader import load_scenario
from tests.conftest import FIXTURES
from tests.reports.conftest import play_known_exercise

MINI = load_scenario(FIXTURES / "mini.yaml")
IDS = sorted(
    {item.id for item in [*MINI.actions, *MINI.injects, *MINI.channels, *MINI.teams]}
    | {"call-1", "call-2", "leader", "control", "all", "team:blue", "role:red:leader"}
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(IDS)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def log_lines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    folder = tmp_path_factory.mktemp("fuzz-log")
    engine = make_engine(f"sqlite:///{folder / 'hotline.db'}")
    migrate(engine)
    try:
        yield play_known_exercise(engine, folder).path.read_text(encoding="utf-8").splitlines()
    finally:
        engine.dispose()


def mutate(event: dict[str, Any], data: st.DataObject) -> None:
    where = data.draw(
        st.sampled_from(["payload", "payload", "payload", "drop", "type", "actor", "time", "wall", "audience"])
    )
    payload = event["payload"]
    if where == "payload" and payload:
        payload[data.draw(st.sampled_from(sorted(payload)))] = data.draw(VALUES)
    elif where == "drop" and payload:
        del payload[data.draw(st.sampled_from(sorted(payload)))]
    elif where == "type":
        event["type"] = data.draw(st.sampled_from([kind.value for kind in EventType]))
    elif where == "actor":
        event["actor"] = {
            **event["actor"],
            data.draw(st.sampled_from(["team", "role", "seat_id", "kind"])): data.draw(SCALARS),
        }
    elif where == "wall":
        event["wall_time"] = data.draw(st.datetimes()).isoformat()
    elif where == "time":
        event["scenario_time"] = data.draw(st.floats(min_value=0, max_value=1e15) | st.integers(0, 10**12))
    else:
        event["audience"] = data.draw(st.lists(st.sampled_from(IDS), max_size=3))


@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_changed_log_is_refused_at_its_line_or_reports_fully(log_lines: list[str], data: st.DataObject) -> None:
    lines = list(log_lines)
    for _ in range(data.draw(st.integers(1, 3))):
        number = data.draw(st.integers(1, len(lines) - 1))
        event = json.loads(lines[number])
        mutate(event, data)
        lines[number] = json.dumps(event)
    try:
        archive = read_archive(lines)
    except ArchiveInvalid as exc:
        refused: ArchiveInvalid | None = exc
    else:
        refused = None
    if refused is not None:
        assert 1 <= refused.line <= len(lines) and refused.message
        return
    report = build_report(from_archive(archive))
    charts(report)
    for export in ("md", "csv", "json"):
        assert render(report, export)


def test_the_unchanged_log_imports(log_lines: list[str]) -> None:
    assert len(read_archive(log_lines).events) == len(log_lines) - 1
