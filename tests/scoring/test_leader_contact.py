"""LC: the leaders in direct contact early, by voice or in writing, judged per team.

Examples first, then the principles as properties (hypothesis): written contact counts, a little below
a call (1); later contact scores less but never nothing (2); each team's own words decide its substance
(3); a refusal costs, but talking later repairs part of it (4).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scenario.loader import load_scenario
from app.scenario.schema import Scenario
from app.scoring import score
from app.scoring.curves import falloff
from app.scoring.rules import DEFAULT_LEADER_CURVE
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import DRILL, HOUR, result, value, without_channels


def f(minutes: float) -> float:
    return falloff(minutes * 60, DEFAULT_LEADER_CURVE)


def lc(reach: float, substance: float) -> float:
    return round(0.5 * reach + 0.5 * substance, 1)


def test_early_call_with_substance_from_both_sides_earns_nearly_full_marks_for_both(log: LogBuilder) -> None:
    call = log.call("blue", 20)
    log.accept("red", call, 25)
    log.say("blue", call, 40, facts="Our aircraft is down; the crew is safe.")
    log.say("red", call, 45, intent="We will not send ships.")
    card = log.card()
    assert value(card, "blue", "LC") == lc(f(20), f(40))
    assert value(card, "red", "LC") == lc(f(25), f(45))
    explanation = result(card, "blue", "LC").explanation
    assert "Washington asked for a call 20 min after the trigger" in explanation
    assert "Washington conveyed facts on a call 40 min in" in explanation
    assert "Beijing took the other side's call 25 min" in result(card, "red", "LC").explanation


def test_contact_at_twelve_hours_scores_half(log: LogBuilder) -> None:
    call = log.talk("blue", 12 * HOUR)
    log.say("red", call, 12 * HOUR, intent="We will not escalate.")
    card = log.card()
    assert value(card, "blue", "LC") == 50.0
    assert value(card, "red", "LC") == 50.0


def test_only_listening_earns_partial_substance(log: LogBuilder) -> None:
    log.talk("blue", 3 * HOUR)  # blue speaks with facts; red picks up and says nothing of substance
    card = log.card()
    assert value(card, "blue", "LC") == lc(f(180), f(180))
    assert value(card, "red", "LC") == lc(f(180), 0.4 * f(180))
    assert "Beijing only listened" in result(card, "red", "LC").explanation


def test_a_letter_counts_at_delivery_somewhat_below_a_call(log: LogBuilder) -> None:
    log.write("blue", 30, medium="letter", facts="Our crew is safe.", proposal="Let our envoys meet.")
    card = log.card()
    delivered = 30 + 12 * HOUR
    assert value(card, "blue", "LC") == lc(0.8 * f(delivered), 0.8 * f(delivered))
    assert value(card, "red", "LC") == 0.0  # reading a letter is no move toward contact
    explanation = result(card, "blue", "LC").explanation
    assert "Washington wrote to the other leader: a letter that arrived 12 h 30 min after the trigger" in explanation
    assert "in a letter that arrived 12 h 30 min in (writing counts 0.8 of a call)" in explanation


def test_a_letter_on_its_way_counts_for_nothing_yet(log: LogBuilder) -> None:
    log.send_letter("blue", 10, medium="letter", intent="We will not escalate.")
    card = log.card()
    assert value(card, "blue", "LC") == 0.0
    assert value(card, "red", "LC") == 0.0


def test_declining_costs_half_the_reach_until_the_team_talks(log: LogBuilder) -> None:
    first = log.call("blue", 10)
    log.decline("red", first, 10)
    second = log.call("blue", 2 * HOUR)
    log.accept("red", second, 2 * HOUR)
    log.say("blue", second, 2 * HOUR, intent="We will not escalate.")
    card = log.card()
    assert value(card, "red", "LC") == lc(0.5 * f(120), 0.4 * f(120))
    assert (
        "after declining a call 10 min in (the refusal keeps 0.5 of this half)" in result(card, "red", "LC").explanation
    )
    log.say("red", second, 2 * HOUR + 5, facts="Our pilot is missing.")
    assert value(log.card(), "red", "LC") == lc(0.5 * f(120), f(125))


def test_repeated_requests_earn_nothing_more(log: LogBuilder) -> None:
    once = LogBuilder(log.scenario)
    once.inject("trigger", 0)
    call = once.call("blue", 10)
    once.miss(call, 20)
    for minute in (10, 25, 40):
        log.miss(log.call("blue", minute), minute + 10)
    assert value(log.card(), "blue", "LC") == value(once.card(), "blue", "LC") == lc(f(10), 0)


def test_a_call_without_facts_intent_or_proposal_is_not_substantive(log: LogBuilder) -> None:
    log.talk("blue", 30, substantive=False)
    card = log.card()
    assert value(card, "blue", "LC") == lc(f(30), 0)
    assert "has not yet told the other side facts, intentions or a proposal" in result(card, "blue", "LC").explanation


def test_a_team_that_never_answers_earns_nothing(log: LogBuilder) -> None:
    log.miss(log.call("red", 10), 20)
    card = log.card()
    assert value(card, "blue", "LC") == 0.0
    assert value(card, "red", "LC") == lc(f(10), 0)
    assert "neither asked for nor taken a hotline call, nor written" in result(card, "blue", "LC").explanation


def test_not_applicable_before_the_trigger(drill: Scenario) -> None:
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
    assert 4 in evidence and said in evidence  # the trigger is the fourth event of the log
    assert (accepted in evidence) == (team == "red")


# --- the principles, as properties ---

SCENARIO = load_scenario(DRILL)
PROPERTY = settings(max_examples=40, deadline=None)
minutes = st.integers(min_value=0, max_value=23 * 60)  # the drill ends at T+24:00


def card_of(build: Callable[[LogBuilder], None]) -> dict[str, float]:
    log = LogBuilder(SCENARIO)
    log.inject("trigger", 0)
    build(log)
    return {team: value(log.card(), team, "LC") or 0.0 for team in ("blue", "red")}


def talk_both(at: float) -> Callable[[LogBuilder], None]:
    def build(log: LogBuilder) -> None:
        call = log.call("blue", at)
        log.accept("red", call, at)
        log.say("blue", call, at, facts="What we know.")
        log.say("red", call, at, intent="What we mean to do.")

    return build


@PROPERTY
@given(at=st.integers(min_value=720, max_value=23 * 60))  # a letter takes 12 h to arrive
def test_principle_1_a_letter_counts_below_an_equally_timely_call_and_above_silence(at: int) -> None:
    def letters(log: LogBuilder) -> None:
        sent = at - 12 * HOUR
        blue = log.send_letter("blue", sent, medium="letter", facts="What we know.")
        red = log.send_letter("red", sent, medium="letter", intent="What we mean to do.")
        log.deliver(blue)
        log.deliver(red)

    written, spoken = card_of(letters), card_of(talk_both(at))
    for team in ("blue", "red"):
        assert 0 < written[team] < spoken[team]


@PROPERTY
@given(early=minutes, late=minutes)
def test_principle_2_later_contact_scores_less_but_never_nothing(early: int, late: int) -> None:
    early, late = sorted((early, late))
    sooner, later, never = card_of(talk_both(early)), card_of(talk_both(late)), card_of(lambda log: None)
    for team in ("blue", "red"):
        assert sooner[team] >= later[team] > never[team] == 0.0
        if late - early >= 5:
            assert sooner[team] > later[team]


@PROPERTY
@given(at=minutes, caller=st.sampled_from(["blue", "red"]))
def test_principle_3_each_team_earns_its_own_substance(at: int, caller: str) -> None:
    other = "red" if caller == "blue" else "blue"

    def one_speaks(log: LogBuilder) -> None:
        call = log.call(caller, at)
        log.accept(other, call, at)
        log.say(other, call, at, facts="What we know.")  # the callee speaks; the caller rang and said nothing

    def both_speak(log: LogBuilder) -> None:
        one_speaks(log)
        log.say(caller, "call-1", at, intent="What we mean to do.")

    silent, spoken = card_of(one_speaks), card_of(both_speak)
    assert spoken[caller] > silent[caller] > 0.5 * spoken[caller] - 50  # listening earns something, clearly less
    assert silent[caller] < silent[other]
    assert math.isclose(spoken[other], silent[other])  # the other side's score does not depend on it


@PROPERTY
@given(refused=st.integers(min_value=0, max_value=120), later=st.integers(min_value=24 * 60, max_value=6 * 24 * 60))
def test_principle_4_a_refusal_costs_and_talking_later_repairs_part_of_it(refused: int, later: int) -> None:
    week = SCENARIO.model_copy(update={"end": 7 * 24 * 3600})

    def lc_of(build: Callable[[LogBuilder], None]) -> float:
        log = LogBuilder(week)
        log.inject("trigger", 0)
        build(log)
        return value(log.card(), "red", "LC") or 0.0

    def accepted(log: LogBuilder) -> None:
        talk_both(refused)(log)

    def refused_then_talked(log: LogBuilder) -> None:
        log.decline("red", log.call("blue", refused), refused)
        talk_both(later)(log)

    def refused_for_good(log: LogBuilder) -> None:
        log.decline("red", log.call("blue", refused), refused)

    assert lc_of(accepted) > lc_of(refused_then_talked) > lc_of(refused_for_good) == 0.0
