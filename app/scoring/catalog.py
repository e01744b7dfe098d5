"""What each metric is called and which theme of the essay it stands for, in the project's own words."""

from __future__ import annotations

from collections.abc import Sequence

from app.scoring.model import MetricResult

NAMES = {
    "LC": "Leader contact",
    "MM": "Mil-mil channel",
    "RX": "Reflexive escalation",
    "OV": "Overshoot",
    "MR": "Media reflex",
    "AP": "Active pauses",
    "GO": "Gratuitous offenses",
    "TP": "Third-party management",
    "PC": "Preventive cooperation",
    "OBJ": "Critical tasks",
}

THEMES = {
    "LC": "the top leaders reach each other directly, early in the crisis",
    "MM": "military-to-military ties hold up under stress instead of being cut first",
    "RX": "slow the cycle of action and reaction",
    "OV": "answer in proportion, never a step above",
    "MR": "do not let news and social media set the pace",
    "AP": "slow the cycle by talking, never by falling silent",
    "GO": "avoid needless offenses such as close-in surveillance and network probes",
    "TP": "keep allies and clients from dragging the two powers into conflict",
    "PC": "build mechanisms that make the next incident less dangerous",
    "OBJ": "the exercise's own tasks still have to be done",
}


def shown(value: float) -> float:
    """A score as displayed: clamped to 0–100 and rounded to 0.1, but never shown as 0 when it is not.

    Zero means "nothing at all" on every card; a team that did a little must not read as one that did nothing.
    """
    clamped = min(100.0, max(0.0, value))
    rounded = round(clamped, 1)
    return 0.1 if rounded == 0 and clamped > 0 else rounded


def result(metric: str, value: float | None, explanation: str, evidence: Sequence[int] = ()) -> MetricResult:
    """A metric result with its name and theme; the value as ``shown``."""
    return MetricResult(
        id=metric,
        name=NAMES[metric],
        theme=THEMES[metric],
        value=None if value is None else shown(value),
        explanation=explanation,
        evidence=sorted(set(evidence)),
    )
