"""PC: preventive mechanisms used, proposed (half until accepted) and agreed; and how offers pair up."""

from __future__ import annotations

from app.scoring.prevention import deals, mechanism_key
from app.scoring.timeline import digest
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import result, value


def test_a_mechanism_used_counts_one(log: LogBuilder) -> None:
    log.act("blue", "patrol-code", 30, role="defense")
    assert value(log.card(), "blue", "PC") == 33.3


def test_a_proposal_counts_half_until_accepted(log: LogBuilder) -> None:
    log.act("blue", "propose-rules", 30, role="diplomacy")
    card = log.card()
    assert value(card, "blue", "PC") == 16.7
    assert value(card, "red", "PC") == 0.0
    log.act("red", "accept-rules", 60, role="diplomacy")
    card = log.card()
    assert value(card, "blue", "PC") == 33.3
    assert value(card, "red", "PC") == 33.3
    assert "1 agreed" in result(card, "red", "PC").explanation


def test_repeating_a_proposal_adds_nothing(log: LogBuilder) -> None:
    for minute in (30, 40, 50):
        log.act("blue", "propose-rules", minute, role="diplomacy")
    assert value(log.card(), "blue", "PC") == 16.7


def test_three_mechanisms_earn_full_marks(log: LogBuilder) -> None:
    log.act("blue", "patrol-code", 10, role="defense")
    log.act("blue", "propose-rules", 20, role="diplomacy")
    log.act("blue", "propose-notification", 30, role="diplomacy")
    log.act("red", "accept-notification", 40, role="diplomacy")
    log.act("red", "accept-rules", 50, role="diplomacy")
    card = log.card()
    assert value(card, "blue", "PC") == 100.0
    assert value(card, "red", "PC") == 66.7


def test_accepting_with_nothing_on_the_table_counts_half(log: LogBuilder) -> None:
    log.act("red", "accept-rules", 40, role="diplomacy")
    assert value(log.card(), "red", "PC") == 16.7


def test_an_acceptance_takes_the_matching_proposal_else_the_oldest(log: LogBuilder) -> None:
    log.act("blue", "propose-talks", 10, role="diplomacy")
    log.act("blue", "propose-rules", 20, role="diplomacy")
    log.act("red", "accept-rules", 30, role="diplomacy")
    log.act("red", "accept-notification", 40, role="diplomacy")  # nothing matches: takes the oldest, the talks
    found = deals(digest(log.scenario, log.events))
    assert [(d.proposal.action_id, d.acceptance.action_id) for d in found.agreements] == [
        ("propose-rules", "accept-rules"),
        ("propose-talks", "accept-notification"),
    ]
    assert mechanism_key("propose-rules") == mechanism_key("accept-rules") == "rules"


def test_proposals_that_are_not_preventive_do_not_count(log: LogBuilder) -> None:
    log.act("blue", "propose-talks", 10, role="diplomacy")
    log.act("red", "accept-talks", 20, role="diplomacy")
    card = log.card()
    assert value(card, "blue", "PC") == 0.0
    assert value(card, "red", "PC") == 0.0
