"""The time curve f(x; A, B, C) and how durations read in explanations."""

from __future__ import annotations

import math

import pytest

from app.scenario.schema import Curve, ScoringParams
from app.scoring.curves import clock, duration, falloff

LC_CURVE = Curve(a="01:00", b="12:00", c="48:00")


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, 100.0),
        (3600, 100.0),  # up to A: full marks
        (12 * 3600, 50.0),  # B: half
        (48 * 3600, 0.0),  # C: nothing
        (100 * 3600, 0.0),
        (math.sqrt(3600 * 12 * 3600), 75.0),  # halfway between A and B on a log scale
        (math.sqrt(12 * 3600 * 48 * 3600), 25.0),  # halfway between B and C
    ],
)
def test_curve_is_flat_then_log_linear(seconds: float, expected: float) -> None:
    assert falloff(seconds, LC_CURVE) == pytest.approx(expected)


def test_what_never_happened_scores_zero() -> None:
    assert falloff(None, LC_CURVE) == 0.0


def test_degenerate_curve_steps_down() -> None:
    flat = Curve(a="00:10", b="00:10", c="00:10")
    assert falloff(600, flat) == 100.0
    assert falloff(601, flat) == 0.0


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "30 s"), (40 * 60, "40 min"), (2 * 3600, "2 h"), (2 * 3600 + 15 * 60, "2 h 15 min"), (26 * 3600, "26 h")],
)
def test_durations_read_naturally(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_clock_format() -> None:
    assert clock(2 * 3600 + 5 * 60) == "T+02:05"


def test_default_parameters_are_designs_in_seconds() -> None:
    params = ScoringParams()
    assert (params.leader_contact.a, params.leader_contact.b, params.leader_contact.c) == (3600, 43200, 172800)
    assert (params.milmil_contact.a, params.milmil_contact.b, params.milmil_contact.c) == (1800, 21600, 172800)
    assert (params.reflex_window, params.media_window, params.third_party_window) == (3600, 3600, 21600)
    assert params.early_contact_bonus_window == 43200
    assert sum(params.weights.values()) == pytest.approx(1.0)
