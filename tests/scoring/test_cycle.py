"""RX, OV and AP: answering the other side's escalations without reflex, in proportion, with pauses.

Examples first, then the principles these metrics keep, as properties (hypothesis): provocations that
arrive as injects count as the other side's moves (5); standing measures stay in force (6); a burst of
injects released by a jump starts no response window (8).
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scenario.loader import load_scenario
from app.scenario.schema import Attribution, Scenario
from app.scoring import score
from app.scoring.model import ScoreCard as Card
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import DRILL, HOUR, result, value


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


# --- principle 5: provocations that arrive as injects count ---


def test_an_attributed_provocation_is_the_other_sides_move(log: LogBuilder) -> None:
    log.act("red", "deliberate", 3 * HOUR)
    log.inject("ramming", 3 * HOUR + 30)  # Beijing's cutter rams a trawler: band 3, weight −7
    log.act("blue", "show-of-force", 3 * HOUR + 50)  # a band-3 answer, within the hour, without talking
    card = log.card()
    assert value(card, "blue", "OV") == 100.0  # measured against the ramming, not against nothing
    assert value(card, "blue", "RX") == 0.0  # and it was a reflex
    assert value(card, "blue", "AP") == 0.0
    assert "answered 1 of Beijing's 1 escalation" in result(card, "blue", "RX").explanation
    assert value(card, "red", "OV") == 100.0, "the act an inject reports is not the red team's own conduct"
    assert result(card, "red", "OV").explanation.startswith("Beijing has not escalated")
    assert card.joint.peak_band == 3 and card.joint.spiral_turns == 1


def test_without_the_attribution_the_same_answer_is_an_overshoot(log: LogBuilder, drill: Scenario) -> None:
    plain = drill.model_copy(update={"injects": [i.model_copy(update={"attribution": None}) for i in drill.injects]})
    log.inject("ramming", 3 * HOUR + 30)
    log.act("blue", "show-of-force", 3 * HOUR + 50)
    card = score(plain, log.events)
    assert value(card, "blue", "OV") == 12.5
    assert value(card, "blue", "RX") is None


# --- principle 6: standing measures stay in force ---


def test_a_blockade_in_force_is_not_forgotten_after_a_milder_move(log: LogBuilder) -> None:
    log.act("red", "blockade", 60)  # band 4, in force until lifted
    log.act("red", "condemn", 120)  # band 1: the latest hostile move
    log.act("blue", "blockade", 180)
    card = log.card()
    assert value(card, "blue", "OV") == 100.0, "answered the blockade still in force, not the condemnation"
    log.act("red", "lift-blockade", 200)
    log.act("blue", "strike", 240)  # band 5 against the condemnation (band 1) once the blockade is lifted
    assert value(log.card(), "blue", "OV") == round(100 * 0.5 ** (4 / 2), 1)


def test_a_measure_for_a_time_expires(log: LogBuilder) -> None:
    log.act("red", "sanction", 60)  # band 2, for 12 hours
    log.act("red", "condemn", 70)
    log.act("blue", "sanction", 11 * HOUR)  # still in force: no excess
    assert value(log.card(), "blue", "OV") == 100.0
    log.act("blue", "sanction", 13 * HOUR + 30)  # expired: band 2 against the condemnation's band 1
    assert value(log.card(), "blue", "OV") == round(100 * 0.5**0.5, 1)


def test_an_attributed_act_can_stand_for_a_time(log: LogBuilder) -> None:
    log.inject("ramming", 3 * HOUR + 30)  # in force for six hours
    log.act("red", "condemn", 4 * HOUR)
    log.act("blue", "show-of-force", 8 * HOUR)
    assert value(log.card(), "blue", "OV") == 100.0
    log.act("blue", "show-of-force", 10 * HOUR)
    assert value(log.card(), "blue", "OV") == round(100 * 0.5**1, 1)  # excesses 0 and 2


# --- principle 8: what teams could not answer does not count against them ---


def test_a_provocation_released_by_a_jump_starts_no_reflex_window(log: LogBuilder) -> None:
    log.jump(3 * HOUR + 40)
    log.inject("ramming", 3 * HOUR + 40, cause="jump")
    log.act("blue", "show-of-force", 3 * HOUR + 45)
    card = log.card()
    assert value(card, "blue", "RX") is None and value(card, "blue", "AP") is None
    assert "reported by injects released in a burst — a jump or a late release — not counted" in (
        result(card, "blue", "RX").explanation
    )
    assert value(card, "blue", "OV") == 100.0, "the act still happened: it still sets the band in force"


def test_an_improvised_provocation_attributed_by_the_facilitator_is_that_sides_move(log: LogBuilder) -> None:
    """ "The other side rammed our ship", written ad hoc and attributed to Beijing: Washington's show of force
    20 minutes later answers it (a reflex, no overshoot), as it would a scenario inject's act."""
    log.adhoc(60, Attribution(side="red", band=3, weight=-7))
    log.act("blue", "show-of-force", 80)
    card = log.card()
    assert value(card, "blue", "OV") == 100.0, "no band above the act Beijing is said to have done"
    assert value(card, "blue", "RX") == 0.0, "an escalation within the hour, without talking first"
    assert card.joint.peak_band == 3
    assert "has not escalated" in result(card, "red", "OV").explanation, "the act is not Beijing's own conduct"


def test_an_improvised_inject_without_attribution_is_nobodys_move(log: LogBuilder) -> None:
    log.adhoc(60)
    log.act("blue", "show-of-force", 80)
    card = log.card()
    assert value(card, "blue", "RX") is None, "nothing to answer"
    assert value(card, "blue", "OV") == 12.5, "three bands above a side that did nothing"


# --- the principles as properties ---

SCENARIO = load_scenario(DRILL)
ACTIONS = tuple(action.id for action in SCENARIO.actions)
steps = st.lists(
    st.tuples(st.integers(0, 120), st.sampled_from(("blue", "red")), st.sampled_from(ACTIONS)), max_size=25
)
PROPERTY = settings(max_examples=40, deadline=None)


def replay(scenario: Scenario, moves: list[tuple[int, str, str]], extra: Callable[[LogBuilder, float], None]) -> Card:
    """The drill log with ``moves`` (minutes apart), ``extra`` done at the half-way minute."""
    log = LogBuilder(scenario)
    log.inject("trigger", 0)
    minute, middle = 0.0, sum(delay for delay, _, _ in moves) / 2
    done = False
    for delay, team, action in moves:
        if not done and minute + delay >= middle:
            extra(log, middle)
            done = True
        minute = max(minute + delay, middle if done else 0)
        log.act(team, action, minute)
    if not done:
        extra(log, max(minute, middle))
    return log.card()


def metrics_of(card: Card, team: str, *ids: str) -> tuple[float | None, ...]:
    return tuple(value(card, team, metric) for metric in ids)


@PROPERTY
@given(moves=steps)
def test_principle_5_an_attributed_act_counts_exactly_like_the_same_move(moves: list[tuple[int, str, str]]) -> None:
    """Red's show of force delivered as a scenario inject, as an ad hoc inject the facilitator attributed, or
    taken as a move: Blue's RX, OV and AP are the same."""
    force = SCENARIO.action("show-of-force")
    assert force is not None
    as_inject = Attribution(side="red", band=force.band, weight=force.weight)
    scenario = SCENARIO.model_copy(
        update={
            "injects": [
                i.model_copy(update={"attribution": as_inject if i.id == "ramming" else None}) for i in SCENARIO.injects
            ]
        }
    )
    reported = replay(scenario, moves, lambda log, at: log.inject("ramming", at))
    improvised = replay(scenario, moves, lambda log, at: log.adhoc(at, as_inject))  # written by the facilitator
    moved = replay(scenario, moves, lambda log, at: log.act("red", "show-of-force", at))
    for card in (reported, improvised):
        assert metrics_of(card, "blue", "RX", "OV", "AP") == metrics_of(moved, "blue", "RX", "OV", "AP")
        assert (card.joint.peak_band, card.joint.spiral_turns) == (moved.joint.peak_band, moved.joint.spiral_turns)


@PROPERTY
@given(moves=steps)
def test_principle_6_a_measure_in_force_never_makes_an_answer_look_bigger(moves: list[tuple[int, str, str]]) -> None:
    momentary = SCENARIO.model_copy(
        update={
            "actions": [a.model_copy(update={"duration": None, "lifted_by": []}) for a in SCENARIO.actions],
            "injects": [i.model_copy(update={"attribution": None}) for i in SCENARIO.injects],
        }
    )
    standing = replay(SCENARIO.model_copy(update={"injects": momentary.injects}), moves, lambda log, at: None)
    forgotten = replay(momentary, moves, lambda log, at: None)
    for team in ("blue", "red"):
        assert (value(standing, team, "OV") or 0) >= (value(forgotten, team, "OV") or 0)


@PROPERTY
@given(moves=steps, burst=st.lists(st.sampled_from(("ramming", "storm", "trigger")), min_size=1, max_size=3))
def test_principle_8_a_burst_after_a_jump_changes_no_response_window(
    moves: list[tuple[int, str, str]], burst: list[str]
) -> None:
    def jump(log: LogBuilder, at: float) -> None:
        log.jump(at)
        for inject_id in burst:
            log.inject(inject_id, at, cause="jump")

    with_burst = replay(SCENARIO, moves, jump)
    without = replay(SCENARIO, moves, lambda log, at: log.jump(at))
    for team in ("blue", "red"):
        assert metrics_of(with_burst, team, "RX", "AP", "MR") == metrics_of(without, team, "RX", "AP", "MR")
