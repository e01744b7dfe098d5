"""The time curve f(x; A, B, C) and the plain-words helpers every metric's explanation uses.

f is strictly decreasing and above 0 for any finite x: 100 at once, 95 at A (answering within A is
nearly as good as at once), 50 at B, 10 at C, log-linear in between, and 10·C/x after C. Only
"never" (``None``) scores 0, so a first contact on day six still beats no contact at all.
"""

from __future__ import annotations

import math

from app.scenario.schema import Curve
from app.scoring.rules import EARLY_DROP, VALUE_AT_B, VALUE_AT_C

# Logs of durations under a second carry no meaning; they would only blow up near zero.
_MIN_SECONDS = 1.0
_AT_A = 100.0 - EARLY_DROP


def falloff(x: float | None, curve: Curve) -> float:
    """f(x; A, B, C) in (0, 100]; ``None`` (it never happened) is 0."""
    if x is None:
        return 0.0
    a, b, c = (max(float(point), _MIN_SECONDS) for point in (curve.a, curve.b, curve.c))
    x = max(0.0, x)
    if x <= a:
        return 100.0 - EARLY_DROP * x / a
    if x <= b:
        return _AT_A - (_AT_A - VALUE_AT_B) * _log_share(x, a, b)
    if x <= c:
        return VALUE_AT_B - (VALUE_AT_B - VALUE_AT_C) * _log_share(x, b, c)
    return VALUE_AT_C * c / x


def _log_share(x: float, low: float, high: float) -> float:
    """Where x lies between low and high on a log scale: 0 at low, 1 at high."""
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
