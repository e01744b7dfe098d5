"""MM: a substantive call on the mil-mil link soon after the first military incident, and CUES orders
in answer to encounters."""

from __future__ import annotations

from app.scenario.schema import InjectTag, Scenario
from app.scoring.contact import encounter_tag
from app.scoring.curves import falloff
from app.scoring.rules import DEFAULT_MILMIL_CURVE
from app.scoring.timeline import digest
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR, result, value, without_inject_tag

F_3H = falloff(3 * 3600, DEFAULT_MILMIL_CURVE)  # 95 − 45·ln(6)/ln(12): f(3 h; 30 min, 6 h, 48 h)


def test_call_and_cues_combine_seventy_thirty(log: LogBuilder) -> None:
    log.inject("encounter-blue", 2 * HOUR)
    log.act("blue", "cues", 2 * HOUR + 10, role="defense")  # answers the destroyer encounter
    log.talk("red", 3 * HOUR, channel="milmil")
    log.inject("encounter-red", 3 * HOUR)
    log.inject("encounter-both", 12 * HOUR)
    card = log.card()
    assert value(card, "blue", "MM") == round(0.7 * 0.4 * F_3H + 0.3 * 50, 1)  # heard red; 1 of 2 encounters answered
    assert value(card, "red", "MM") == round(0.7 * F_3H, 1)  # spoke; 0 of 2
    assert "answered 1 of 2 encounters with a CUES order" in result(card, "blue", "MM").explanation
    assert "Washington only listened" in result(card, "blue", "MM").explanation


def test_a_cues_order_given_before_the_encounter_does_not_answer_it(log: LogBuilder) -> None:
    log.act("blue", "cues", 60, role="defense")
    log.inject("encounter-blue", 2 * HOUR)
    card = log.card()
    assert value(card, "blue", "MM") == 0.0


def test_without_encounters_the_call_alone_counts(log: LogBuilder) -> None:
    call = log.talk("blue", 20, channel="milmil")
    log.say("red", call, 20, intent="Our ships keep their distance.")
    card = log.card()
    assert value(card, "blue", "MM") == round(falloff(20 * 60, DEFAULT_MILMIL_CURVE), 1) == 96.7
    assert value(card, "red", "MM") == 96.7


def test_not_applicable_before_any_military_incident(blank: object, drill: Scenario) -> None:
    log = LogBuilder(drill)
    log.inject("storm", 10)
    card = log.card()
    assert value(card, "blue", "MM") is None
    assert result(card, "blue", "MM").explanation == "No military incident has reached Washington yet."


def test_military_incidents_stand_in_for_encounters_when_none_is_tagged(drill: Scenario) -> None:
    scenario = without_inject_tag(drill, InjectTag.encounter)
    log = LogBuilder(scenario)
    log.inject("trigger", 0)
    log.act("blue", "cues", 10, role="defense")  # answers the trigger, a military incident
    log.inject("encounter-blue", 2 * HOUR)  # still a military incident: unanswered
    line = digest(scenario, log.events)
    assert encounter_tag(line) == "military_incident"
    assert value(log.card(), "blue", "MM") == 15.0  # 0.7·0 (no call) + 0.3·50
