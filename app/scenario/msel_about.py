"""The text of the workbook's "About" sheet: what each column holds, the notations, and the scenario's ids.

A facilitator editing the MSEL away from Hotline needs the ids the cells may name (teams, roles, feed
channels, actions, objectives), so they are listed here for the scenario the workbook came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.scenario.msel_columns import COLUMNS
from app.scenario.msel_condition import USAGE
from app.scenario.schema import ChannelKind, InjectTag, Scenario


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[list[str]]
    header: list[str] | None = None  # column names of a table; None for plain lines of text


def about_sections(scenario: Scenario) -> list[Section]:
    feeds = ", ".join(channel.id for channel in scenario.channels_of_kind(ChannelKind.feed))
    return [
        Section(
            f"MSEL of scenario '{scenario.id}': {scenario.title} (version {scenario.version})",
            [
                [
                    "Edit the MSEL sheet: one row per inject. Teams, roles, channels, actions and objectives come "
                    "from the scenario, not from this workbook."
                ],
                [
                    f"Import: hotline msel import THIS.xlsx --into {scenario.id} --out NEW.yaml, or upload the "
                    f"workbook in the control console with '{scenario.id}' as the base scenario."
                ],
                [
                    "Nothing is imported while any cell has a problem; every problem is reported with its row and "
                    "column."
                ],
            ],
        ),
        Section(
            "Columns",
            [[c.header, c.about, "yes" if c.required else "no", c.example] for c in COLUMNS],
            header=["Column", "What to write", "Required", "Example"],
        ),
        Section(
            "Scenario times",
            [
                ["T+06:30", "6 hours 30 minutes after STARTEX; this is how Hotline writes times"],
                ["06:30", "the same"],
                ["D+1 H+3 M+45", "1 day, 3 hours and 45 minutes after STARTEX"],
                ["90", "a plain number is minutes: T+01:30"],
            ],
            header=["Written", "Means"],
        ),
        Section(
            "To (audience)",
            [
                ["all", "every player of both teams"],
                ["blue", "every role of team blue"],
                ["blue/defense", "only the defense role of team blue"],
                ["blue/leader; red/leader", "several recipients, separated by ';'"],
            ],
            header=["Written", "Means"],
        ),
        Section(
            "Conditions (contingency injects)",
            [
                [
                    USAGE["no_contact"],
                    "released at that time if the two sides have had no substantive contact on "
                    "the call channel (default hotline) by then",
                ],
                [
                    USAGE["action_taken"],
                    "released that long after the team (either team without 'by') first takes the action",
                ],
                [USAGE["inject_released"], "released that long after the other inject is released"],
                [
                    USAGE["band_reached"],
                    "released that long after the team (either team without 'by') first acts "
                    "at that escalation band (0 cooperative … 6 nuclear) or above",
                ],
                ["", "A delay may be left out (it is then +00:00). A contingency inject leaves Scenario time empty."],
            ],
            header=["Written", "Means"],
        ),
        Section(
            f"Ids in scenario '{scenario.id}'",
            [
                *(
                    [f"team {team.id}", f"{team.name}; roles: {', '.join(role.id for role in team.roles)}"]
                    for team in scenario.teams
                ),
                ["feed channels", feeds],
                *([f"action {action.id}", action.label] for action in scenario.actions),
                *([f"objective {objective.id}", objective.title] for objective in scenario.objectives),
                ["inject tags", ", ".join(tag.value for tag in InjectTag)],
            ],
            header=["Id", "What it is"],
        ),
    ]
