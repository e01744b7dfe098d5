"""Sensitivity: the same scenario with every timing moved by up to ±10%, each by its own seeded factor.

What moves: every timed inject's release time, every contingency condition's deadline and delay, decision
windows, the ring timeout, the letter delays, the durations of standing measures (in the catalog and in
attributions), and the scoring windows and curves. ENDEX stays where it is, and no inject moves past it,
so a perturbed scenario is always valid. The trigger at T+00:00 stays at 0 (a factor times 0 is 0).

The bots' own delays are perturbed by their ``tempo`` (see ``Policy.plan``).
"""

from __future__ import annotations

import random
from typing import Any

from app.scenario.schema import Scenario
from app.scenario.timefmt import format_scenario_time, parse_scenario_time
from app.scoring.rules import contact_curve

SPREAD = 0.10
# Fields (anywhere in the scenario) that hold a scenario time or duration, in seconds.
_TIMINGS = frozenset(
    {
        "at",
        "by",
        "delay",
        "decision_window",
        "ring_timeout",
        "teletype",
        "letter",
        "duration",
        "reflex_window",
        "media_window",
        "third_party_window",
        "early_contact_bonus_window",
        "a",
        "b",
        "c",
    }
)
_SKIP = frozenset({"translations", "objectives", "teams"})


def perturbed(scenario: Scenario, variant: int, spread: float = SPREAD) -> Scenario:
    """Variant ``variant`` (1, 2, …) of ``scenario``: every timing × its own factor in [1 − spread, 1 + spread]."""
    rng = random.Random(f"{scenario.id}:{variant}")
    data = scenario.model_dump(mode="json")  # scenario times as text: nothing is re-read as minutes
    for field, metric in (("leader_contact", "LC"), ("milmil_contact", "MM")):  # the curves in use, made explicit
        data["scoring"][field] = contact_curve(scenario, metric).model_dump(mode="json")
    end = scenario.end

    def move(node: Any, key: str | None = None) -> Any:
        if isinstance(node, dict):
            return {k: node[k] if k in _SKIP else move(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [move(item, key) for item in node]
        if key in _TIMINGS and isinstance(node, str):
            moved = round(parse_scenario_time(node) * rng.uniform(1 - spread, 1 + spread))
            return format_scenario_time(min(moved, end) if key in ("at", "by") else moved, with_seconds=True)
        return node

    moved = move(data)
    moved["id"] = f"{scenario.id}.v{variant}"
    moved["title"] = f"{scenario.title} (timings ±{round(spread * 100)}%, variant {variant})"
    return Scenario.model_validate(moved)


def tempo(seed: int, variant: int, team: str, spread: float = SPREAD) -> float:
    """A bot's tempo in variant ``variant``: 1 for the nominal game (variant 0), else within ±spread."""
    if variant == 0:
        return 1.0
    return random.Random(f"tempo:{seed}:{variant}:{team}").uniform(1 - spread, 1 + spread)
