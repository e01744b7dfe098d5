"""The columns of an MSEL spreadsheet: HSEEP's usual ones plus those Hotline needs to round-trip an inject.

One list drives everything: the header row written on export, the header names (and common HSEEP
variants) recognised on import, the column widths and the "About" sheet that explains each column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Col(StrEnum):
    """The internal name of each column; the header written in files is ``Column.header``."""

    number = "number"
    id = "id"
    time = "time"
    condition = "condition"
    originator = "originator"
    audience = "audience"
    channel = "channel"
    synopsis = "synopsis"
    text = "text"
    expected = "expected"
    objective = "objective"
    tags = "tags"
    decision_window = "decision_window"
    notes = "notes"
    attribution = "attribution"


@dataclass(frozen=True)
class Column:
    key: Col
    header: str
    field: str  # the inject field it fills, as named in scenario files
    required: bool
    width: int  # in characters, for the xlsx sheet
    about: str
    example: str
    aliases: tuple[str, ...] = ()


LIST_SEPARATOR = ";"

COLUMNS: tuple[Column, ...] = (
    Column(
        Col.number,
        "Inject no.",
        "(order)",
        False,
        8,
        "The inject's place in the MSEL: rows are read in this order, so the sheet may be sorted any way while "
        "you work. Whole or decimal numbers (3.5 goes between 3 and 4), one on every row, each once. "
        "Renumbered 1, 2, 3… on export. Without this column, the order of the rows is the order of the MSEL.",
        "7",
        ("inject #", "inject number", "no.", "no", "#", "number", "msel #", "event #"),
    ),
    Column(
        Col.id,
        "Inject ID",
        "id",
        True,
        22,
        "A short id that names the inject in conditions and reports: letters, digits, '.', '_' or '-', "
        "starting with a letter or digit. Each id once.",
        "landing-and-detention",
        ("id", "inject id"),
    ),
    Column(
        Col.time,
        "Scenario time",
        "at",
        False,
        13,
        "When a timed inject is released, from STARTEX: T+HH:MM (also read: HH:MM, D+1 H+3 M+45, or a number "
        "of minutes). Leave empty for a contingency inject, which has a Condition instead.",
        "T+00:45",
        ("time", "scenario time", "inject time", "at"),
    ),
    Column(
        Col.condition,
        "Condition",
        "condition",
        False,
        30,
        "Only for contingency injects: what releases the inject (see 'Conditions' below). Leave empty for a "
        "timed inject.",
        "no_contact hotline by T+06:00",
        ("condition", "contingency", "trigger condition"),
    ),
    Column(
        Col.originator,
        "From",
        "originator",
        True,
        24,
        "Who the inject appears to come from (the originator), as players see it.",
        "International wire service",
        ("from", "originator", "source"),
    ),
    Column(
        Col.audience,
        "To",
        "audience",
        True,
        26,
        "Who receives it: 'all', a team id, 'team/role', or several of those separated by ';'.",
        "blue/leader; blue/defense",
        ("to", "audience", "recipient", "recipients", "player", "players"),
    ),
    Column(
        Col.channel,
        "Channel",
        "channel",
        True,
        12,
        "The feed channel it arrives on (an id from the scenario's feed channels).",
        "news",
        ("channel", "method", "delivery method", "means"),
    ),
    Column(
        Col.synopsis,
        "Synopsis",
        "title",
        True,
        32,
        "The inject's headline: a one-line synopsis players see as its title.",
        "Damaged aircraft lands; crew held",
        ("synopsis", "event synopsis", "title", "inject title", "headline"),
    ),
    Column(
        Col.text,
        "Player text",
        "text",
        True,
        60,
        "What the players read. Line breaks inside the cell are kept.",
        "The surveillance aircraft has landed at the island air station…",
        ("player text", "text", "inject", "inject text", "message", "description"),
    ),
    Column(
        Col.expected,
        "Expected action",
        "expected_actions",
        False,
        30,
        "Actions the control cell hopes to see, as action ids from the scenario's catalog, separated by ';'. "
        "Never shown to players.",
        "verify-facts; offer-leader-talks",
        ("expected action", "expected actions", "expected player action", "expected player actions"),
    ),
    Column(
        Col.objective,
        "Objective",
        "objective",
        False,
        18,
        "The id of the exercise objective this inject tests, if any.",
        "leaders-early",
        ("objective", "objective id", "capability", "objective/capability"),
    ),
    Column(
        Col.tags,
        "Tags",
        "tags",
        False,
        24,
        "Inject tags separated by ';': trigger (exactly one inject, it sets T0), military_incident, encounter, "
        "media, third_party, decision, escalation, cyber. Scoring reads them.",
        "military_incident; media",
        ("tags", "tag", "inject tags"),
    ),
    Column(
        Col.decision_window,
        "Decision window",
        "decision_window",
        False,
        11,
        "For injects tagged 'decision': how long the team has to decide, as HH:MM.",
        "00:30",
        ("decision window", "decision time", "window"),
    ),
    Column(
        Col.notes,
        "Controller notes",
        "notes",
        False,
        48,
        "Notes for the control cell and evaluators: what to watch for. Never shown to players.",
        "Watch whether the leaders call.",
        ("controller notes", "notes", "remarks", "comments", "controller note"),
    ),
    Column(
        Col.attribution,
        "Attributed to",
        "attribution",
        False,
        30,
        "Only for an inject that reports an act of one side (a collision it caused, a seizure, an intrusion): "
        "the side, the act's escalation band and weight, and how long it stands. Scoring counts it as that "
        "side's move; players never see it. Notation: SIDE band BAND weight WEIGHT [for HH:MM] [until ACTION, …].",
        "red band 2 weight -6 until release-crew",
        ("attributed to", "attribution", "act of"),
    ),
)

COLUMN_BY_KEY: dict[Col, Column] = {column.key: column for column in COLUMNS}
COLUMN_BY_FIELD: dict[str, Column] = {column.field: column for column in COLUMNS}


def header_key(name: str) -> str:
    """A header as compared on import: case, spacing and a trailing ':' do not matter."""
    return re.sub(r"\s+", " ", name).strip().rstrip(":").strip().casefold()


HEADER_NAMES: dict[str, Col] = {
    header_key(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)
}
