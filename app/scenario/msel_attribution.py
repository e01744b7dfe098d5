"""The compact notation for an inject's attribution in an MSEL spreadsheet cell.

::

    SIDE band BAND weight WEIGHT [for DURATION] [until ACTION[, ACTION…]]

e.g. ``red band 2 weight -6 until release-crew`` (the act stands until Beijing releases the crew) or
``blue band 3 weight -7.2 for 06:00``. Export writes exactly this form; import is strict and says what
shape it expects. Ids are checked against the scenario by the linter, as in scenario files.
"""

from __future__ import annotations

import re
from typing import Any

from app.scenario.schema import Attribution
from app.scenario.timefmt import TimeFormatError, format_scenario_time, parse_scenario_time

_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
_SHAPE = re.compile(
    rf"^(?P<side>{_ID})\s+band\s+(?P<band>\d+)\s+weight\s+(?P<weight>[-+]?\d+(?:\.\d+)?)"
    rf"(?:\s+for\s+(?P<duration>\S+))?(?:\s+until\s+(?P<until>{_ID}(?:\s*,\s*{_ID})*))?\s*$"
)
USAGE = "SIDE band BAND weight WEIGHT [for HH:MM] [until ACTION, …] (e.g. 'red band 2 weight -6 until release-crew')"


class AttributionFormatError(ValueError):
    """A cell that does not follow the notation; the message says how to write it."""


def format_attribution(attribution: Attribution) -> str:
    text = f"{attribution.side} band {attribution.band} weight {attribution.weight:g}"
    if attribution.duration is not None:
        text += f" for {format_scenario_time(attribution.duration, prefix='')}"
    if attribution.lifted_by:
        text += f" until {', '.join(attribution.lifted_by)}"
    return text


def parse_attribution(text: str) -> dict[str, Any]:
    """The attribution as the mapping a scenario file would hold, or raise ``AttributionFormatError``."""
    match = _SHAPE.match(text.strip())
    if match is None:
        raise AttributionFormatError(f"cannot read {text.strip()!r}; write {USAGE}")
    fields: dict[str, Any] = {
        "side": match["side"],
        "band": int(match["band"]),
        "weight": float(match["weight"]),
    }
    if match["duration"]:
        try:
            fields["duration"] = format_scenario_time(parse_scenario_time(match["duration"]), prefix="")
        except TimeFormatError as exc:
            raise AttributionFormatError(f"{exc}; write {USAGE}") from exc
    if match["until"]:
        fields["lifted_by"] = [part.strip() for part in match["until"].split(",")]
    return fields
