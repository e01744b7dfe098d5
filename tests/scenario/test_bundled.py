"""The bundled scenario library: every file valid, sized and timed for a session, playable by any bot or console.

Bots and consoles play a scenario by its tags, kinds and standard ids, never by its story, so every bundled
scenario keeps the same teams, roles and channels, the same kinds of catalog options (a good and a bad one for
each theme of the essay), and weights on one CAMEO/Goldstein basis. ``docs/scenario-format.md`` documents the
weight table that ``GOLDSTEIN`` and ``DEPARTURES`` mirror here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.scenario.loader import ScenarioInvalid
from app.scenario.schema import (
    ActionTag,
    ActionTaken,
    BandReached,
    CatalogAction,
    ChannelKind,
    Inject,
    InjectReleased,
    InjectTag,
    NoContact,
    PressureReached,
    Scenario,
    Visibility,
)
from app.scenario.validate import load_and_lint, validate_paths
from tests.scenario.helpers import PROJECT

LIBRARY = PROJECT / "injects"
FILES = sorted(LIBRARY.glob("*.yaml"))
TUTORIAL = "tutorial"
ROLES = ["leader", "defense", "diplomacy", "intelligence", "press"]
CHANNEL_KINDS = {
    **dict.fromkeys(["intel", "news", "social", "diplomatic", "military"], ChannelKind.feed),
    "hotline": ChannelKind.call,
    "milmil": ChannelKind.call,
    "cable": ChannelKind.cable,
    "public": ChannelKind.statement,
    "chat": ChannelKind.chat,
}
HELD = {
    "leader": ["hotline", "public"],
    "defense": ["milmil"],
    "diplomacy": ["cable"],
    "intelligence": [],
    "press": ["public"],
}

# Goldstein values of the CAMEO codes the bundled catalogs use (176, cyber attack, came after the scale: None).
GOLDSTEIN: dict[str, float | None] = {
    "014": 0.0, "018": 3.4, "030": 4.0, "0312": 5.2, "036": 4.0, "041": 1.0, "046": 7.0, "050": 3.5,
    "051": 3.4, "055": 7.0, "057": 8.0, "062": 7.4, "063": 7.4, "064": 7.0, "073": 7.4, "080": 5.0,
    "084": 7.0, "0863": 9.0, "087": 9.0, "0874": 10.0, "100": -5.0, "111": -2.0, "112": -2.0, "120": -4.0,
    "138": -7.0, "150": -7.2, "152": -7.2, "161": -4.0, "163": -8.0, "171": -9.2, "173": -5.0, "174": -5.0,
    "176": None, "190": -10.0, "191": -9.5,
}  # fmt: skip
# Actions whose weight departs from their code's Goldstein value on purpose (the guide says why).
DEPARTURES = {
    "cues-order": 2.0,
    "restore-milmil": 3.0,
    "endorse-partner": -3.0,
    "close-in-patrol": -5.0,
    "cyber-probe": -5.0,
    "counter-hack": -7.0,
    "nuclear-alert": -10.0,
}


def _load_valid(paths: list[Path]) -> dict[str, Scenario]:
    """The valid files by name; an invalid one is left to ``test_every_bundled_file_validates`` to report."""
    loaded: dict[str, Scenario] = {}
    for path in paths:
        try:
            loaded[path.stem] = load_and_lint(path)
        except ScenarioInvalid:
            continue
    return loaded


SCENARIOS = _load_valid(FILES)


@pytest.fixture(params=sorted(SCENARIOS), ids=sorted(SCENARIOS))
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return SCENARIOS[request.param]


def _reaches(inject: Inject, team: str) -> bool:
    return inject.audience == "all" or any(target.team == team for target in inject.audience)


def _available(scenario: Scenario, team: str) -> list[CatalogAction]:
    return [action for action in scenario.actions if not action.teams or team in action.teams]


def test_the_library_holds_the_five_bundled_scenarios() -> None:
    assert set(SCENARIOS) >= {
        "incident-at-sea",
        "cyber-intrusion",
        "third-party-provocation",
        "joint-operation",
        TUTORIAL,
    }
    assert set(SCENARIOS) == {path.stem for path in FILES}  # every file loads
    assert all(scenario.id == name for name, scenario in SCENARIOS.items())  # uploads are stored as <id>.yaml too


def test_every_bundled_file_validates() -> None:
    assert validate_paths([LIBRARY]) == []


def test_inject_count(scenario: Scenario) -> None:
    low = 8 if scenario.id == TUTORIAL else 15
    assert low <= len(scenario.injects) <= 40


def test_wall_time_at_the_default_compression(scenario: Scenario) -> None:
    minutes = scenario.end / scenario.default_compression / 60
    if scenario.id == TUTORIAL:
        assert 15 <= minutes <= 30
    else:
        assert 120 <= minutes <= 240
    timed = [inject.at for inject in scenario.injects if inject.at is not None]
    assert timed == sorted(timed)  # the MSEL reads in order
    assert max(timed) < scenario.end


def test_exactly_one_trigger(scenario: Scenario) -> None:
    triggers = [inject for inject in scenario.injects if InjectTag.trigger in inject.tags]
    assert len(triggers) == 1
    assert triggers[0].at is not None  # T0 must not depend on what the players do


def test_standard_teams_roles_and_channels(scenario: Scenario) -> None:
    assert [(team.id, team.name) for team in scenario.teams] == [("blue", "Washington"), ("red", "Beijing")]
    for team in scenario.teams:
        assert [role.id for role in team.roles] == ROLES
        assert {role.id: role.channels for role in team.roles} == HELD
    assert {channel.id: channel.kind for channel in scenario.channels} == CHANNEL_KINDS
    assert scenario.language == "en"


def test_every_condition_type_is_used_across_the_library() -> None:
    kinds = {type(i.condition) for s in SCENARIOS.values() for i in s.injects if i.condition is not None}
    assert kinds == {NoContact, ActionTaken, InjectReleased, BandReached, PressureReached}


def test_each_scenario_has_contingency_branches(scenario: Scenario) -> None:
    conditions = [inject.condition for inject in scenario.injects if inject.condition is not None]
    assert len({type(condition) for condition in conditions}) >= 3
    # Branches both ways: at least one released by an escalation and one by a cooperative move.
    weights = {action.id: action.weight for action in scenario.actions}
    taken = [c for c in conditions if isinstance(c, ActionTaken)]
    assert any(isinstance(c, BandReached) for c in conditions) or any(weights[c.action] <= -2 for c in taken)
    assert any(weights[c.action] >= 3 for c in taken)
    assert any(isinstance(c, NoContact) and c.channel == "hotline" for c in conditions)


def test_inject_tags_mirror_the_first_scenario(scenario: Scenario) -> None:
    tags = {tag for inject in scenario.injects for tag in inject.tags}
    assert {InjectTag.trigger, InjectTag.media, InjectTag.third_party, InjectTag.decision} <= tags
    assert {InjectTag.military_incident, InjectTag.encounter} <= tags
    for team in ("blue", "red"):
        reached = [inject for inject in scenario.injects if _reaches(inject, team)]
        for tag in (InjectTag.third_party, InjectTag.encounter, InjectTag.decision, InjectTag.media):
            assert any(tag in inject.tags for inject in reached), (team, tag)


def test_decision_injects_have_windows(scenario: Scenario) -> None:
    decisions = [inject for inject in scenario.injects if InjectTag.decision in inject.tags]
    assert decisions
    for inject in decisions:
        assert inject.decision_window is not None and inject.decision_window >= 30 * 60
        assert inject.at is None or inject.at + inject.decision_window <= scenario.end


def test_controller_notes_and_expected_actions(scenario: Scenario) -> None:
    assert all(inject.notes for inject in scenario.injects)
    with_expectations = [inject for inject in scenario.injects if inject.expected_actions]
    assert len(with_expectations) >= 0.8 * len(scenario.injects)


THEMES: list[tuple[str, Callable[[CatalogAction], bool], Callable[[CatalogAction], bool]]] = [
    (
        "third parties",
        lambda a: a.visibility is Visibility.private and ActionTag.restraint in a.tags,
        lambda a: a.visibility is Visibility.public and ActionTag.endorsement in a.tags,
    ),
    (
        "slow the cycle",
        lambda a: ActionTag.verification in a.tags,
        lambda a: a.visibility is Visibility.public and a.weight <= -2 and a.band <= 1,
    ),
    ("mil-mil ties", lambda a: ActionTag.cues in a.tags, lambda a: a.suspends == "milmil"),
    ("preventive cooperation", lambda a: ActionTag.proposal in a.tags, lambda a: a.id == "reject-proposal"),
    ("gratuitous offenses", lambda a: ActionTag.de_escalation in a.tags, lambda a: ActionTag.gratuitous in a.tags),
    ("leader contact", lambda a: a.id == "offer-leader-talks", lambda a: a.weight <= -7 and a.band <= 1),
]


@pytest.mark.parametrize(("theme", "good", "bad"), THEMES, ids=[theme for theme, _, _ in THEMES])
def test_each_team_has_a_good_and_a_bad_option_per_theme(
    scenario: Scenario,
    theme: str,
    good: Callable[[CatalogAction], bool],
    bad: Callable[[CatalogAction], bool],
) -> None:
    for team in ("blue", "red"):
        available = _available(scenario, team)
        assert any(good(action) for action in available), (team, theme, "good")
        assert any(bad(action) for action in available), (team, theme, "bad")


def test_catalog_shape(scenario: Scenario) -> None:
    actions = scenario.actions
    assert 20 <= len(actions) <= 40
    assert {action.band for action in actions} == set(range(7))
    assert {tag for action in actions for tag in action.tags} == set(ActionTag)
    assert [a.id for a in actions if a.suspends] == ["suspend-milmil"]
    assert [a.id for a in actions if a.restores] == ["restore-milmil"]
    assert all(action.channel != "milmil" for action in actions)  # still usable while milmil is suspended
    assert all(action.roles for action in actions if action.band >= 3)
    accepted = {a.id.removeprefix("accept-") for a in actions if ActionTag.acceptance in a.tags}
    proposed = {a.id.removeprefix("propose-") for a in actions if ActionTag.proposal in a.tags}
    assert accepted == proposed and len(proposed) >= 2  # every proposal can be accepted by its own action


def test_every_action_names_a_cameo_code_and_follows_its_weight(scenario: Scenario) -> None:
    for action in scenario.actions:
        assert action.cameo in GOLDSTEIN, action.id
        expected = DEPARTURES.get(action.id, GOLDSTEIN[action.cameo])
        assert action.weight == expected, action.id


def test_the_same_move_weighs_the_same_in_every_scenario() -> None:
    seen: dict[str, tuple[object, ...]] = {}
    for scenario in SCENARIOS.values():
        for action in scenario.actions:
            shape = (action.weight, action.band, action.cameo, action.visibility, tuple(action.tags), action.channel)
            assert seen.setdefault(action.id, shape) == shape, (scenario.id, action.id)


def test_objectives_are_rated_from_the_log_wherever_it_can_decide(scenario: Scenario) -> None:
    assert 4 <= len(scenario.objectives) <= 6
    kinds = {task.check.kind for objective in scenario.objectives for task in objective.tasks}
    assert {"leader_contact", "channel_contact", "tag_used", "no_band_above"} <= kinds
    by_title = {task.title: task.check.kind for objective in scenario.objectives for task in objective.tasks}
    for title, kind in by_title.items():
        if "exchange facts" in title or "endorsement" in title:
            assert kind in ("message_parts", "avoided"), f"{title}: the log can decide this"
    assert all(objective.tasks for objective in scenario.objectives)
    referenced = {inject.objective for inject in scenario.injects if inject.objective}
    assert referenced == {objective.id for objective in scenario.objectives}


def test_tutorial_teaches_the_console_and_the_controls() -> None:
    tutorial = SCENARIOS[TUTORIAL]
    assert all("Console tip:" in inject.text for inject in tutorial.injects)
    notes = " ".join(inject.notes for inject in tutorial.injects)
    for control in ("Pause", "Resume", "Hold", "Fire", "jump", "hotline", "observation", "scores", "End"):
        assert control in notes, control


def test_every_team_and_role_has_a_briefing(scenario: Scenario) -> None:
    assert set(scenario.briefings) == {team.id for team in scenario.teams}
    for team in scenario.teams:
        briefing = scenario.briefings[team.id]
        assert len(briefing.situation) > 200 and len(briefing.objectives) >= 3
        assert set(briefing.roles) == {role.id for role in team.roles}
    assert scenario.briefings["blue"].situation != scenario.briefings["red"].situation, "each side knows its own story"


def _has_cjk(text: str | None) -> bool:
    return bool(text) and any("\u4e00" <= char <= "\u9fff" for char in text or "")


TRANSLATED = sorted(name for name, scenario in SCENARIOS.items() if "zh-CN" in scenario.translations)


def test_every_scenario_has_a_bilingual_media_cast(scenario: Scenario) -> None:
    media = scenario.media
    assert media is not None
    stances = {(persona.country, persona.stance.value) for persona in media.personas}
    for team in ("blue", "red"):
        assert {(team, "hawk"), (team, "dove")} <= stances
        assert any(outlet.country == team for outlet in media.outlets)
        assert media.trending.get(team)
        assert any(
            isinstance(inject.condition, PressureReached) and inject.condition.team == team
            for inject in scenario.injects
        )
    assert all(_has_cjk(template.text.zh) for template in media.reactions)
    assert all(any(_has_cjk(name) for name in persona.names.values()) for persona in media.personas)


def test_at_least_two_scenarios_are_bilingual() -> None:
    assert "incident-at-sea" in TRANSLATED
    assert len(TRANSLATED) >= 2


@pytest.mark.parametrize("name", TRANSLATED)
def test_chinese_translation_covers_every_text(name: str) -> None:
    scenario = SCENARIOS[name]
    zh = scenario.translations["zh-CN"]
    assert _has_cjk(zh.title) and _has_cjk(zh.summary)
    for team in scenario.teams:
        assert _has_cjk(zh.teams[team.id].name)
        assert _has_cjk(zh.teams[team.id].description)
        assert set(zh.teams[team.id].roles) == {role.id for role in team.roles}
        assert all(_has_cjk(text) for text in zh.teams[team.id].roles.values())
    assert set(zh.channels) == {channel.id for channel in scenario.channels}
    for channel in scenario.channels:
        text = zh.channels[channel.id]
        assert not isinstance(text, str), f"{channel.id}: translate its description too"
        assert _has_cjk(text.name) and _has_cjk(text.description), channel.id
    assert set(zh.actions) == {action.id for action in scenario.actions}
    for action in scenario.actions:
        assert _has_cjk(zh.actions[action.id].label), action.id
        assert _has_cjk(zh.actions[action.id].description), action.id
    assert set(zh.injects) == {inject.id for inject in scenario.injects}
    for inject in scenario.injects:
        text = zh.injects[inject.id]
        assert _has_cjk(text.title) and _has_cjk(text.text) and _has_cjk(text.originator), inject.id
    assert set(zh.objectives) == {objective.id for objective in scenario.objectives}
    for objective in scenario.objectives:
        assert _has_cjk(zh.objectives[objective.id].title), objective.id
        assert set(zh.tasks) >= {task.id for task in objective.tasks}
        assert all(_has_cjk(zh.tasks[task.id]) for task in objective.tasks)
    for team_id, briefing in scenario.briefings.items():
        text = zh.briefings[team_id]
        assert _has_cjk(text.situation) and text.objectives and all(map(_has_cjk, text.objectives)), team_id
        assert text.reading is not None and len(text.reading) == len(briefing.reading)
        assert set(text.roles) == set(briefing.roles)
        assert all(_has_cjk(role.brief) for role in text.roles.values())
