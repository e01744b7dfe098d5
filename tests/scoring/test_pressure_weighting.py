"""MR and RX under domestic pressure: each chance to answer in reflex counts 1 + p/100 (docs/scoring.md,
principle 10), so holding back under high pressure earns more than holding back under none."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scenario.schema import Scenario
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR, value

STORM = 4 * HOUR


def with_media(drill: Scenario, **pressure: float) -> Scenario:
    data = drill.model_dump(mode="json")
    data["media"] = {"pressure": {"answer": 0, **pressure}}
    return Scenario.model_validate(data)


def media_reflex(scenario: Scenario, reflex_after: float) -> float | None:
    log = LogBuilder(scenario)
    log.inject("trigger", 0)
    if reflex_after < STORM:
        log.act("blue", "condemn", reflex_after)
    log.inject("storm", STORM)
    if reflex_after > STORM:
        log.act("blue", "condemn", reflex_after)
    log.act("blue", "verify", STORM + 2 * HOUR)  # keeps the activity gate open the same way in both logs
    return value(log.card(), "blue", "MR")


@settings(max_examples=40, deadline=None)
@given(start=st.floats(min_value=0, max_value=100), push=st.floats(min_value=0.5, max_value=50))
def test_holding_back_under_higher_pressure_earns_at_least_as_much(drill: Scenario, start: float, push: float) -> None:
    pressured = with_media(drill, start=start, media_inject=push)
    held_late = media_reflex(pressured, reflex_after=20)  # answered the trigger, held back at the storm
    held_early = media_reflex(pressured, reflex_after=STORM + 20)  # held back at the trigger, answered the storm
    no_pressure = media_reflex(drill, reflex_after=20)
    assert held_late is not None and held_early is not None and no_pressure is not None
    assert held_late >= no_pressure >= held_early
    # The storm found blue under more pressure than the trigger did, by a point or more: a smaller
    # difference can vanish in the card's rounding to one decimal (99.9 against 100 gives 50.0 both ways).
    if min(100.0, start + 2 * push) - (start + push) >= 1:
        assert held_late > held_early


def test_worked_example_of_the_docs(drill: Scenario) -> None:
    # Pressure 20 at the start, +30 per media inject: 50 at the trigger, 80 at the storm. Blue answers the
    # trigger in reflex and holds back at the storm: MR = 100 · 1.8 / (1.5 + 1.8) = 54.5, not 50.
    scenario = with_media(drill, start=20, media_inject=30)
    assert media_reflex(scenario, reflex_after=20) == 54.5
    assert media_reflex(scenario, reflex_after=STORM + 20) == 45.5


def reflexive_escalation(scenario: Scenario, answer_first: bool) -> float | None:
    """Red escalates twice, blue answers one of them at once with an escalation of its own."""
    log = LogBuilder(scenario)
    log.inject("trigger", 0)
    log.act("red", "show-of-force", 60)
    if answer_first:
        log.act("blue", "demand", 70)
    log.act("red", "show-of-force", 4 * HOUR)
    if not answer_first:
        log.act("blue", "demand", 4 * HOUR + 10)
    log.act("blue", "verify", 6 * HOUR)
    return value(log.card(), "blue", "RX")


@settings(max_examples=30, deadline=None)
@given(start=st.floats(min_value=0, max_value=60), per_weight=st.floats(min_value=0.5, max_value=5))
def test_rx_holding_back_under_higher_pressure_earns_at_least_as_much(
    drill: Scenario, start: float, per_weight: float
) -> None:
    pressured = with_media(drill, start=start, hostile_move=per_weight)
    held_late = reflexive_escalation(pressured, answer_first=True)
    held_early = reflexive_escalation(pressured, answer_first=False)
    no_pressure = reflexive_escalation(drill, answer_first=True)
    assert held_late is not None and held_early is not None and no_pressure is not None
    assert held_late >= no_pressure >= held_early
