"""The time curve f(x; A, B, C) and how durations read in explanations.

Principle 2, late contact is better than none: f falls strictly with time and stays above 0 for any
contact at all; only "never" scores 0. In scenarios longer than C the default curve stretches to ENDEX.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.scenario.schema import Curve, ScoringParams
from app.scoring.curves import clock, duration, falloff
from app.scoring.rules import DEFAULT_LEADER_CURVE, DEFAULT_MILMIL_CURVE, contact_curve
from tests.scoring.conftest import DRILL

LC_CURVE = DEFAULT_LEADER_CURVE
DAY = 24 * 3600


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, 100.0),
        (1800, 97.5),  # halfway to A: barely less than at once
        (3600, 95.0),  # A
        (12 * 3600, 50.0),  # B: half
        (48 * 3600, 10.0),  # C: little, but something
        (96 * 3600, 5.0),  # beyond C: 10·C/x
        (math.sqrt(3600 * 12 * 3600), 72.5),  # halfway between A and B on a log scale
        (math.sqrt(12 * 3600 * 48 * 3600), 30.0),  # halfway between B and C
    ],
)
def test_curve_landmarks(seconds: float, expected: float) -> None:
    assert falloff(seconds, LC_CURVE) == pytest.approx(expected)


def test_what_never_happened_scores_zero() -> None:
    assert falloff(None, LC_CURVE) == 0.0


def test_a_first_contact_on_day_six_still_beats_none() -> None:
    assert falloff(6 * DAY, LC_CURVE) > falloff(None, LC_CURVE)


def test_degenerate_curve_steps_down_but_not_to_zero() -> None:
    flat = Curve(a="00:10", b="00:10", c="00:10")
    assert falloff(600, flat) == 95.0
    assert 0 < falloff(601, flat) < 10.0


curves = st.tuples(st.integers(0, 3 * DAY), st.integers(0, 3 * DAY), st.integers(0, 3 * DAY)).map(
    lambda points: Curve(a=sorted(points)[0] / 60, b=sorted(points)[1] / 60, c=sorted(points)[2] / 60)
)
times = st.floats(min_value=0, max_value=60 * DAY, allow_nan=False)


@given(curve=curves, earlier=times, later=times)
def test_sooner_is_always_better_and_late_is_never_nothing(curve: Curve, earlier: float, later: float) -> None:
    earlier, later = sorted((earlier, later))
    first, second = falloff(earlier, curve), falloff(later, curve)
    assert 0 < second <= first <= 100
    if later - earlier >= 1.0:  # below a second, durations carry no meaning (and floats round)
        assert second < first


def test_long_scenarios_stretch_c_to_endex_and_a_scenario_may_set_its_own() -> None:
    from app.scenario.loader import load_scenario

    drill = load_scenario(DRILL)
    assert contact_curve(drill, "LC") == DEFAULT_LEADER_CURVE  # 24 h: shorter than C, unchanged
    week = drill.model_copy(update={"end": 7 * DAY})
    assert contact_curve(week, "LC") == Curve(a="01:00", b="12:00", c="168:00")
    assert contact_curve(week, "MM") == Curve(a="00:30", b="06:00", c="168:00")
    assert falloff(6 * DAY, contact_curve(week, "LC")) > falloff(6 * DAY, DEFAULT_LEADER_CURVE)
    own = Curve(a="00:30", b="06:00", c="24:00")
    fixed = week.model_copy(update={"scoring": week.scoring.model_copy(update={"leader_contact": own})})
    assert contact_curve(fixed, "LC") == own
    assert contact_curve(fixed, "MM").c == 7 * DAY


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "30 s"), (40 * 60, "40 min"), (2 * 3600, "2 h"), (2 * 3600 + 15 * 60, "2 h 15 min"), (26 * 3600, "26 h")],
)
def test_durations_read_naturally(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_clock_format() -> None:
    assert clock(2 * 3600 + 5 * 60) == "T+02:05"


def test_default_parameters_in_seconds() -> None:
    params = ScoringParams()
    assert params.leader_contact is None and params.milmil_contact is None  # the defaults, stretched if need be
    assert (DEFAULT_LEADER_CURVE.a, DEFAULT_LEADER_CURVE.b, DEFAULT_LEADER_CURVE.c) == (3600, 43200, 172800)
    assert (DEFAULT_MILMIL_CURVE.a, DEFAULT_MILMIL_CURVE.b, DEFAULT_MILMIL_CURVE.c) == (1800, 21600, 172800)
    assert (params.reflex_window, params.media_window, params.third_party_window) == (3600, 3600, 21600)
    assert params.early_contact_bonus_window == 43200
    assert sum(params.weights.values()) == pytest.approx(1.0)
