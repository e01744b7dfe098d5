"""LC: the leaders in direct contact early; earned only by the team's own move toward contact."""

from __future__ import annotations

import pytest

from app.scenario.schema import Scenario
from app.scoring import score
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR, result, value, without_channels

F_2H = 100 - 50 * 0.2789429456511298  # f(2 h) = 100 − 50·ln 2 / ln 12
F_3H = 100 - 50 * 0.44211410230264  # f(3 h) = 100 − 50·ln 3 / ln 12


def test_early_call_with_substance_earns_full_marks_for_both(log: LogBuilder) -> None:
    call = log.call("blue", 20)
    log.accept("red", call, 25)
    log.say("blue", call, 40, facts="Our aircraft is down; the crew is safe.")
    card = log.card()
    assert value(card, "blue", "LC") == 100.0
    assert value(card, "red", "LC") == 100.0
    explanation = result(card, "blue", "LC").explanation
    assert "Washington asked for a call 20 min after the trigger" in explanation
    assert "40 min in" in explanation
    assert "Beijing took the other side's call 25 min" in result(card, "red", "LC").explanation


def test_contact_at_twelve_hours_scores_half(log: LogBuilder) -> None:
    log.talk("blue", 12 * HOUR)
    card = log.card()
    assert value(card, "blue", "LC") == 50.0
    assert value(card, "red", "LC") == 50.0


def test_contact_at_three_hours_is_on_the_log_curve(log: LogBuilder) -> None:
    log.talk("red", 3 * HOUR)
    assert value(log.card(), "red", "LC") == round(F_3H, 1)


def test_declining_zeroes_the_reach_half_until_the_team_calls_itself(log: LogBuilder) -> None:
    first = log.call("blue", 10)
    log.decline("red", first, 10)
    second = log.call("blue", 2 * HOUR)
    log.accept("red", second, 2 * HOUR)  # accepting after a decline does not restore the reach half
    log.say("blue", second, 2 * HOUR, intent="We will not escalate.")
    card = log.card()
    assert value(card, "red", "LC") == round(0.5 * F_2H, 1)
    assert value(card, "blue", "LC") == round(0.5 * 100 + 0.5 * F_2H, 1)
    assert "declining one 10 min in" not in result(card, "red", "LC").explanation
    log.hang_up("blue", second, 2 * HOUR + 30)
    log.call("red", 3 * HOUR)  # red picks up the phone itself
    assert value(log.card(), "red", "LC") == round(0.5 * F_3H + 0.5 * F_2H, 1)


def test_repeated_requests_earn_nothing_more(log: LogBuilder, blank: object) -> None:
    once = LogBuilder(log.scenario)
    once.inject("trigger", 0)
    call = once.call("blue", 10)
    once.miss(call, 20)
    for minute in (10, 25, 40):
        log.miss(log.call("blue", minute), minute + 10)
    assert value(log.card(), "blue", "LC") == value(once.card(), "blue", "LC") == 50.0


def test_a_call_without_facts_intent_or_proposal_is_not_substantive(log: LogBuilder) -> None:
    log.talk("blue", 30, substantive=False)
    card = log.card()
    assert value(card, "blue", "LC") == 50.0
    assert "have not yet exchanged facts, intentions or a proposal" in result(card, "blue", "LC").explanation


def test_a_team_that_never_answers_earns_nothing(log: LogBuilder) -> None:
    log.miss(log.call("red", 10), 20)
    card = log.card()
    assert value(card, "blue", "LC") == 0.0
    assert value(card, "red", "LC") == 50.0
    assert "neither asked for nor taken a hotline call" in result(card, "blue", "LC").explanation


def test_not_applicable_before_the_trigger(blank: object, drill: Scenario) -> None:
    log = LogBuilder(drill)
    log.act("blue", "regret", 5)
    card = log.card()
    assert value(card, "blue", "LC") is None
    assert "trigger" in result(card, "blue", "LC").explanation


def test_not_applicable_without_a_hotline(drill: Scenario) -> None:
    scenario = without_channels(drill, ["hotline"])
    log = LogBuilder(scenario)
    log.inject("trigger", 0)
    card = score(scenario, log.events)
    assert value(card, "blue", "LC") is None
    assert "no call channel for the leaders" in result(card, "blue", "LC").explanation


@pytest.mark.parametrize("team", ["blue", "red"])
def test_evidence_cites_the_trigger_the_move_and_the_substance(log: LogBuilder, team: str) -> None:
    call = log.call("blue", 20)
    accepted = log.accept("red", call, 25)
    said = log.say("blue", call, 40, proposal="Talk again tomorrow.")
    evidence = result(log.card(), team, "LC").evidence
    assert {1 + 3, accepted, said} <= set(evidence)  # the trigger is the fourth event of the log
