"""The bundled scenario: valid, complete, and exercising every part of the format the engine relies on."""

from __future__ import annotations

from typing import get_args

import pytest

from app.scenario.schema import (
    ActionTag,
    ActionTaken,
    BandReached,
    ChannelKind,
    InjectReleased,
    InjectTag,
    NoContact,
    PressureReached,
    Scenario,
    ScoringParams,
    TaskCheck,
    Visibility,
)
from app.scenario.validate import load_and_lint, validate_paths
from tests.scenario.helpers import FIXTURES, PROJECT

PATH = PROJECT / "injects" / "incident-at-sea.yaml"
ROLES = ["leader", "defense", "diplomacy", "intelligence", "press"]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_and_lint(PATH)


def test_bundled_scenario_and_mini_fixture_have_no_problems() -> None:
    assert validate_paths([PATH, FIXTURES / "mini.yaml"]) == []


def test_teams_roles_and_channels_other_code_relies_on(scenario: Scenario) -> None:
    assert [(team.id, team.name) for team in scenario.teams] == [("blue", "Washington"), ("red", "Beijing")]
    for team in scenario.teams:
        assert [role.id for role in team.roles] == ROLES
        held = {role.id: role.channels for role in team.roles}
        assert held["leader"] == ["hotline", "public"]
        assert (held["defense"], held["diplomacy"], held["press"]) == (["milmil"], ["cable"], ["public"])
    kinds = {channel.id: channel.kind for channel in scenario.channels}
    assert kinds == {
        **dict.fromkeys(["intel", "news", "social", "diplomatic", "military"], ChannelKind.feed),
        "hotline": ChannelKind.call,
        "milmil": ChannelKind.call,
        "cable": ChannelKind.cable,
        "public": ChannelKind.statement,
        "chat": ChannelKind.chat,
    }


def test_timing_fits_about_three_hours_of_wall_time(scenario: Scenario) -> None:
    assert scenario.end == 48 * 3600
    assert scenario.default_compression == 16
    timed = [inject.at for inject in scenario.injects if inject.at is not None]
    assert timed == sorted(timed)  # the MSEL reads in order
    assert max(timed) < scenario.end


def test_msel_uses_every_inject_feature(scenario: Scenario) -> None:
    injects = scenario.injects
    assert 20 <= len(injects) <= 32  # 30, and the two pressure contingencies of the media world
    assert {tag for inject in injects for tag in inject.tags} == set(InjectTag)
    assert [inject.id for inject in injects if InjectTag.trigger in inject.tags] == ["collision"]
    conditions = {type(inject.condition) for inject in injects if inject.condition is not None}
    assert conditions == {NoContact, ActionTaken, InjectReleased, BandReached, PressureReached}
    decisions = [inject for inject in injects if InjectTag.decision in inject.tags]
    assert decisions
    assert all(inject.decision_window for inject in decisions)
    audiences = {
        "all" if inject.audience == "all" else ("list" if len(inject.audience) > 1 else "one") for inject in injects
    }
    assert audiences == {"all", "list", "one"}
    with_notes = [inject for inject in injects if inject.notes and inject.expected_actions]
    assert len(with_notes) >= 0.8 * len(injects)


def test_msel_writes_audiences_in_every_short_form() -> None:
    text = PATH.read_text(encoding="utf-8")
    assert "audience: all" in text
    assert "audience: blue\n" in text  # a team id
    assert "audience: {team: red, role: leader}" in text  # one {team, role}
    assert "audience: [{team: blue, role: leader}, {team: blue, role: defense}]" in text  # a list


def test_action_catalog_spans_the_scale(scenario: Scenario) -> None:
    actions = scenario.actions
    assert 20 <= len(actions) <= 30
    assert {tag for action in actions for tag in action.tags} == set(ActionTag)
    assert {action.visibility for action in actions} == set(Visibility)
    assert {action.band for action in actions} == set(range(7))
    assert (min(a.weight for a in actions), max(a.weight for a in actions)) == (-10, 10)
    nuclear = [action for action in actions if action.band == 6]
    assert [(action.id, action.weight) for action in nuclear] == [("nuclear-alert", -10)]
    assert [a.id for a in actions if a.suspends == "milmil"] == ["suspend-milmil"]
    assert [a.id for a in actions if a.restores == "milmil"] == ["restore-milmil"]
    assert all(action.channel != "milmil" for action in actions)  # still usable while milmil is suspended
    assert any(action.teams for action in actions)
    assert all(action.roles for action in actions if action.band >= 3)


@pytest.mark.parametrize(
    ("action_id", "weight", "cameo"),
    [
        ("offer-leader-talks", 4.0, "036"),
        ("express-regret", 7.0, "055"),
        ("reject-proposal", -4.0, "120"),
        ("threaten-force", -7.0, "138"),
        ("show-of-force", -7.2, "150"),
        ("impose-sanctions", -8.0, "163"),
        ("exclusion-zone", -9.5, "191"),
    ],
)
def test_goldstein_weights_follow_the_cameo_scale(
    scenario: Scenario, action_id: str, weight: float, cameo: str
) -> None:
    action = scenario.action(action_id)
    assert action is not None
    assert (action.weight, action.cameo) == (weight, cameo)


@pytest.mark.parametrize(
    ("good_tags", "bad"),
    [
        ({ActionTag.restraint, ActionTag.reassurance}, "endorse-partner"),
        ({ActionTag.verification, ActionTag.deliberation}, "condemn"),
        ({ActionTag.cues}, "suspend-milmil"),
        ({ActionTag.preventive}, "reject-proposal"),
        ({ActionTag.de_escalation}, "close-in-patrol"),
    ],
)
def test_each_team_has_a_good_and_a_bad_option_per_theme(
    scenario: Scenario, good_tags: set[ActionTag], bad: str
) -> None:
    for team in ("blue", "red"):
        available = [a for a in scenario.actions if not a.teams or team in a.teams]
        assert any(good_tags & set(action.tags) for action in available)
        assert bad in {action.id for action in available}


def test_objectives_use_every_check_kind(scenario: Scenario) -> None:
    assert 3 <= len(scenario.objectives) <= 5
    assert all(2 <= len(objective.tasks) <= 4 for objective in scenario.objectives)
    kinds = {task.check.kind for objective in scenario.objectives for task in objective.tasks}
    every_kind = set(get_args(TaskCheck.model_fields["kind"].annotation))
    assert kinds == every_kind - {"evaluator"}, "every task of this scenario is one the log can decide"


def test_scoring_overrides_a_parameter_but_keeps_the_weights(scenario: Scenario) -> None:
    defaults = ScoringParams()
    assert scenario.scoring != defaults
    assert scenario.scoring.weights == defaults.weights


def test_chinese_translation_is_complete(scenario: Scenario) -> None:
    zh = scenario.translations["zh-CN"]
    assert zh.title
    assert zh.summary
    for team in scenario.teams:
        assert zh.teams[team.id].name
        assert set(zh.teams[team.id].roles) == {role.id for role in team.roles}
    assert set(zh.channels) == {channel.id for channel in scenario.channels}
    for action in scenario.actions:
        assert zh.actions[action.id].label
        assert zh.actions[action.id].description
    for inject in scenario.injects:
        text = zh.injects[inject.id]
        assert text.title
        assert text.text
        assert text.originator
    for objective in scenario.objectives:
        assert zh.objectives[objective.id].title
        for task in objective.tasks:
            assert zh.tasks[task.id]
    every_text = [zh.title, zh.summary, *(t.text or "" for t in zh.injects.values())]
    assert all(any("\u4e00" <= char <= "\u9fff" for char in text) for text in every_text)
