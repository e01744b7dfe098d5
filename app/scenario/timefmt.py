"""Scenario-time notation.

Scenario times and durations are whole seconds internally. Authors may write them as
``T+HH:MM`` / ``T+HH:MM:SS`` (offset from STARTEX), ``HH:MM`` (a duration), the military
``D+1 H+3 M+45`` form used in HSEEP spreadsheets, or a bare number of minutes.
"""

from __future__ import annotations

import math
import re

from app.limits import MAX_SCENARIO_SECONDS

_CLOCK = re.compile(r"^\s*(?:T\s*\+\s*)?(\d{1,4}):([0-5]\d)(?::([0-5]\d))?\s*$", re.IGNORECASE)
_DHM_PART = re.compile(r"([DHMS])\s*\+?\s*(\d+)", re.IGNORECASE)
_DHM_WHOLE = re.compile(r"^\s*(?:[DHMS]\s*\+?\s*\d+\s*)+$", re.IGNORECASE)
_UNIT_SECONDS = {"D": 86400, "H": 3600, "M": 60, "S": 1}
_MAX_DHM_CHARS = 60  # "D+3650 H+23 M+59 S+59" needs 21; longer texts are not times


class TimeFormatError(ValueError):
    """A scenario time that could not be read."""


def _bounded(seconds: int) -> int:
    if seconds > MAX_SCENARIO_SECONDS:
        raise TimeFormatError(f"a scenario time may be at most {MAX_SCENARIO_SECONDS // 86400} days")
    return seconds


def parse_scenario_time(value: object) -> int:
    """Return whole seconds for any accepted notation, or raise ``TimeFormatError``."""
    if isinstance(value, bool):
        raise TimeFormatError("expected a time such as 'T+01:30', not true/false")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise TimeFormatError("expected a time such as 'T+01:30' or a finite number of minutes")
        if value < 0:
            raise TimeFormatError("a scenario time cannot be negative")
        if value > MAX_SCENARIO_SECONDS / 60:
            return _bounded(MAX_SCENARIO_SECONDS + 1)
        return _bounded(round(float(value) * 60))
    if not isinstance(value, str):
        raise TimeFormatError(f"expected a time such as 'T+01:30', got {type(value).__name__}")
    text = value.strip()
    match = _CLOCK.match(text)
    if match:
        hours, minutes, seconds = match.groups()
        return _bounded(int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0))
    if _DHM_WHOLE.match(text) and len(text) <= _MAX_DHM_CHARS:
        total = 0
        for unit, amount in _DHM_PART.findall(text):
            total += _UNIT_SECONDS[unit.upper()] * int(amount)
        return _bounded(total)
    shown = value if len(value) <= 40 else value[:40] + "…"
    raise TimeFormatError(
        f"cannot read time {shown!r}: write 'T+HH:MM', 'HH:MM', 'D+1 H+3 M+45' or a number of minutes"
    )


def format_scenario_time(seconds: float, *, prefix: str = "T+", with_seconds: bool = False) -> str:
    """Format seconds as ``T+HH:MM`` (hours may exceed 24 so times sort as text)."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    body = f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if with_seconds else "")
    return f"{sign}{prefix}{body}" if prefix else f"{sign}{body}"


def format_dhm(seconds: int) -> str:
    """Format seconds in the ``D+1 H+3 M+45`` notation of HSEEP spreadsheets."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return f"D+{days} H+{hours} M+{minutes}"
