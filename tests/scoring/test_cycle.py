"""RX, OV and AP: answering the other side's escalations without reflex, in proportion, with pauses."""

from __future__ import annotations

from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import result, value


def test_an_immediate_escalation_is_a_reflex(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("blue", "show-of-force", 90)
    card = log.card()
    assert value(card, "blue", "RX") == 0.0
    assert result(card, "blue", "RX").evidence == [5, 6]
    assert "answered 1 of Beijing's 1 escalation" in result(card, "blue", "RX").explanation


def test_deliberating_first_is_not_a_reflex(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("blue", "deliberate", 70)
    log.act("blue", "show-of-force", 90)
    assert value(log.card(), "blue", "RX") == 100.0


def test_talking_to_the_other_side_first_is_not_a_reflex(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.talk("red", 70, substantive=False)
    log.act("blue", "show-of-force", 90)
    assert value(log.card(), "blue", "RX") == 100.0


def test_team_chat_is_not_deliberation(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.chat("blue", 70)
    log.act("blue", "show-of-force", 90)
    assert value(log.card(), "blue", "RX") == 0.0


def test_an_answer_after_the_window_is_not_a_reflex(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("blue", "show-of-force", 125)
    assert value(log.card(), "blue", "RX") == 100.0


def test_each_reply_answers_the_latest_provocation(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("red", "demand", 100)
    log.act("blue", "sanction", 110)
    assert value(log.card(), "blue", "RX") == 50.0


def test_reflexes_are_not_applicable_when_the_other_side_never_escalated(log: LogBuilder) -> None:
    log.act("blue", "show-of-force", 30)
    card = log.card()
    assert value(card, "blue", "RX") is None
    assert value(card, "blue", "AP") is None
    assert result(card, "blue", "RX").explanation == "Beijing has not escalated, so Washington had nothing to answer."


def test_same_band_reply_does_not_overshoot(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("blue", "show-of-force", 100)
    card = log.card()
    assert value(card, "blue", "OV") == 100.0
    assert value(card, "red", "OV") == 12.5  # band 3 with nothing to answer: excess 3 → 100·2⁻³


def test_one_band_up_halves_overshoot(log: LogBuilder) -> None:
    log.act("red", "demand", 60)
    log.act("blue", "sanction", 100)
    card = log.card()
    assert value(card, "blue", "OV") == 50.0
    assert value(card, "red", "OV") == 50.0  # an unprovoked band-1 demand is one band above nothing


def test_a_reply_is_measured_against_the_latest_hostile_move_even_if_mild(log: LogBuilder) -> None:
    log.act("red", "condemn", 60)  # weight −2: hostile, not escalatory
    log.act("blue", "demand", 100)  # band 1 against band 1
    assert value(log.card(), "blue", "OV") == 100.0


def test_first_into_coercive_force_costs_forty_percent(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("blue", "blockade", 100)
    card = log.card()
    assert value(card, "blue", "OV") == 30.0  # excess 1 → 50, then ×0.6
    assert "first to use coercive force (band 4), ×0.6" in result(card, "blue", "OV").explanation
    log.act("red", "blockade", 120)
    assert value(log.card(), "red", "OV") == 35.4  # excesses 3 and 0 → mean 1.5 → 100·2^−1.5; not first


def test_a_team_that_never_escalates_does_not_overshoot(log: LogBuilder) -> None:
    log.act("blue", "regret", 30)
    assert value(log.card(), "blue", "OV") == 100.0


def test_talking_after_an_escalation_is_an_active_pause(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.cable("blue", 80)
    card = log.card()
    assert value(card, "blue", "AP") == 100.0
    assert "active pause after 1 of Beijing's 1 escalation" in result(card, "blue", "AP").explanation


def test_a_cooperative_move_is_an_active_pause(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.act("blue", "regret", 90)
    assert value(log.card(), "blue", "AP") == 100.0


def test_escalating_inside_the_window_spoils_the_pause(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.cable("blue", 80)
    log.act("blue", "show-of-force", 110)
    assert value(log.card(), "blue", "AP") == 0.0


def test_silence_is_not_a_pause(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 60)
    log.cable("blue", 130)  # after the window
    log.act("red", "demand", 300)
    assert value(log.card(), "blue", "AP") == 0.0
