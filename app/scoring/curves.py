"""The time curve f(x; A, B, C) of docs/scoring.md and the plain-words helpers every metric's explanation uses.

f is 100 up to A, falls log-linearly to 50 at B and to 0 at C: answering within minutes is what matters
most, and a late answer still earns something until C.
"""

from __future__ import annotations

import math

from app.scenario.schema import Curve

# Logs of durations under a second carry no meaning; they would only blow up near zero.
_MIN_SECONDS = 1.0


def falloff(x: float | None, curve: Curve) -> float:
    """f(x; A, B, C) in [0, 100]; ``None`` (it never happened) is 0."""
    if x is None:
        return 0.0
    a, b, c = float(curve.a), float(curve.b), float(curve.c)
    if x <= a:
        return 100.0
    if x < b:
        return 100.0 - 50.0 * _log_share(x, a, b)
    if x < c:
        return 50.0 - 50.0 * _log_share(x, b, c)
    return 0.0


def _log_share(x: float, low: float, high: float) -> float:
    """Where x lies between low and high on a log scale: 0 at low, 1 at high."""
    low, high, x = max(low, _MIN_SECONDS), max(high, _MIN_SECONDS), max(x, _MIN_SECONDS)
    if high <= low:
        return 1.0
    return min(1.0, max(0.0, math.log(x / low) / math.log(high / low)))


def duration(seconds: float) -> str:
    """'40 min', '2 h', '2 h 15 min', '30 s': how a facilitator says a stretch of scenario time."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    return f"{hours} h" if rest == 0 else f"{hours} h {rest} min"


def clock(seconds: float) -> str:
    """Scenario time as T+HH:MM."""
    minutes = round(max(0.0, seconds) / 60)
    return f"T+{minutes // 60:02d}:{minutes % 60:02d}"


def plural(count: float, word: str, many: str | None = None) -> str:
    shown = f"{count:g}"
    return f"{shown} {word if count == 1 else (many or word + 's')}"


def percent(share: float) -> str:
    return f"{round(100 * share)}%"
