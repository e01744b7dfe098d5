"""Scenario-time notation: every accepted form parses, formats back, and bad input says what to write."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.scenario.timefmt import TimeFormatError, format_dhm, format_scenario_time, parse_scenario_time

HOUR = 3600


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("T+00:00", 0),
        ("T+01:30", HOUR + 30 * 60),
        ("T + 01:30", HOUR + 30 * 60),
        ("t+48:00", 48 * HOUR),
        ("T+01:30:15", HOUR + 30 * 60 + 15),
        ("01:30", HOUR + 30 * 60),
        ("130:05", 130 * HOUR + 5 * 60),
        ("D+1 H+3 M+45", 86400 + 3 * HOUR + 45 * 60),
        ("d+0 h+2", 2 * HOUR),
        ("H+3 M+45", 3 * HOUR + 45 * 60),
        ("M+90", 90 * 60),
        ("S+30", 30),
        (90, 90 * 60),
        (1.5, 90),
        (0, 0),
    ],
)
def test_accepted_notations(written: object, seconds: int) -> None:
    assert parse_scenario_time(written) == seconds


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("tomorrow", "write 'T+HH:MM'"),
        ("T+1:75", "write 'T+HH:MM'"),
        ("T-01:00", "write 'T+HH:MM'"),
        ("", "write 'T+HH:MM'"),
        ("D+", "write 'T+HH:MM'"),
        (-5, "cannot be negative"),
        (True, "not true/false"),
        (None, "got NoneType"),
        ([1, 2], "got list"),
    ],
)
def test_bad_input_says_what_to_write(written: object, words: str) -> None:
    with pytest.raises(TimeFormatError) as caught:
        parse_scenario_time(written)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "T+00:00"), (5400, "T+01:30"), (48 * HOUR, "T+48:00"), (100 * HOUR + 60, "T+100:01")],
)
def test_format_as_t_plus(seconds: int, text: str) -> None:
    assert format_scenario_time(seconds) == text
    assert parse_scenario_time(text) == seconds


def test_format_variants() -> None:
    assert format_scenario_time(5415, with_seconds=True) == "T+01:30:15"
    assert format_scenario_time(5400, prefix="") == "01:30"
    assert format_scenario_time(-600) == "-T+00:10"
    assert format_dhm(86400 + 3 * HOUR + 45 * 60) == "D+1 H+3 M+45"


@given(st.integers(min_value=0, max_value=9999 * HOUR))
def test_round_trip_with_seconds(seconds: int) -> None:
    assert parse_scenario_time(format_scenario_time(seconds, with_seconds=True)) == seconds


@given(st.integers(min_value=0, max_value=9999 * 60))
def test_round_trip_whole_minutes(minutes: int) -> None:
    seconds = minutes * 60
    assert parse_scenario_time(format_scenario_time(seconds)) == seconds
    assert parse_scenario_time(format_scenario_time(seconds, prefix="")) == seconds
    assert parse_scenario_time(format_dhm(seconds)) == seconds
    assert parse_scenario_time(minutes) == seconds
