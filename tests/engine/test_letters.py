"""Letters between the leaders: sent now, delivered after the medium's delay, seen by the other side only then."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.db import Database, make_engine, migrate
from app.engine.clock import ManualClock
from app.engine.commands import CommandError
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.engine.preview import jump_preview
from app.engine.visibility import CONTROL_VIEWER, Viewer, view_for
from app.scenario.loader import load_scenario
from app.scenario.schema import LetterDelays, Scenario
from tests.conftest import FIXTURES, Published
from tests.engine.helpers import BLUE_DEFENSE, BLUE_LEADER, RED_LEADER, command, control, play, take_over
from tests.engine.test_lifecycle_and_clock import started

MINI = load_scenario(FIXTURES / "mini.yaml")
TELETYPE = 300.0  # the leaders' line carries a 5-minute teletype and a 12-hour letter unless the scenario says
LETTER = 12 * 3600.0


def viewer(team: str, *roles: str) -> Viewer:
    return Viewer(kind="player", team=team, roles=frozenset(roles))


def seen_by(events: list[Event], who: Viewer) -> list[str]:
    return [event.type.value for event in events if view_for(who, event) is not None]


async def test_a_teletype_reaches_the_other_leader_after_its_delay_and_not_before(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await clock.advance(10)  # T+00:10
    await play(
        manager, exercise_id, BLUE_LEADER, "send_letter", medium="teletype", subject="Collision", facts="Crew safe."
    )
    sent = published.of_type("letter_sent")
    assert len(sent) == 1 and sent[0].payload["delay"] == TELETYPE and sent[0].payload["facts"] == "Crew safe."
    red_side = viewer("red", "leader", "defense", "diplomacy", "press")
    assert view_for(red_side, sent[0]) is None, "the other side must not see a letter on its way"
    assert view_for(viewer("blue", "leader"), sent[0]) is not None
    assert view_for(viewer("blue", "press"), sent[0]) is None, "only the roles that hold the line see it"
    await clock.advance(TELETYPE / 60 - 0.01)
    assert published.of_type("letter_delivered") == []
    await clock.advance(0.01)
    [delivered] = published.of_type("letter_delivered")
    assert delivered.scenario_time == pytest.approx(600 + TELETYPE)
    assert delivered.payload | {"due_at": 900.0, "sent_at": 600.0, "late": False} == delivered.payload
    assert delivered.payload["facts"] == "Crew safe." and delivered.payload["subject"] == "Collision"
    assert view_for(viewer("red", "leader"), delivered) is not None
    assert view_for(viewer("blue", "leader"), delivered) is not None
    assert view_for(viewer("red", "press"), delivered) is None
    assert (await manager.runtime(exercise_id)).state.letters["letter-1"].delivered


async def test_letters_arrive_in_order_of_delivery_time_whatever_the_order_sent(
    manager: ExerciseManager, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await play(manager, exercise_id, BLUE_LEADER, "send_letter", medium="letter", text="By embassy.")
    await play(manager, exercise_id, RED_LEADER, "send_letter", medium="teletype", text="By wire.")
    await play(manager, exercise_id, BLUE_LEADER, "send_letter", medium="teletype", text="Also by wire.")
    await control(manager, exercise_id, "jump", to="T+13:00")
    delivered = [(e.payload["letter_id"], e.payload["text"]) for e in published.of_type("letter_delivered")]
    assert delivered == [("letter-2", "By wire."), ("letter-3", "Also by wire."), ("letter-1", "By embassy.")]
    assert all(not e.payload["late"] for e in published.of_type("letter_delivered")), "a jump is not lateness"


async def test_a_letter_in_transit_survives_a_restart_and_arrives_late(
    database: Database, clock: ManualClock, mini: Scenario, published: Published
) -> None:
    first = ExerciseManager(database, clock, published)
    exercise_id = await started(first, mini, compression=60)
    await play(first, exercise_id, RED_LEADER, "send_letter", medium="teletype", intent="We will not escalate.")
    first.close()  # the server goes down with the teletype on its way
    await clock.advance(60)  # an hour of scenario time passes while it is down
    second = ExerciseManager(database, clock, published)  # a new server process folds the log again
    try:
        await take_over(second, exercise_id)
        [delivered] = published.of_type("letter_delivered")
        assert delivered.payload["late"] is True and delivered.payload["due_at"] == TELETYPE
        assert delivered.payload["intent"] == "We will not escalate."
    finally:
        second.close()


@pytest.mark.parametrize(
    ("who", "fields", "code"),
    [
        (BLUE_DEFENSE, {"medium": "teletype", "text": "x"}, "forbidden"),
        (BLUE_LEADER, {"medium": "teletype", "channel": "milmil", "text": "x"}, "not_found"),
        (BLUE_LEADER, {"medium": "teletype", "channel": "cable", "text": "x"}, "not_found"),
    ],
)
async def test_only_the_holders_of_a_line_that_carries_letters_may_write(
    manager: ExerciseManager, mini: Scenario, who: object, fields: dict[str, str], code: str
) -> None:
    exercise_id = await started(manager, mini)
    with pytest.raises(CommandError) as refused:
        await play(manager, exercise_id, who, "send_letter", **fields)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert (await manager.runtime(exercise_id)).state.letters == {}


async def test_a_medium_the_line_does_not_carry_is_refused_naming_those_it_does(
    manager: ExerciseManager, mini: Scenario
) -> None:
    channels = [
        c.model_copy(update={"letters": LetterDelays(letter="06:00")}) if c.id == "hotline" else c
        for c in mini.channels
    ]
    scenario = mini.model_copy(update={"channels": channels})
    exercise_id = await started(manager, scenario)
    with pytest.raises(CommandError, match=r"carries no teletype; it carries: letter \(06:00\)"):
        await play(manager, exercise_id, BLUE_LEADER, "send_letter", medium="teletype", text="x")


async def test_no_letter_while_paused_and_a_suspended_line_refuses_and_logs_it(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini)
    await control(manager, exercise_id, "pause", reason="Briefing")
    with pytest.raises(CommandError, match="paused"):
        await play(manager, exercise_id, BLUE_LEADER, "send_letter", medium="teletype", text="x")
    await control(manager, exercise_id, "resume")
    await control(manager, exercise_id, "suspend_channel", channel="hotline", reason="Cable cut")
    with pytest.raises(CommandError, match="suspended"):
        await play(manager, exercise_id, BLUE_LEADER, "send_letter", medium="letter", text="x")
    assert published.of_type("channel_refused")[-1].payload["attempted"] == "send_letter"
    assert published.of_type("letter_sent") == []


def test_a_letter_needs_words() -> None:
    with pytest.raises(ValueError, match="a letter needs text or one of facts, intent, proposal"):
        command("send_letter", medium="teletype", text="  ")


@settings(max_examples=25, deadline=None)
@given(
    plan=st.lists(
        st.tuples(st.sampled_from(["blue", "red"]), st.sampled_from(["teletype", "letter"]), st.integers(0, 900)),
        min_size=1,
        max_size=6,
    ),
    watch=st.integers(0, 30 * 60),
)
async def test_the_other_side_never_sees_a_letter_before_it_is_delivered(
    plan: list[tuple[str, str, int]], watch: int
) -> None:
    """Whatever is sent when, at any moment each side sees exactly its own letters and the delivered ones."""
    engine = make_engine("sqlite://")
    migrate(engine)
    clock = ManualClock()
    log = Published()
    manager = ExerciseManager(Database(engine), clock, log)
    try:
        exercise_id = await started(manager, MINI, compression=60)
        leaders = {"blue": BLUE_LEADER, "red": RED_LEADER}
        for team, medium, pause in plan:
            await clock.advance(pause / 60)
            await play(manager, exercise_id, leaders[team], "send_letter", medium=medium, text=f"From {team}")
        await clock.advance(watch / 60)
        now = (await manager.runtime(exercise_id)).now()
        for team in ("blue", "red"):
            other = "red" if team == "blue" else "blue"
            seen = [e for e in log.events if view_for(viewer(team, "leader"), e) is not None]
            sent_by_other = [e for e in seen if e.type.value == "letter_sent" and e.payload["from_team"] == other]
            assert sent_by_other == []
            for event in seen:
                if event.type.value == "letter_delivered":
                    assert event.payload["due_at"] <= now + 1e-6
        assert seen_by(log.events, CONTROL_VIEWER).count("letter_sent") == len(plan)
    finally:
        manager.close()
        manager.db.close()


async def test_a_jump_preview_counts_the_letters_it_would_deliver(
    manager: ExerciseManager, mini: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, mini, compression=60)
    await play(manager, exercise_id, BLUE_LEADER, "send_letter", medium="letter", text="By embassy.")
    await play(manager, exercise_id, RED_LEADER, "send_letter", medium="teletype", text="By wire.")
    runtime = await manager.runtime(exercise_id)
    preview = jump_preview(mini, runtime.state, runtime.now(), 6 * 3600)
    assert preview.letters == 1, "only the teletype arrives within six hours"
    await control(manager, exercise_id, "jump", to="T+06:00")
    assert len(published.of_type("letter_delivered")) == preview.letters


def test_an_in_memory_database_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the property test above plays on sqlite://, which must stay in memory
    make_engine("sqlite://").dispose()
    assert list(tmp_path.iterdir()) == []
