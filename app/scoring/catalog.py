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


def result(metric: str, value: float | None, explanation: str, evidence: Sequence[int] = ()) -> MetricResult:
    """A metric result with its name and theme; the value is clamped to 0–100 and rounded to 0.1."""
    shown = None if value is None else round(min(100.0, max(0.0, value)), 1)
    return MetricResult(
        id=metric,
        name=NAMES[metric],
        theme=THEMES[metric],
        value=shown,
        explanation=explanation,
        evidence=sorted(set(evidence)),
    )
