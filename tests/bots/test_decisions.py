"""How the policies decide, driven event by event without a server: what the seat may use, and what
each policy does about an escalation, a proposal and a call."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from app.bots.catalog import TeamCatalog
from app.bots.policies import make_policy
from app.bots.policy import Command, Policy
from app.engine.principal import Principal
from app.realtime.snapshot import scenario_view
from app.scenario.loader import load_scenario
from app.scenario.schema import CatalogAction, Scenario
from tests.bots.helpers import MINI

SEQ = itertools.count(100)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(MINI)


def hello(scenario: Scenario, team: str, roles: set[str]) -> dict[str, Any]:
    principal = Principal(kind="player", seat_id="seat", team=team, roles=frozenset(roles))
    return {
        "you": {"kind": "player", "team": team, "roles": sorted(roles)},
        "snapshot": {"scenario": scenario_view(scenario, principal)},
    }


def team_catalog(scenario: Scenario, team: str = "blue") -> TeamCatalog:
    return TeamCatalog.from_hello(hello(scenario, team, {role.id for role in scenario.team(team).roles}))


def event(kind: str, at: float, team: str | None = None, **payload: Any) -> dict[str, Any]:
    actor = {"kind": "player" if team else "system", "team": team, "role": None}
    return {"seq": next(SEQ), "type": kind, "scenario_time": at, "actor": actor, "payload": payload}


def move(scenario: Scenario, action_id: str, at: float, team: str = "red") -> dict[str, Any]:
    action = scenario.action(action_id)
    assert action is not None
    return event(
        "action_taken",
        at,
        team,
        action_id=action.id,
        label=action.label,
        weight=action.weight,
        band=action.band,
        visibility=action.visibility.value,
        tags=[tag.value for tag in action.tags],
    )


def run_until(policy: Policy, now: float) -> list[Command]:
    """Everything the policy would send by ``now`` (as the player would, minus the server)."""
    policy.situation.now = max(policy.situation.now, now)
    sent: list[Command] = []
    while (plan := policy.pop_due(now)) is not None:
        sent.extend(plan.run())
    return sent


def taken(commands: list[Command], scenario: Scenario) -> list[CatalogAction]:
    return [a for c in commands if c["type"] == "take_action" and (a := scenario.action(c["action_id"])) is not None]


def test_a_team_seat_may_use_every_role_and_its_channels(scenario: Scenario) -> None:
    catalog = team_catalog(scenario)
    assert {a.id for a in catalog.actions} == {a.id for a in scenario.actions}
    assert (catalog.leader_line, catalog.military_line) == ("hotline", "milmil")
    assert catalog.can_cable and catalog.can_speak_publicly


def test_a_role_seat_is_limited_to_its_roles_actions_and_channels(scenario: Scenario) -> None:
    catalog = TeamCatalog.from_hello(hello(scenario, "blue", {"defense"}))
    assert all(not a.roles or "defense" in a.roles for a in catalog.actions)
    assert "blockade" not in {a.id for a in catalog.actions}  # a leader's move
    assert catalog.leader_line is None and catalog.military_line == "milmil"
    assert not catalog.can_cable and not catalog.can_speak_publicly


def test_an_acceptance_is_matched_to_the_proposal_by_its_words() -> None:
    def action(action_id: str, tags: list[str]) -> CatalogAction:
        label = action_id.replace("-", " ")
        return CatalogAction(
            id=action_id, label=label, weight=5, band=0, channel="cable", visibility="public", tags=tags
        )

    accepts = [action("accept-joint-inquiry", ["acceptance"]), action("accept-crisis-line", ["acceptance"])]
    catalog = TeamCatalog("blue", "red", frozenset(), tuple(accepts), (), {}, 3600.0)
    assert catalog.acceptance_for("propose-crisis-line Propose a crisis line") == accepts[1]
    assert catalog.acceptance_for("propose-crisis-line", taken=["accept-crisis-line"]) == accepts[0]


def test_tft_deliberates_first_and_answers_in_the_same_band_half_an_hour_later(scenario: Scenario) -> None:
    tft = make_policy("tft", team_catalog(scenario), seed=1)
    tft.observe(move(scenario, "show-of-force", 3600))
    first = run_until(tft, 3600)
    assert [c["type"] for c in first][:2] == ["take_action", "take_action"]
    assert {a.id for a in taken(first, scenario)} == {"consult", "verify"}  # deliberation and verification
    assert {"send_cable", "call_request"} <= {c["type"] for c in first}
    assert run_until(tft, 3600 + 29 * 60) == []
    reply = taken(run_until(tft, 3600 + 30 * 60), scenario)
    assert [(a.band, a.weight <= -4) for a in reply] == [(3, True)]


def test_tft_forgives_when_the_other_side_turns_cooperative_before_it_answers(scenario: Scenario) -> None:
    tft = make_policy("tft", team_catalog(scenario), seed=1)
    tft.observe(move(scenario, "show-of-force", 3600))
    run_until(tft, 3600)
    tft.observe(move(scenario, "apologise", 3600 + 10 * 60))
    later = taken(run_until(tft, 3600 + 60 * 60), scenario)
    assert later and all(a.weight > 0 for a in later)


def test_grit_never_answers_escalation_with_escalation(scenario: Scenario) -> None:
    grit = make_policy("grit", team_catalog(scenario), seed=1)
    grit.observe(move(scenario, "blockade", 3600))
    sent = run_until(grit, 6 * 3600)
    assert all(a.weight > -4 for a in taken(sent, scenario))
    assert "publish_statement" in {c["type"] for c in sent} and "call_request" in {c["type"] for c in sent}


def test_hawk_goes_one_band_above_the_move_it_answers(scenario: Scenario) -> None:
    hawk = make_policy("hawk", team_catalog(scenario), seed=1)
    hawk.observe(move(scenario, "show-of-force", 3600))
    strike = taken(run_until(hawk, 3600 + 10 * 60), scenario)
    assert [(a.id, a.band) for a in strike] == [("blockade", 4)]
    hawk.observe(
        event("call_requested", 3600, "red", call_id="call-1", channel="hotline", from_team="red", to_team="blue")
    )
    assert run_until(hawk, 3600 + 20 * 60) == [{"type": "call_decline", "call_id": "call-1"}]


def test_a_dove_concedes_to_a_threat_and_a_null_team_ignores_it(scenario: Scenario) -> None:
    dove = make_policy("dove", team_catalog(scenario), seed=1)
    null = make_policy("null", team_catalog(scenario), seed=1)
    for policy in (dove, null):
        policy.observe(move(scenario, "show-of-force", 3600))
    conceded = run_until(dove, 3600)
    assert "publish_statement" in {c["type"] for c in conceded}
    assert [a.id for a in taken(conceded, scenario)] == ["apologise"]
    assert run_until(null, 48 * 3600) == []


def pressure(at: float, value: float, previous: float, team: str = "blue") -> dict[str, Any]:
    changed = event("pressure_changed", at)
    changed["payload"] = {"team": team, "value": value, "previous": previous}
    return changed


def test_hawk_gives_in_to_pressure_within_minutes(scenario: Scenario) -> None:
    hawk = make_policy("hawk", team_catalog(scenario), seed=1)
    hawk.observe(pressure(3600, 35, 30))
    assert run_until(hawk, 3600 + 30 * 60) == [], "below 40 the pressure alone does not move it"
    hawk.observe(pressure(2 * 3600, 48, 35))
    strike = taken(run_until(hawk, 2 * 3600 + 2 * 60), scenario)
    assert len(strike) == 1 and strike[0].weight <= -4
    # Under pressure it also answers the other side's move in two minutes, not ten.
    hawk.observe(move(scenario, "show-of-force", 3 * 3600))
    assert len(taken(run_until(hawk, 3 * 3600 + 2 * 60), scenario)) == 1


def test_grit_resists_pressure_with_a_calming_word_and_no_escalation(scenario: Scenario) -> None:
    grit = make_policy("grit", team_catalog(scenario), seed=1)
    grit.observe(pressure(3600, 55, 40))
    grit.observe(pressure(3600 + 60, 62, 55))  # within the hour: one statement, not two
    sent = run_until(grit, 3600 + 10 * 60)
    statements = [c for c in sent if c["type"] == "publish_statement"]
    assert len(statements) == 1 and "will not be rushed" in statements[0]["text"]
    assert all(a.weight > -4 for a in taken(sent, scenario))
