"""The media world in a running exercise: reactions fall due after their delay, pressure moves and is
reported, a pressure contingency fires, and a team's private moves never reach the media."""

from __future__ import annotations

import pytest

from app.engine.clock import ManualClock
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.engine.state import fold
from app.engine.visibility import Viewer, view_for
from app.reports.assemble import build_report
from app.reports.charts import charts
from app.reports.source import from_database
from app.scenario.loader import load_scenario
from app.scenario.schema import Scenario
from tests.conftest import FIXTURES, Published
from tests.engine.helpers import BLUE_LEADER, RED_LEADER, control, play
from tests.engine.test_lifecycle_and_clock import started

MEDIA = load_scenario(FIXTURES / "media" / "mini-media.yaml")


@pytest.fixture
def media() -> Scenario:
    return MEDIA


def pressures(published: Published, team: str) -> list[float]:
    return [e.payload["value"] for e in published.of_type("pressure_changed") if e.payload["team"] == team]


def media_ids(published: Published) -> list[str]:
    return [e.payload["media_id"] for e in published.of_type("media_published")]


async def test_a_hostile_public_move_draws_reactions_after_their_delays(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    [move_seq] = (await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")).seqs
    await clock.advance(600 / 60 - 0.01)
    assert f"hawk-wants-answer@{move_seq}" not in media_ids(published), "not before its delay"
    await clock.advance(0.01)
    [post] = [e for e in published.of_type("media_published") if e.payload["template"] == "hawk-wants-answer"]
    assert post.payload["text"] == "Beijing did this: Show of force. Where is Washington's answer?"
    assert post.payload["translations"]["zh"]["name"] == "鹰眼"
    assert post.payload["handle"] == "eagle_eye" and post.payload["verified"] is True
    assert post.payload["hashtags"][0] in ("#StandFirm", "#NoWar")
    assert post.audience == ["all"]
    await clock.advance(600 / 60)
    [article] = [e for e in published.of_type("media_published") if e.payload["kind"] == "article"]
    assert article.payload["headline"] == "Beijing: Show of force" and article.payload["name"] == "The Capital Post"
    blue = pressures(published, "blue")
    # 30 start, +6 for the media trigger, +14.4 for the show of force (weight -7.2), +5 for the hawk's post
    assert blue[:3] == [36.0, 50.4, 55.4]


async def test_the_team_sees_its_own_pressure_and_not_the_other_sides(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")
    reports = published.of_type("pressure_changed")
    blue_viewer = Viewer(kind="player", team="blue", roles=frozenset({"leader"}))
    assert {e.payload["team"] for e in reports if view_for(blue_viewer, e) is not None} == {"blue"}


async def test_private_moves_never_draw_a_reaction_or_move_pressure(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    await clock.advance(1)
    before = list(published.of_type("pressure_changed"))
    await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="verify")
    await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="consult")
    await clock.advance(24 * 60)
    sources = {e.payload["source_seq"] for e in published.of_type("media_published")}
    private = {e.seq for e in published.of_type("action_taken")}
    assert not sources & private
    assert published.of_type("pressure_changed")[: len(before)] == before


async def test_pressure_contingency_fires_when_the_level_is_reached(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")
    await clock.advance(11)  # blue at 55.4 once the hawk has posted: not yet
    assert "P1" not in [e.payload["inject_id"] for e in published.of_type("inject_released")]
    [blockade] = (await play(manager, exercise_id, RED_LEADER, "take_action", action_id="blockade")).seqs
    released = [e for e in published.of_type("inject_released") if e.payload["inject_id"] == "P1"]
    assert len(released) == 1 and released[0].payload["cause"] == "contingency" and released[0].seq > blockade
    # Silent while high: the public notices after the silence window (30 min), and again after the next.
    await clock.advance(29)
    assert not [e for e in published.of_type("media_published") if e.payload["cause"] == "silence"]
    await clock.advance(32)
    silence = [e for e in published.of_type("media_published") if e.payload["cause"] == "silence"]
    assert [e.payload["about_team"] for e in silence] == ["blue", "blue"]
    assert "#StandFirm" in silence[0].payload["text"]


async def test_calming_statement_and_leader_call_bring_pressure_down(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    await play(manager, exercise_id, BLUE_LEADER, "take_action", action_id="apologise")
    await clock.advance(6)
    blue = pressures(published, "blue")
    assert blue[-2:] == [30.0, 27.0]  # 36 after the trigger; -6 for a calming move, -3 for the dove's praise
    assert any(e.payload["template"] == "dove-welcomes-calm" for e in published.of_type("media_published"))
    await play(manager, exercise_id, BLUE_LEADER, "call_request")
    await play(manager, exercise_id, RED_LEADER, "call_accept", call_id="call-1")
    assert pressures(published, "blue")[-1] == 19.0 and pressures(published, "red")[-1] == 28.0  # both -8


async def test_the_same_log_replays_to_the_same_reactions(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")
    await play(manager, exercise_id, BLUE_LEADER, "publish_statement", text="We are calm.")
    await clock.advance(120)
    events: list[Event] = list(published.events)
    await control(manager, exercise_id, "pause", reason="check")
    runtime = await manager.runtime(exercise_id)
    replayed = fold(exercise_id, media, events)
    assert replayed.media is not None and runtime.state.media is not None
    assert replayed.media.published == runtime.state.media.published
    assert replayed.media.board.teams["blue"].history == runtime.state.media.board.teams["blue"].history


async def test_the_report_plots_both_pressures_and_the_hot_wash_asks_about_them(
    manager: ExerciseManager, clock: ManualClock, media: Scenario, published: Published
) -> None:
    exercise_id = await started(manager, media, compression=60)
    await play(manager, exercise_id, RED_LEADER, "take_action", action_id="show-of-force")
    await clock.advance(30)
    await control(manager, exercise_id, "end")
    await play(manager, exercise_id, BLUE_LEADER, "submit_hotwash", rating=4, pressure="Congress was loud; we called.")
    report = build_report(from_database(manager.engine, exercise_id))
    [blue, red] = report.pressure
    assert (blue.team, red.team) == ("blue", "red")
    assert blue.points[0].value == 30 and blue.peak >= 55.4
    figure = charts(report)["escalation"]
    pressure_lines = [trace for trace in figure["data"] if trace.get("yaxis") == "y2"]
    assert [trace["name"] for trace in pressure_lines] == ["Washington pressure", "Beijing pressure"]
    assert figure["layout"]["yaxis2"]["range"] == [-5, 105]
    [answer] = report.hotwash.answers
    assert answer.pressure == "Congress was loud; we called."
