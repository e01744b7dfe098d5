"""How a team's metrics combine: the activity gate G and the weighted team score.

The gate — doing nothing must never score well. G = min(1, substantive actions / decision injects that
reached the team), with at least one decision inject assumed, so a team that has done nothing
substantive has G = 0. RX, OV, MR and GO measure restraint; without the gate a silent team would
collect them for free. A *substantive action* is any catalog action the team took, and any
communication with the other side that carries content: a call message with facts, intent or a
proposal, a diplomatic cable, a public statement. Team chat, ringing the other side, answering a call
and empty call messages are not: the gate asks whether the team engaged with the crisis, not whether
it pressed buttons.

The team score — the weighted mean of the metrics that apply, N/A weights spread pro rata. The
weights come from the scenario's ``scoring.weights``; a metric the scenario leaves out keeps its
default of docs/scoring.md, so a scenario that only raises LC does not silently drop OBJ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.scenario.schema import ScoringParams
from app.scoring.catalog import shown
from app.scoring.curves import plural
from app.scoring.model import MetricResult
from app.scoring.timeline import Timeline

DEFAULT_WEIGHTS: dict[str, float] = ScoringParams().weights


@dataclass(frozen=True)
class Gate:
    value: float
    substantive: int
    decisions: int

    def note(self, before: float) -> str:
        """A clause for explanations when the gate lowered a value (``before`` the gate), else empty."""
        after = shown(before * self.value)
        if self.value >= 1 or after == shown(before):
            return ""
        return (
            f"; that is {before:.1f} before the activity gate, which lowered it to {after:.1f}"
            f" ({plural(self.substantive, 'substantive action')} for {plural(self.decisions, 'decision inject')}:"
            " doing little must not score well)"
        )


def activity_gate(line: Timeline, team: str) -> Gate:
    log = line.teams[team]
    decisions = sum(1 for release in log.releases if "decision" in release.tags)
    substantive = len(log.substantive)
    value = min(1.0, substantive / max(1, decisions))
    return Gate(value=value, substantive=substantive, decisions=decisions)


def metric_weights(params: ScoringParams) -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **params.weights}


def weighted_score(metrics: Mapping[str, MetricResult], params: ScoringParams) -> float:
    """Σ wᵢ·vᵢ / Σ wᵢ over metrics with a value; 0 when none applies."""
    weights = metric_weights(params)
    applicable = [
        (weights.get(metric, 0.0), result.value)
        for metric, result in metrics.items()
        if result.value is not None and weights.get(metric, 0.0) > 0
    ]
    total = sum(weight for weight, _ in applicable)
    if total <= 0:
        return 0.0
    return shown(sum(weight * (value or 0.0) for weight, value in applicable) / total)
