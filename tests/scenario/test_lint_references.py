"""Cross-references: a variant of the mini scenario naming an unknown id gets the right path and line."""

from __future__ import annotations

import pytest

from tests.scenario.helpers import Case, check_case

REFERENCE_CASES = [
    # References to unknown ids.
    Case(
        "audience team",
        "audience: red\n    channel: military",
        "audience: green\n    channel: military",
        "injects[2].audience.team",
        "audience: green",
        ("'green'", "blue, red"),
    ),
    Case(
        "audience role",
        "{team: blue, role: defense}",
        "{team: blue, role: admiral}",
        "injects[1].audience.role",
        "role: admiral",
        ("'admiral'",),
    ),
    Case(
        "audience list role",
        "{team: red, role: leader}]",
        "{team: red, role: chief}]",
        "injects[3].audience[1].role",
        "role: chief",
        ("'chief'",),
    ),
    Case(
        "inject channel",
        "channel: intel\n    originator: Watch",
        "channel: intell\n    originator: Watch",
        "injects[1].channel",
        "channel: intell",
        ("did you mean 'intel'?",),
    ),
    Case(
        "expected action",
        "expected_actions: [verify]",
        "expected_actions: [verify, call-home]",
        "injects[1].expected_actions[1]",
        "call-home",
        ("'call-home'",),
    ),
    Case(
        "inject objective",
        "    notes: Secret to blue.\n",
        "    notes: Secret to blue.\n    objective: OBJ9\n",
        "injects[1].objective",
        "objective: OBJ9",
        ("did you mean 'OBJ1'?",),
    ),
    Case(
        "condition action",
        "action: show-of-force, team: red",
        "action: show-of-farce, team: red",
        "injects[5].condition.action",
        "show-of-farce",
        ("did you mean 'show-of-force'?",),
    ),
    Case(
        "condition team",
        "action: show-of-force, team: red",
        "action: show-of-force, team: reds",
        "injects[5].condition.team",
        "team: reds",
        ("'reds'",),
    ),
    Case("condition inject", "inject: I3,", "inject: I33,", "injects[6].condition.inject", "I33", ("'I33'",)),
    Case(
        "condition channel",
        "channel: hotline, by:",
        "channel: phone, by:",
        "injects[4].condition.channel",
        "channel: phone",
        ("'phone'",),
    ),
    Case(
        "band_reached team",
        "band: 4}",
        "band: 4, team: green}",
        "injects[7].condition.team",
        "team: green",
        ("'green'",),
    ),
    Case(
        "task team",
        "{id: T1, title: Leaders",
        "{id: T1, team: green, title: Leaders",
        "objectives[0].tasks[0].team",
        "team: green",
        ("'green'",),
    ),
    Case(
        "task check actions",
        "translations:\n",
        "      - {id: T2, title: Force, check: {kind: action_taken, actions: [show-force]}}\ntranslations:\n",
        "objectives[0].tasks[1].check.actions[0]",
        "show-force",
        ("did you mean 'show-of-force'?",),
    ),
    Case(
        "task check channel",
        "translations:\n",
        "      - {id: T2, title: Cable, check: {kind: channel_contact, channel: telex}}\ntranslations:\n",
        "objectives[0].tasks[1].check.channel",
        "telex",
        ("'telex'",),
    ),
    Case(
        "action role",
        "roles: [leader, defense]}\n  - {id: show-of-force",
        "roles: [leader, spy]}\n  - {id: show-of-force",
        "actions[2].roles[1]",
        "spy",
        ("'spy'",),
    ),
    Case(
        "action team",
        "{id: blockade, label:",
        "{id: blockade, teams: [green], label:",
        "actions[4].teams[0]",
        "teams: [green]",
        ("'green'",),
    ),
    Case(
        "action channel",
        "band: 4, channel: military",
        "band: 4, channel: navy",
        "actions[4].channel",
        "navy",
        ("'navy'",),
    ),
    Case(
        "action suspends",
        "suspends: milmil",
        "suspends: milnet",
        "actions[5].suspends",
        "milnet",
        ("there is no channel 'milnet'", "milmil"),
    ),
    Case(
        "action restores",
        "restores: milmil",
        "restores: milnet",
        "actions[6].restores",
        "restores: milnet",
        ("there is no channel 'milnet'",),
    ),
    Case(
        "role channel",
        "Secretary of Defense, channels: [milmil]",
        "Secretary of Defense, channels: [milmil, radio]",
        "teams[0].roles[1].channels[1]",
        "radio",
        ("'radio'",),
    ),
    Case(
        "translation key",
        "I1: {title: 海上相撞",
        "I9: {title: 海上相撞",
        "translations.zh-CN.injects.I9",
        "I9:",
        ("there is no inject 'I9'",),
    ),
    Case(
        "translation role",
        "    title: 小型危机\n",
        "    title: 小型危机\n    teams:\n      blue: {roles: {chief: 总统}}\n",
        "translations.zh-CN.teams.blue.roles.chief",
        "chief: 总统",
        ("'chief'",),
    ),
]


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=[case.name for case in REFERENCE_CASES])
def test_unknown_reference_names_path_and_line(case: Case) -> None:
    check_case(case)
