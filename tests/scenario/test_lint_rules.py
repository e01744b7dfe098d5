"""The other lint rules: duplicates, timing, leaders, call holders, chains, triggers, kinds, scoring."""

from __future__ import annotations

import pytest

from app.scenario.linter import lint
from app.scenario.loader import parse_scenario
from tests.scenario.helpers import MINI_TEXT, Case, check_case, line_of, problem_at, problems_in, variant

SECOND_OBJECTIVE = (
    "\n  - id: OBJ1\n    title: Again\n    tasks:\n      - {id: T1, title: Again, check: {kind: evaluator}}"
)
GREEN_AUDIENCE = ("audience: red\n    channel: military", "audience: green\n    channel: military")
WEIGHTS = "LC: 0.15, MM: 0.10, RX: 0.10, OV: 0.10, MR: 0.10, AP: 0.05, GO: 0.05, TP: 0.05, PC: 0.05"


def scoring(yaml_body: str) -> tuple[str, str]:
    return "translations:\n", f"scoring:\n{yaml_body}\ntranslations:\n"


RULE_CASES = [
    # Duplicate ids.
    Case(
        "duplicate team",
        "  - id: red\n    name: Beijing",
        "  - id: blue\n    name: Beijing",
        "teams[1].id",
        "id: blue\n    name: Beijing",
        ("team id 'blue' is already used at teams[0].id",),
    ),
    Case(
        "duplicate role",
        "{id: press, name: Spokesperson",
        "{id: diplomacy, name: Spokesperson",
        "teams[1].roles[3].id",
        "diplomacy, name: Spokesperson",
        ("role id 'diplomacy'",),
    ),
    Case(
        "duplicate channel",
        "{id: chat, name: Team chat",
        "{id: news, name: Team chat",
        "channels[7].id",
        "news, name: Team chat",
        ("channel id 'news' is already used at channels[1].id",),
    ),
    Case(
        "duplicate action",
        "{id: restore-milmil,",
        "{id: cut-milmil,",
        "actions[6].id",
        "cut-milmil, label: Restore",
        ("action id 'cut-milmil'",),
    ),
    Case(
        "duplicate inject",
        "  - id: C4\n",
        "  - id: C3\n",
        "injects[7].id",
        "C3\n    condition: {type: band",
        ("inject id 'C3' is already used at injects[6].id",),
    ),
    Case(
        "duplicate objective",
        "\ntranslations:",
        SECOND_OBJECTIVE + "\ntranslations:",
        "objectives[1].id",
        "OBJ1\n    title: Again",
        ("objective id 'OBJ1'",),
    ),
    Case(
        "duplicate task",
        "\ntranslations:",
        SECOND_OBJECTIVE + "\ntranslations:",
        "objectives[1].tasks[0].id",
        "T1, title: Again",
        ("task id 'T1' is already used at objectives[0].tasks[0].id",),
    ),
    # Timing.
    Case(
        "timed inject after end",
        'at: "T+06:00"',
        'at: "T+30:00"',
        "injects[3].at",
        "T+30:00",
        ("T+30:00 is after the scenario's end (T+24:00)",),
    ),
    Case(
        "no_contact after end",
        'by: "T+03:00"',
        'by: "T+25:00"',
        "injects[4].condition.by",
        "T+25:00",
        ("after the scenario's end",),
    ),
    Case(
        "both at and condition",
        "    condition: {type: band_reached",
        '    at: "T+01:00"\n    condition: {type: band_reached',
        "injects[7]",
        "id: C4",
        ("not both",),
    ),
    Case(
        "neither at nor condition",
        '  - id: I3\n    at: "T+02:00"\n',
        "  - id: I3\n",
        "injects[2]",
        "id: I3",
        ("not neither",),
    ),
    # Teams and channels.
    Case(
        "no leader",
        "{id: leader, name: President,",
        "{id: chief, name: President,",
        "teams[0].roles",
        "    roles:",
        ("team 'blue' has no role with id 'leader'",),
    ),
    Case(
        "two leaders",
        "{id: press, name: Press Secretary",
        "{id: leader, name: Press Secretary",
        "teams[0].roles[3].id",
        "leader, name: Press Secretary",
        ("role id 'leader' is already used",),
    ),
    Case(
        "call channel not held",
        "Minister of National Defense, channels: [milmil]",
        "Minister of National Defense, channels: []",
        "channels[4]",
        "{id: milmil, name: Mil-mil",
        ("nobody on team 'red' holds the call channel 'milmil'",),
    ),
    # Inject chains.
    Case(
        "inject waits for itself",
        "inject: I3,",
        "inject: C3,",
        "injects[6].condition.inject",
        "inject: C3",
        ("waits for its own release",),
    ),
    Case(
        "inject cycle",
        '  - id: I3\n    at: "T+02:00"',
        "  - id: I3\n    condition: {type: inject_released, inject: C3}",
        "injects[2].condition.inject",
        "inject: C3}",
        ("I3 → C3 → I3", "can ever fire"),
    ),
    # Triggers.
    Case(
        "no trigger",
        "tags: [trigger, military_incident, media]",
        "tags: [military_incident, media]",
        "injects",
        "injects:",
        ("no inject is tagged 'trigger'",),
    ),
    Case(
        "two triggers",
        "tags: [media, decision]",
        "tags: [media, decision, trigger]",
        "injects[3].tags",
        "decision, trigger",
        ("'I1' is already the trigger",),
    ),
    # Channel kinds.
    Case(
        "inject on a call channel",
        "channel: intel\n    originator: Watch",
        "channel: hotline\n    originator: Watch",
        "injects[1].channel",
        "channel: hotline\n    originator: Watch",
        ("feed",),
    ),
    Case(
        "no_contact on a cable",
        "channel: hotline, by:",
        "channel: cable, by:",
        "injects[4].condition.channel",
        "channel: cable, by",
        ("call channels",),
    ),
    Case(
        "role holds a feed",
        "Secretary of Defense, channels: [milmil]",
        "Secretary of Defense, channels: [milmil, intel]",
        "teams[0].roles[1].channels[1]",
        "milmil, intel",
        ("'intel' is a feed channel",),
    ),
    Case(
        "decision window without decision tag",
        "    notes: Secret to blue.\n",
        '    notes: Secret to blue.\n    decision_window: "01:00"\n',
        "injects[1].decision_window",
        "decision_window",
        ("only injects tagged 'decision'",),
    ),
    Case(
        "check without its parameter",
        "translations:\n",
        "      - {id: T2, title: Cable, check: {kind: channel_contact}}\ntranslations:\n",
        "objectives[0].tasks[1].check",
        "kind: channel_contact",
        ("needs 'channel'",),
    ),
    # Scoring.
    Case(
        "weights name other metrics",
        *scoring(f"  weights: {{{WEIGHTS}, XYZ: 0.25}}"),
        "scoring.weights",
        "weights:",
        ("missing OBJ", "unknown XYZ"),
    ),
    Case(
        "weights do not sum to 1",
        *scoring(f"  weights: {{{WEIGHTS}, OBJ: 0.30}}"),
        "scoring.weights",
        "weights:",
        ("add up to 1.050",),
    ),
    Case(
        "curve out of order",
        *scoring('  leader_contact: {a: "12:00", b: "01:00", c: "48:00"}'),
        "scoring.leader_contact",
        "leader_contact:",
        ("a ≤ b ≤ c",),
    ),
]


@pytest.mark.parametrize("case", RULE_CASES, ids=[case.name for case in RULE_CASES])
def test_broken_variant_names_path_and_line(case: Case) -> None:
    check_case(case)


def test_mini_fixture_has_no_problems() -> None:
    assert problems_in(MINI_TEXT) == []


def test_problems_come_sorted_by_line() -> None:
    text = variant('at: "T+06:00"', 'at: "T+30:00"', variant(*GREEN_AUDIENCE))
    lines = [problem.line or 0 for problem in problems_in(text)]
    assert len(lines) == 2
    assert lines == sorted(lines)


def test_lint_returns_paths_and_messages_for_a_scenario_object() -> None:
    scenario = parse_scenario(variant(*GREEN_AUDIENCE))
    assert lint(scenario) == [("injects[2].audience[0].team", "there is no team 'green'; write one of: blue, red")]


def test_a_valid_scenario_lints_clean() -> None:
    assert lint(parse_scenario(MINI_TEXT)) == []


def test_task_deadline_after_the_end_is_allowed() -> None:
    # Task deadlines past ENDEX are legitimate (the task is then simply missed); only releases must fit.
    text = variant('within: "06:00"', 'within: "30:00"')
    assert problems_in(text) == []


def test_second_call_holder_on_a_team_is_allowed() -> None:
    text = variant(
        "{id: press, name: Press Secretary, channels: [public]}",
        "{id: press, name: Press Secretary, channels: [public, hotline]}",
    )
    assert problems_in(text) == []


def test_cycle_reported_once() -> None:
    text = variant('  - id: I3\n    at: "T+02:00"', "  - id: I3\n    condition: {type: inject_released, inject: C3}")
    cycles = [problem for problem in problems_in(text) if "wait for each other" in problem.message]
    assert len(cycles) == 1


def test_default_no_contact_channel_must_exist() -> None:
    # A no_contact condition without 'channel' watches the hotline; a scenario without one is told so.
    text = variant("condition: {type: no_contact, channel: hotline, by:", "condition: {type: no_contact, by:")
    text = text.replace("hotline", "redline")
    problem = problem_at(text, "injects[4].condition.channel")
    assert "'hotline'" in problem.message
    assert problem.line == line_of(text, "{type: no_contact")
