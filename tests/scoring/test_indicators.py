"""Shown but not scored: Richardson reactivity, restraint, public threats, time to the resolution phase."""

from __future__ import annotations

from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import HOUR


def test_reactivity_is_the_slope_of_hostility_against_the_others_previous_hour(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 10)  # red hour 0: 7.2
    log.act("blue", "show-of-force", HOUR + 10)  # blue hour 1 answers it in kind
    log.act("red", "demand", 2 * HOUR + 10)  # red hour 2: 5
    log.act("blue", "demand", 3 * HOUR + 10)  # blue hour 3: 5
    log.end(4 * HOUR + 10)
    card = log.card()
    assert card.teams["blue"].indicators["richardson_reactivity"] == 1.0
    # red's hostility follows blue's only in part: pairs (0, 0), (7.2, 5), (0, 0), (5, 0)
    assert card.teams["red"].indicators["richardson_reactivity"] == 0.524


def test_reactivity_needs_the_other_side_to_vary(log: LogBuilder) -> None:
    log.act("blue", "demand", 30)
    log.end(5 * HOUR)
    assert log.card().teams["blue"].indicators["richardson_reactivity"] is None


def test_restraint_is_the_share_of_escalations_left_unanswered(log: LogBuilder) -> None:
    log.act("red", "show-of-force", 30)
    log.act("blue", "demand", 40)  # answered within the hour
    log.act("red", "sanction", 3 * HOUR)  # left unanswered
    card = log.card()
    assert card.teams["blue"].indicators["restraint"] == 0.5
    assert card.teams["red"].indicators["restraint"] == 1.0


def test_public_threat_share(log: LogBuilder) -> None:
    log.act("blue", "demand", 30)
    log.act("blue", "warn-privately", 40, role="diplomacy")
    card = log.card()
    assert card.teams["blue"].indicators["public_threat_share"] == 0.5
    assert card.teams["red"].indicators["public_threat_share"] is None
    assert card.teams["blue"].indicators["escalations"] == 2


def test_resolution_phase_starts_in_the_first_hour_both_sides_cooperate_more_than_they_clash(log: LogBuilder) -> None:
    log.act("blue", "regret", 30)  # hour 0: only blue
    log.act("red", "pull-back", HOUR + 10, role="defense")
    log.act("red", "condemn", HOUR + 20)  # hour 1: red's cooperation does not outnumber its hostility
    log.act("blue", "regret", HOUR + 30)
    assert log.card().resolution_time is None
    log.act("red", "pull-back", 2 * HOUR + 10, role="defense")
    log.act("blue", "pull-back", 2 * HOUR + 20, role="defense")
    assert log.card().resolution_time == 2 * 3600
