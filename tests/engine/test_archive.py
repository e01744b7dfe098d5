"""The JSONL archive: export, import as a new ended exercise, and refusal of broken logs."""

from __future__ import annotations

import json

import pytest

from app.engine.archive import ArchiveInvalid, read_archive
from app.engine.clock import ManualClock
from app.engine.commands import CommandError
from app.engine.manager import ExerciseManager
from app.scenario.schema import Scenario
from app.scoring import score
from tests.engine.helpers import BLUE_LEADER, RED_LEADER, control, play
from tests.engine.test_lifecycle_and_clock import started

ATTRIBUTED = 6  # the line of the ad hoc inject in the played log (the header, 4 events to STARTEX and I1)


async def played(manager: ExerciseManager, clock: ManualClock, mini: Scenario) -> str:
    exercise_id = await started(manager, mini)
    attribution = {"side": "red", "band": 3, "weight": -7, "duration": "02:00"}
    await control(
        manager, exercise_id, "adhoc_inject", channel="news", title="Rammed", text="…", attribution=attribution
    )
    await play(manager, exercise_id, BLUE_LEADER, "call_request")
    await play(manager, exercise_id, RED_LEADER, "call_accept", call_id="call-1")
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="apologise", rationale="Calm things")
    await clock.advance(120)
    await control(manager, exercise_id, "end")
    return exercise_id


async def test_export_then_import_reproduces_the_log(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario
) -> None:
    exercise_id = await played(manager, clock, mini)
    lines = list(manager.export(exercise_id))
    header = json.loads(lines[0])
    assert header["kind"] == "hotline-exercise-log" and header["scenario"]["id"] == "mini"
    imported = manager.import_archive(read_archive(lines))
    assert imported.id != exercise_id and imported.status == "ended" and imported.imported
    original = manager.store.read(exercise_id)
    copy = manager.store.read(imported.id)
    assert [e.model_dump(exclude={"exercise_id"}) for e in copy] == [
        e.model_dump(exclude={"exercise_id"}) for e in original
    ]
    assert (await manager.runtime(imported.id)).state.calls["call-1"].status == "ended"
    assert score(mini, copy) == score(mini, original), "an ad hoc inject's attribution survives the round trip"
    assert any(e.internal and "attribution" in e.internal for e in copy)
    with pytest.raises(CommandError, match="archive"):
        await control(manager, imported.id, "resume")


@pytest.mark.parametrize(
    ("damage", "line", "says"),
    [
        (lambda lines: [], 1, "empty"),
        (lambda lines: ["not json\n", *lines[1:]], 1, "header"),
        (lambda lines: [lines[0], *lines[2:]], 2, "seq 2 where 1 was expected"),
        (lambda lines: [*lines[:3], '{"seq": 3}\n', *lines[4:]], 4, "not a valid event"),
        (lambda lines: [line.replace('"weight":-7.0', '"weight":"heavy"') for line in lines], ATTRIBUTED, "weight"),
    ],
)
async def test_broken_logs_are_refused_naming_the_line(
    manager: ExerciseManager,
    clock: ManualClock,
    mini: Scenario,
    damage,
    line: int,
    says: str,  # type: ignore[no-untyped-def]
) -> None:
    exercise_id = await played(manager, clock, mini)
    before = len(await manager.rows())
    with pytest.raises(ArchiveInvalid, match=says) as refused:
        manager.import_archive(read_archive(damage(list(manager.export(exercise_id)))))
    assert refused.value.line == line
    assert len(await manager.rows()) == before
