"""How the report writes times, durations, scores and indicator names, in every format alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.reports.describe import clock

INDICATOR_NAMES = {
    "richardson_reactivity": "Richardson reactivity",
    "restraint": "Restraint",
    "public_threat_share": "Share of escalations made in public",
    "escalations": "Escalations",
    "cooperative_moves": "Cooperative moves",
    "messages": "Messages sent",
    "peak_band": "Peak band",
}
_SHARES = {"restraint", "public_threat_share"}


def wall(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment is not None else "—"


def wall_short(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes:02d} min"
    return f"{hours} h" if hours else f"{minutes} min"


def value(number: float | None) -> str:
    return "N/A" if number is None else f"{number:.0f}"


def indicator_name(key: str) -> str:
    return INDICATOR_NAMES.get(key, key.replace("_", " ").capitalize())


def indicator_value(key: str, number: Any) -> str:
    if number is None:
        return "—"
    if key in _SHARES and isinstance(number, int | float):
        return f"{number:.0%}"
    if isinstance(number, float):
        return f"{number:g}"
    return str(number)


FILTERS = {
    "clock": clock,
    "wall": wall,
    "wall_short": wall_short,
    "duration": duration,
    "value": value,
    "indicator_name": indicator_name,
    "indicator_value": indicator_value,
}
