"""Scoring: metrics as pure functions of (scenario, events). See docs/scoring.md.

``score`` and the card's models are loaded on first use, so that the ``hotline`` command, which
registers ``hotline score`` from this package, starts without loading the scoring code.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.scenario.schema import METRIC_IDS
    from app.scoring.card import score
    from app.scoring.model import JointScore, MetricResult, ScoreCard, TaskRating, TeamScore

_EXPORTS = {
    "score": "app.scoring.card",
    "METRIC_IDS": "app.scenario.schema",
    "JointScore": "app.scoring.model",
    "MetricResult": "app.scoring.model",
    "ScoreCard": "app.scoring.model",
    "TaskRating": "app.scoring.model",
    "TeamScore": "app.scoring.model",
}

__all__ = ["METRIC_IDS", "JointScore", "MetricResult", "ScoreCard", "TaskRating", "TeamScore", "score"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'app.scoring' has no attribute {name!r}")
    return getattr(import_module(module), name)
