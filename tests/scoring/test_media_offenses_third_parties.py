"""MR, GO and TP: media reflexes, gratuitous offenses, managing third parties."""

from __future__ import annotations

import pytest

from app.scenario.schema import Scenario
from app.scoring import score
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR, result, value

STORM = 4 * HOUR
ALLY = 6 * HOUR


def test_a_hostile_public_move_right_after_a_media_storm_is_a_reflex(log: LogBuilder) -> None:
    log.inject("storm", STORM)
    log.act("blue", "condemn", STORM + 20)
    card = log.card()
    assert value(card, "blue", "MR") == 50.0  # 1 of 2 media injects (the trigger and the storm)
    assert value(card, "red", "MR") == 0.0  # red did nothing: the activity gate is shut
    assert "answered 1 of 2 media injects" in result(card, "blue", "MR").explanation


@pytest.mark.parametrize(
    ("check", "minute"),
    [("verify", STORM + 10), ("cable", STORM + 10)],
)
def test_checking_facts_or_talking_privately_first_is_not_a_reflex(log: LogBuilder, check: str, minute: int) -> None:
    log.inject("storm", STORM)
    if check == "verify":
        log.act("blue", "verify", minute)
    else:
        log.cable("blue", minute)
    log.act("blue", "condemn", STORM + 20)
    assert value(log.card(), "blue", "MR") == 100.0


def test_late_or_private_answers_are_not_media_reflexes(log: LogBuilder) -> None:
    log.inject("storm", STORM)
    log.act("blue", "warn-privately", STORM + 10)
    log.act("blue", "condemn", STORM + 61)
    assert value(log.card(), "blue", "MR") == 100.0


@pytest.mark.parametrize("burst", [{"cause": "jump"}, {"late": True}])
def test_media_injects_released_in_a_burst_are_left_out(log: LogBuilder, burst: dict[str, object]) -> None:
    log.inject("storm", STORM, **burst)  # type: ignore[arg-type]
    log.act("blue", "condemn", STORM + 20)
    card = log.card()
    assert value(card, "blue", "MR") == 100.0  # measured on the trigger alone: the storm came in a burst
    assert (
        "answered none of 1 media inject (1 media inject released in a burst — a jump or a late release — not counted)"
        in (result(card, "blue", "MR").explanation)
    )


def test_third_party_window_opens_when_play_resumes(log: LogBuilder) -> None:
    log.pause(ALLY)
    log.inject("ally", ALLY, cause="fire")
    log.jump(ALLY + 4 * HOUR)
    log.resume(ALLY + 4 * HOUR)
    log.act("blue", "restrain", ALLY + 9 * HOUR, role="diplomacy")  # 9 h after the release, 5 h after resuming
    assert value(log.card(), "blue", "TP") == 80.0


def test_media_reflex_not_applicable_without_media(drill: Scenario) -> None:
    log = LogBuilder(drill)
    log.inject("encounter-blue", 10)
    log.act("blue", "condemn", 20)
    assert value(log.card(), "blue", "MR") is None


@pytest.mark.parametrize(("offenses", "expected"), [(0, 100.0), (1, 66.7), (2, 33.3), (3, 0.0), (4, 0.0)])
def test_each_gratuitous_offense_costs_a_third(log: LogBuilder, offenses: int, expected: float) -> None:
    log.act("blue", "regret", 5)
    for minute in range(offenses):
        log.act("blue", "probe" if minute % 2 else "patrol", 10 + minute, role="defense")
    assert value(log.card(), "blue", "GO") == expected


def test_doing_nothing_earns_no_credit_for_avoiding_offenses(log: LogBuilder) -> None:
    card = log.card()
    assert value(card, "blue", "GO") == 0.0
    assert "100.0 before the activity gate, which lowered it to 0.0" in result(card, "blue", "GO").explanation


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        (["restrain", "reassure"], 100.0),
        (["restrain"], 80.0),
        (["reassure"], 40.0),
        (["restrain", "endorse"], 60.0),
        (["reassure", "endorse"], 20.0),
        (["endorse"], 0.0),
        ([], 0.0),
    ],
)
def test_third_party_parts(log: LogBuilder, moves: list[str], expected: float) -> None:
    log.inject("ally", ALLY)
    for offset, action in enumerate(moves):
        log.act("blue", action, ALLY + 30 + offset)
    assert value(log.card(), "blue", "TP") == expected


def test_restraint_after_the_window_is_too_late(log: LogBuilder) -> None:
    log.inject("ally", ALLY)
    log.act("blue", "restrain", ALLY + 6 * HOUR + 1)
    assert value(log.card(), "blue", "TP") == 0.0


def test_a_scenario_may_widen_the_third_party_window(drill: Scenario) -> None:
    scenario = drill.model_copy(update={"scoring": drill.scoring.model_copy(update={"third_party_window": 8 * 3600})})
    log = LogBuilder(scenario)
    log.inject("ally", ALLY)
    log.act("blue", "restrain", ALLY + 7 * HOUR)
    assert value(score(scenario, log.events), "blue", "TP") == 80.0
    assert value(score(drill, log.events), "blue", "TP") == 0.0


def test_third_parties_are_per_team(log: LogBuilder) -> None:
    log.inject("ally", ALLY)  # reaches blue's leader only
    card = log.card()
    assert value(card, "blue", "TP") == 0.0
    assert value(card, "red", "TP") is None
