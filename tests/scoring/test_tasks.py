"""OBJ: scenario tasks rated P/S/M/U from the log or by an evaluator, and decisions due in a window.

Principle 9: what the log can decide, it rates — who said what of substance, what a team avoided — and
an evaluator can still override it; decisions asked while the clock was paused are timed from the resumption.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.model import ScoreCard, TaskRating
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR, result, value
from tests.scoring.test_properties import random_log, step


def task(card: ScoreCard, team: str, task_id: str) -> TaskRating:
    return next(t for t in card.teams[team].tasks if t.task_id == task_id)


@pytest.mark.parametrize(
    ("minute", "rating"),
    [(60, "P"), (2 * HOUR, "P"), (3 * HOUR, "S"), (4 * HOUR, "S"), (5 * HOUR, "M")],
)
def test_timed_task_rating_follows_the_deadline(log: LogBuilder, minute: int, rating: str) -> None:
    log.talk("blue", minute)  # leaders-talk: within 2 h
    card = log.card()
    assert task(card, "blue", "leaders-talk").rating == rating
    assert task(card, "red", "leaders-talk").rating == rating  # a task for both teams is rated for each


def test_a_task_is_open_until_its_deadline_then_unsatisfactory(log: LogBuilder) -> None:
    log.chat("blue", 60)
    assert task(log.card(), "blue", "leaders-talk").rating is None
    log.chat("blue", 2 * HOUR)
    late = task(log.card(), "blue", "leaders-talk")
    assert late.rating == "U"
    assert late.value == 0.0
    assert late.explanation == "Not done within 2 h of the trigger."


def test_an_agreement_accepted_by_either_side_counts_for_both(log: LogBuilder) -> None:
    log.act("blue", "propose-rules", 30)
    log.act("red", "accept-rules", 90)
    log.end(24 * HOUR)
    card = log.card()
    assert task(card, "blue", "rules-agreed-jointly").rating == "P"  # blue proposed; red's acceptance seals it
    assert task(card, "red", "rules-agreed-jointly").rating == "P"
    assert task(card, "blue", "rules-agreed").rating == "U"  # 'each': blue itself accepted nothing
    assert task(card, "red", "rules-agreed").rating == "P"


def test_channel_contact_on_a_cable_channel_means_sending_one(log: LogBuilder) -> None:
    log.cable("red", 10 * HOUR)
    log.end(24 * HOUR)
    card = log.card()
    assert task(card, "red", "cable-sent").rating == "P"
    assert task(card, "blue", "cable-sent").rating == "U"


def test_no_band_above_is_settled_at_endex_and_needs_activity(log: LogBuilder) -> None:
    log.act("blue", "condemn", 30)
    assert task(log.card(), "blue", "below-force").rating is None
    log.end(24 * HOUR)
    card = log.card()
    assert task(card, "blue", "below-force").rating == "P"
    assert task(card, "red", "below-force").rating == "U"
    assert task(card, "red", "below-force").explanation == "Stayed below band 2 only by doing nothing."


@pytest.mark.parametrize(("action", "rating"), [("show-of-force", "M"), ("blockade", "U")])
def test_going_above_the_band_is_rated_at_once(log: LogBuilder, action: str, rating: str) -> None:
    log.act("blue", action, 30)
    assert task(log.card(), "blue", "below-force").rating == rating


def test_evaluator_tasks_wait_for_a_rating_and_keep_the_rationale(log: LogBuilder) -> None:
    assert task(log.card(), "blue", "judged").rating is None
    log.rate("judged", "S", 60, team="blue", rationale="Facts shared, but no proposal.")
    card = log.card()
    judged = task(card, "blue", "judged")
    assert (judged.rating, judged.value, judged.source) == ("S", 70.0, "evaluator")
    assert judged.rationale == "Facts shared, but no proposal."
    assert task(card, "red", "judged").rating is None  # rated for blue only


def test_an_evaluator_overrides_the_automatic_rating(log: LogBuilder) -> None:
    log.talk("blue", 30)
    log.rate("leaders-talk", "M", 60, rationale="They spoke, but only about the weather.")
    card = log.card()
    assert task(card, "blue", "leaders-talk").rating == "M"
    assert task(card, "red", "leaders-talk").rating == "M"  # no team named: both


def test_decisions_are_due_within_their_window(log: LogBuilder) -> None:
    log.inject("decide-blue", 8 * HOUR)  # window 2 h
    decision = "decision:decide-blue"
    assert task(log.card(), "blue", decision).rating is None
    log.act("blue", "deliberate", 9 * HOUR)
    card = log.card()
    assert task(card, "blue", decision).rating == "P"
    assert decision not in {t.task_id for t in card.teams["red"].tasks}


def test_a_decision_missed_is_unsatisfactory(log: LogBuilder) -> None:
    log.inject("decide-blue", 8 * HOUR)
    log.act("blue", "deliberate", 10 * HOUR + 1)
    assert task(log.card(), "blue", "decision:decide-blue").rating == "U"


def test_obj_is_the_mean_of_rated_critical_tasks(log: LogBuilder) -> None:
    log.act("blue", "cues", 30, role="defense")
    log.talk("blue", 60)
    log.end(24 * HOUR)
    card = log.card()
    # blue: leaders-talk P, defense-talk U, cable-sent U, leaders-exchange M (facts only), cues-early P,
    # rules-agreed U, below-force P, no-blank-cheque P; judged open
    assert value(card, "blue", "OBJ") == round((4 * 100 + 35) / 8, 1)
    # red: leaders-talk P and nothing else; it never acted, so below-force and no-blank-cheque are U
    assert value(card, "red", "OBJ") == round(100 / 8, 1)
    assert task(card, "red", "red-restrains").critical is False
    assert (
        result(card, "blue", "OBJ").explanation
        == "Washington: 4 P, 1 M, 3 U over 8 rated critical tasks and decisions; 1 still open."
    )


def test_obj_not_applicable_while_everything_is_open(blank: object, log: LogBuilder) -> None:
    card = log.card()
    assert value(card, "blue", "OBJ") is None


# --- principle 9: the log proves, so rate it ---


def test_the_exchange_of_facts_intent_and_a_proposal_is_rated_from_the_log(log: LogBuilder) -> None:
    call = log.call("blue", 30)
    log.accept("red", call, 30)
    log.say("blue", call, 40, facts="Our crew is safe.", intent="We will not send ships.")
    exchange = task(log.card(), "blue", "leaders-exchange")
    assert exchange.rating is None and exchange.explanation == "Still to tell the other side a proposal."
    log.write("blue", 60, medium="teletype", proposal="Let our envoys meet tomorrow.")
    card = log.card()
    exchange = task(card, "blue", "leaders-exchange")
    assert (exchange.rating, exchange.source, exchange.automatic) == ("P", "log", True)
    assert exchange.explanation.startswith("Told the other side the facts, its intentions and a proposal 1 h 5 min")
    assert task(card, "red", "leaders-exchange").rating is None  # red has said nothing yet; 6 h to go
    log.end(24 * HOUR)
    assert task(log.card(), "red", "leaders-exchange").rating == "U"


def test_only_some_parts_by_the_end_is_marginal(log: LogBuilder) -> None:
    log.talk("red", 30)  # facts only
    log.end(24 * HOUR)
    exchange = task(log.card(), "red", "leaders-exchange")
    assert exchange.rating == "M"
    assert exchange.explanation == "Told the other side the facts, never its intentions and a proposal."


def test_an_avoided_move_is_rated_at_endex_and_broken_at_once(log: LogBuilder) -> None:
    log.act("blue", "regret", 30)
    assert task(log.card(), "blue", "no-blank-cheque").rating is None
    log.act("red", "endorse", 40)
    assert task(log.card(), "red", "no-blank-cheque").rating == "U"
    log.end(24 * HOUR)
    card = log.card()
    assert task(card, "blue", "no-blank-cheque").rating == "P"
    assert task(card, "red", "no-blank-cheque").explanation == "Took Endorse the partner at T+00:40."


def test_an_evaluator_override_keeps_what_the_log_said(log: LogBuilder) -> None:
    log.act("red", "endorse", 40)
    log.rate("no-blank-cheque", "S", 60, team="red", rationale="The endorsement came with conditions in private.")
    rated = task(log.card(), "red", "no-blank-cheque")
    assert (rated.rating, rated.source, rated.from_log, rated.automatic) == ("S", "evaluator", "U", True)
    assert rated.explanation == "Rated S by an evaluator (the log said U)."
    judged = task(log.card(), "blue", "judged")
    assert (judged.automatic, judged.from_log) == (False, None)


def test_a_decision_asked_while_paused_is_timed_from_the_resumption(log: LogBuilder) -> None:
    log.pause(8 * HOUR)
    log.inject("decide-blue", 8 * HOUR, cause="fire")  # window 2 h
    log.jump(11 * HOUR)  # the facilitator moves the clock on while paused
    log.resume(11 * HOUR)
    log.act("blue", "deliberate", 12 * HOUR)  # 4 h after the release, 1 h after play resumed
    assert task(log.card(), "blue", "decision:decide-blue").rating == "P"


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(step, max_size=60))
def test_after_endex_every_task_the_log_can_decide_is_rated(steps: list[tuple[int, str, str, int]]) -> None:
    card = random_log(steps, ended=True).card()
    for team in card.teams.values():
        for rated in team.tasks:
            if rated.automatic:
                assert rated.rating is not None, rated
            else:
                assert rated.source == "evaluator" or rated.rating is None
