"""The activity gate, the team score's pro-rata weighting, and the joint score Φ · JT · bonus.

Principle 7 as examples and a property: a peak is paid for heavily, but what follows it still counts,
and no score is 0 unless a team did nothing at all.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scenario.loader import load_scenario
from app.scenario.schema import METRIC_IDS, Scenario, ScoringParams
from app.scoring.catalog import result as metric
from app.scoring.curves import falloff
from app.scoring.joint import joint_score, phi
from app.scoring.model import MetricResult
from app.scoring.prevention import deals
from app.scoring.team import weighted_score
from app.scoring.timeline import digest
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import DRILL, HOUR, value

# --- the activity gate ---


def test_chat_and_ringing_do_not_open_the_gate(log: LogBuilder) -> None:
    log.chat("blue", 10)
    log.miss(log.call("blue", 20), 30)
    log.talk("red", 40, substantive=False)
    assert log.card().teams["blue"].gate == 0.0


@pytest.mark.parametrize("how", ["action", "cable", "statement", "substantive call message"])
def test_substantive_actions_open_the_gate(log: LogBuilder, how: str) -> None:
    if how == "action":
        log.act("blue", "deliberate", 10)
    elif how == "cable":
        log.cable("blue", 10)
    elif how == "statement":
        log.statement("blue", 10)
    else:
        call = log.call("red", 10)
        log.accept("blue", call, 10)
        log.say("blue", call, 11, intent="We will hold our fire.")
    assert log.card().teams["blue"].gate == 1.0


def test_the_gate_scales_restraint_metrics_by_activity_per_decision(log: LogBuilder) -> None:
    log.inject("decide-blue", 8 * HOUR)
    log.inject("decide-both", 10 * HOUR)
    log.act("red", "show-of-force", 10 * HOUR + 5)
    log.act("blue", "regret", 10 * HOUR + 10)  # one substantive action for two decisions
    card = log.card()
    assert card.teams["blue"].gate == 0.5
    assert value(card, "blue", "RX") == 50.0
    assert value(card, "blue", "OV") == 50.0
    assert value(card, "blue", "GO") == 50.0
    assert value(card, "blue", "MR") == 50.0
    assert value(card, "blue", "AP") == 100.0  # earned by acting: not gated


def test_an_explanation_says_when_the_gate_lowered_the_value(log: LogBuilder) -> None:
    log.inject("decide-blue", 8 * HOUR)
    log.inject("decide-both", 10 * HOUR)
    log.act("blue", "regret", 10 * HOUR + 10)  # one substantive action for two decisions; never escalates
    card = log.card()
    overshoot = card.teams["blue"].metrics["OV"]
    assert overshoot.value == 50.0
    assert overshoot.explanation == (
        "Washington has not escalated; that is 100.0 before the activity gate, which lowered it to 50.0"
        " (1 substantive action for 2 decision injects: doing little must not score well)."
    )
    red = card.teams["red"].metrics["OV"]
    assert "activity gate" not in card.teams["blue"].metrics["AP"].explanation
    assert red.value == 0.0 and "lowered it to 0.0" in red.explanation


def test_a_team_that_does_nothing_scores_zero(log: LogBuilder) -> None:
    log.inject("storm", 4 * HOUR)
    log.inject("ally", 6 * HOUR)
    log.inject("decide-both", 10 * HOUR)
    log.act("red", "show-of-force", 10 * HOUR + 5)
    log.miss(log.call("red", 10 * HOUR + 10), 10 * HOUR + 20)
    log.end(24 * HOUR)
    card = log.card()
    blue = card.teams["blue"]
    assert blue.score == 0.0
    assert all(m.value in (None, 0.0) for m in blue.metrics.values())


# --- the team score ---


def metrics(**values: float | None) -> dict[str, MetricResult]:
    return {m: metric(m, values.get(m), "test") for m in METRIC_IDS}


def test_not_applicable_weights_are_spread_pro_rata() -> None:
    params = ScoringParams()
    assert weighted_score(metrics(LC=100, OBJ=0), params) == round(100 * 0.15 / 0.40, 1)
    everything = {m: 80.0 for m in METRIC_IDS}
    assert weighted_score(metrics(**everything), params) == 80.0
    assert weighted_score(metrics(**{**everything, "TP": None, "MM": None}), params) == 80.0
    assert weighted_score(metrics(), params) == 0.0


def test_a_scenario_overrides_weights_one_by_one() -> None:
    params = ScoringParams(weights={"LC": 0.5})
    assert weighted_score(metrics(LC=100, OBJ=0), params) == round(100 * 0.5 / 0.75, 1)


# --- the joint score ---


@pytest.mark.parametrize(("band", "factor"), [(0, 1.0), (2, 1.0), (3, 0.9), (4, 0.7), (5, 0.4), (6, 0.15)])
def test_phi_falls_with_the_peak_band(band: int, factor: float) -> None:
    assert phi(band) == factor


def test_joint_score_formula(log: LogBuilder) -> None:
    log.act("blue", "show-of-force", 30)
    log.act("red", "show-of-force", 40)  # a spiral turn
    log.act("blue", "cues", 50, role="defense")
    log.act("red", "cues", 60, role="defense")
    line = digest(log.scenario, log.events)
    joint = joint_score(line, {"blue": 64.0, "red": 81.0}, deals(line))
    assert (joint.peak_band, joint.phi, joint.spiral_turns, joint.exchanges) == (3, 0.9, 1, 3)
    assert joint.jt == round(100 * (1 - 1 / 3), 1)
    assert joint.bonus == 0.0
    assert joint.value == round(72 * 0.9 * (0.8 + 0.2 * (2 / 3)), 1)


def test_bonuses_for_early_contact_and_agreed_de_escalation(log: LogBuilder) -> None:
    log.talk("blue", 11 * HOUR)
    log.act("blue", "propose-talks", 11 * HOUR + 10, role="diplomacy")
    log.act("red", "accept-talks", 11 * HOUR + 20, role="diplomacy")  # the proposal is tagged de_escalation
    line = digest(log.scenario, log.events)
    joint = joint_score(line, {"blue": 50.0, "red": 50.0}, deals(line))
    assert joint.bonus == 10.0
    assert joint.value == 50.0 + 10.0
    assert "jointly agreed de-escalation" in joint.explanation


def test_both_sides_de_escalating_counts_as_agreed(log: LogBuilder) -> None:
    log.act("blue", "regret", 30)
    line = digest(log.scenario, log.events)
    assert joint_score(line, {"blue": 40.0, "red": 40.0}, deals(line)).bonus == 0.0
    log.act("red", "pull-back", 40, role="defense")
    line = digest(log.scenario, log.events)
    assert joint_score(line, {"blue": 40.0, "red": 40.0}, deals(line)).bonus == 5.0


def test_late_contact_earns_no_bonus_and_the_joint_score_is_capped(log: LogBuilder) -> None:
    log.talk("blue", 13 * HOUR)
    log.act("blue", "regret", 13 * HOUR + 10)
    log.act("red", "regret", 13 * HOUR + 20)
    line = digest(log.scenario, log.events)
    joint = joint_score(line, {"blue": 100.0, "red": 100.0}, deals(line))
    assert joint.bonus == 5.0
    assert joint.value == 100.0


def test_one_passive_team_sinks_the_joint_score(log: LogBuilder) -> None:
    log.act("blue", "regret", 10)
    log.act("blue", "cues", 20, role="defense")
    card = log.card()
    assert card.teams["red"].score == 0.0
    assert card.joint.value == 0.0
    assert math.isclose(card.joint.phi, 1.0)


# --- principle 7: no hard zeros that erase differences ---


def nuclear_crisis(log: LogBuilder, *, resolved: bool) -> None:
    """Both sides climb to a nuclear alert; then they either agree and stand down within a day, or fight on."""
    log.talk("blue", 20)
    log.act("red", "show-of-force", 60)
    log.act("blue", "blockade", 90)
    log.act("red", "nuclear-alert", 2 * HOUR)
    if resolved:
        log.act("blue", "propose-talks", 3 * HOUR, role="diplomacy")
        log.act("red", "accept-talks", 4 * HOUR, role="diplomacy")
        log.act("red", "stand-down", 6 * HOUR)
        log.act("blue", "lift-blockade", 8 * HOUR)
    else:
        log.act("blue", "strike", 3 * HOUR)
        log.act("red", "strike", 4 * HOUR)
    log.end(24 * HOUR)


def test_two_crises_that_touch_band_six_are_told_apart_by_what_follows(drill: Scenario) -> None:
    agreed, war = LogBuilder(drill), LogBuilder(drill)
    for log, resolved in ((agreed, True), (war, False)):
        log.inject("trigger", 0)
        nuclear_crisis(log, resolved=resolved)
    settled, fought = agreed.card().joint, war.card().joint
    assert settled.peak_band == fought.peak_band == 6
    assert fought.phi == 0.15 and fought.left_peak_at is None and fought.final_band == 6
    assert settled.left_peak_at == 6 * HOUR * 60 and settled.final_band == 0
    quick = falloff(4 * 3600, ScoringParams().peak_recovery) / 100  # the alert stood four hours
    assert settled.phi == round(0.15 + 0.85 * 0.5 * (0.5 + 0.5 * quick), 3)
    assert "left 4 h after it was reached and by a jointly agreed de-escalation" in settled.explanation
    assert fought.value > 0
    assert settled.value > 2 * fought.value


steps = st.lists(
    st.tuples(
        st.integers(0, 90),
        st.sampled_from(("blue", "red")),
        st.sampled_from((*(action.id for action in load_scenario(DRILL).actions), "cable", "letter", "chat")),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(moves=steps, releases=st.lists(st.sampled_from(("decide-blue", "decide-both", "storm", "ramming")), max_size=6))
def test_principle_7_nothing_scores_zero_but_total_inactivity(
    moves: list[tuple[int, str, str]], releases: list[str]
) -> None:
    log = LogBuilder(load_scenario(DRILL))
    log.inject("trigger", 0)
    minute = 0.0
    for inject_id in releases:
        log.inject(inject_id, minute)
    active: set[str] = set()
    letters: list[str] = []
    for delay, team, what in moves:
        minute += delay
        if what == "cable":
            log.cable(team, minute)
        elif what == "letter":
            letters.append(log.send_letter(team, minute, facts="What we know."))
        elif what == "chat":
            log.chat(team, minute)
            continue
        else:
            log.act(team, what, minute)
        active.add(team)
    for letter_id in letters:  # every letter arrives, at the end at the latest
        log.deliver(letter_id, max(log.events[-1].scenario_time / 60, minute) + 5)
    card = log.card()
    for team in ("blue", "red"):
        assert (card.teams[team].score > 0) == (team in active)
    assert (card.joint.value > 0) == (active == {"blue", "red"})


def test_a_letter_to_a_team_that_does_nothing_earns_no_joint_bonus(log: LogBuilder) -> None:
    log.write("blue", 30, medium="teletype", facts="Our crew is safe.")
    card = log.card()
    assert card.teams["red"].score == 0.0
    assert card.joint.value == 0.0 and card.joint.bonus == 0.0, "contact takes two: one side writing is not it"
    log.write("red", 60, medium="teletype", intent="We will not escalate.")
    assert log.card().joint.bonus == 5.0
