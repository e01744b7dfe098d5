"""The compact notation for contingency conditions in an MSEL spreadsheet cell.

One line per condition, a keyword first, then its arguments::

    no_contact [CHANNEL] by TIME          no substantive contact on CHANNEL (default hotline) by TIME
    action_taken ACTION [by TEAM] [+DELAY]   DELAY after TEAM (either team if omitted) first takes ACTION
    inject_released INJECT [+DELAY]       DELAY after inject INJECT is released
    band_reached BAND [by TEAM] [+DELAY]  DELAY after TEAM (either team) first acts at escalation BAND or above
    pressure_reached LEVEL by TEAM [+DELAY]  DELAY after the domestic pressure on TEAM first reaches LEVEL

TIME and DELAY use the scenario-time notations (``T+06:00``, ``06:00``, ``D+1 H+3 M+45``, minutes); a
missing DELAY is zero. Export always writes the full form, e.g. ``band_reached 4 +00:00``. Parsing is
strict: anything that does not fit one of the five shapes is refused with the shape it should have.
"""

from __future__ import annotations

import re
from typing import Any

from app.scenario.schema import ActionTaken, BandReached, Condition, InjectReleased, NoContact, PressureReached
from app.scenario.timefmt import TimeFormatError, format_scenario_time, parse_scenario_time

_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
_DELAY = r"(?:\s*\+\s*(?P<delay>\S.*?))?"
_BY_TEAM = rf"(?:\s+by\s+(?P<team>{_ID}))?"

USAGE = {
    "no_contact": "no_contact CHANNEL by T+HH:MM (e.g. 'no_contact hotline by T+06:00')",
    "action_taken": "action_taken ACTION [by TEAM] +HH:MM (e.g. 'action_taken show-of-force by red +00:30')",
    "inject_released": "inject_released INJECT +HH:MM (e.g. 'inject_released I3 +01:00')",
    "band_reached": "band_reached BAND [by TEAM] +HH:MM (e.g. 'band_reached 4 +00:00')",
    "pressure_reached": "pressure_reached LEVEL by TEAM +HH:MM (e.g. 'pressure_reached 70 by blue +00:10')",
}

_SHAPES = {
    "no_contact": re.compile(rf"^(?:(?P<channel>{_ID})\s+)?by\s+(?P<by>\S.*?)$"),
    "action_taken": re.compile(rf"^(?P<action>{_ID}){_BY_TEAM}{_DELAY}$"),
    "inject_released": re.compile(rf"^(?P<inject>{_ID}){_DELAY}$"),
    "band_reached": re.compile(rf"^(?P<band>\d+){_BY_TEAM}{_DELAY}$"),
    "pressure_reached": re.compile(rf"^(?P<at_least>\d+(?:\.\d+)?)\s+by\s+(?P<team>{_ID}){_DELAY}$"),
}

_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


class ConditionFormatError(ValueError):
    """A condition cell that does not follow the notation; the message says how to write it."""


def parse_time_cell(text: str) -> int:
    """Seconds for a time written in a cell: any scenario-time notation, or a plain number of minutes."""
    if _NUMBER.match(text):
        return parse_scenario_time(float(text))
    return parse_scenario_time(text)


def parse_condition(text: str) -> dict[str, Any]:
    """The condition as the mapping a scenario file would hold, or raise ``ConditionFormatError``.

    Ids are not checked against the scenario here; the linter does that on the assembled scenario.
    """
    keyword, _, rest = text.strip().partition(" ")
    kind = keyword.casefold()
    shape = _SHAPES.get(kind)
    if shape is None:
        raise ConditionFormatError(
            f"{keyword!r} is not a kind of condition; start with no_contact, action_taken, inject_released, "
            f"band_reached or pressure_reached, e.g. {USAGE['no_contact']}"
        )
    match = shape.match(rest.strip())
    if match is None:
        raise ConditionFormatError(f"cannot read condition {text.strip()!r}: write {USAGE[kind]}")
    parts = {name: value for name, value in match.groupdict().items() if value is not None}
    condition: dict[str, Any] = {"type": kind}
    try:
        for name in ("by", "delay"):
            if name in parts:
                # Written out, not as seconds: a bare number in a scenario file means minutes.
                condition[name] = format_scenario_time(parse_time_cell(parts.pop(name)), with_seconds=True)
    except TimeFormatError as exc:
        raise ConditionFormatError(f"{exc}; the whole condition reads: {USAGE[kind]}") from exc
    if "band" in parts:
        band = int(parts.pop("band"))
        if band > 6:
            raise ConditionFormatError(f"there is no band {band}; bands go from 0 (cooperative) to 6 (nuclear)")
        condition["band"] = band
    if "at_least" in parts:
        level = float(parts.pop("at_least"))
        if level > 100:
            raise ConditionFormatError(f"pressure runs from 0 to 100, not {level:g}")
        condition["at_least"] = level
    condition.update(parts)
    return condition


def _delay(seconds: int) -> str:
    return "+" + format_scenario_time(seconds, prefix="", with_seconds=seconds % 60 != 0)


def _team(team: str | None) -> str:
    return f" by {team}" if team else ""


def format_condition(condition: Condition) -> str:
    """The one-line notation of a condition; ``parse_condition`` reads it back to the same condition."""
    if isinstance(condition, NoContact):
        by = format_scenario_time(condition.by, with_seconds=condition.by % 60 != 0)
        return f"no_contact {condition.channel} by {by}"
    if isinstance(condition, ActionTaken):
        return f"action_taken {condition.action}{_team(condition.team)} {_delay(condition.delay)}"
    if isinstance(condition, InjectReleased):
        return f"inject_released {condition.inject} {_delay(condition.delay)}"
    if isinstance(condition, BandReached):
        return f"band_reached {condition.band}{_team(condition.team)} {_delay(condition.delay)}"
    if isinstance(condition, PressureReached):
        return f"pressure_reached {condition.at_least:g} by {condition.team} {_delay(condition.delay)}"
    raise TypeError(f"unknown condition {condition!r}")
