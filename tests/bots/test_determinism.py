"""The same seed plays the same game: identical scores and an identical log, whatever the compression.

The pacer fixes every move to a scenario time chosen by the script, so neither machine speed nor the
exercise's compression (which only sets the log's wall times here) may change a score.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from app.bots.match import MatchResult, MatchSetup
from app.scenario.loader import load_scenario
from tests.bots.helpers import log_events, play_setups, shortest_bundled

SCENARIO = shortest_bundled()
SCENARIO_ID = load_scenario(SCENARIO).id
PAIRING = ("hawk", "tft")  # both draw on their random streams


def _comparable(result: MatchResult) -> list[dict[str, Any]]:
    """The log without what differs by design between runs: ids, wall times and the compression."""
    stripped = []
    for event in log_events(result.log):
        payload = {
            key: value for key, value in event["payload"].items() if key not in ("seat_id", "clock", "compression")
        }
        actor = {key: value for key, value in event["actor"].items() if key != "seat_id"}
        stripped.append({**event, "payload": payload, "actor": actor, "exercise_id": None, "wall_time": None})
    return stripped


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MatchResult]:
    work = tmp_path_factory.mktemp("determinism")
    variants = {"first": (7, None), "again": (7, 1.0), "other": (8, None), "odd": (7, 3001.0)}
    setups = [
        MatchSetup(PAIRING, SCENARIO_ID, seed=seed, compression=compression, out_dir=work / name)
        for name, (seed, compression) in variants.items()
    ]
    return dict(zip(variants, play_setups(SCENARIO, setups, work / "server"), strict=True))


def test_the_same_seed_gives_the_same_scores_and_the_same_log(runs: dict[str, MatchResult]) -> None:
    first, again = runs["first"], runs["again"]
    assert first.exercise_id != again.exercise_id
    assert first.card.model_dump(mode="json") == again.card.model_dump(mode="json")
    assert _comparable(first) == _comparable(again)


def test_the_seed_steers_the_bots_random_choices(runs: dict[str, MatchResult]) -> None:
    def moves(result: MatchResult) -> list[str]:
        return [e["payload"]["action_id"] for e in log_events(result.log) if e["type"] == "action_taken"]

    assert moves(runs["first"]) != moves(runs["other"])


def test_an_odd_compression_still_plays_to_endex(runs: dict[str, MatchResult]) -> None:
    # At 3001× float rounding leaves scenario time a hair short of due times; the clock must move on.
    events = log_events(runs["odd"].log)
    assert events[-1]["type"] == "exercise_ended"
    assert events[-1]["scenario_time"] == pytest.approx(runs["odd"].scenario.end, abs=1)
    assert runs["odd"].card.teams["red"].score > runs["odd"].card.teams["blue"].score


def test_the_wall_times_in_the_log_follow_the_compression(runs: dict[str, MatchResult]) -> None:
    def span(result: MatchResult) -> float:
        events = log_events(result.log)
        started = next(e for e in events if e["type"] == "exercise_started")
        return (
            datetime.fromisoformat(events[-1]["wall_time"]) - datetime.fromisoformat(started["wall_time"])
        ).total_seconds()

    assert span(runs["again"]) == runs["again"].scenario.end  # compression 1: as long as the scenario
    assert span(runs["first"]) == runs["first"].scenario.end / runs["first"].scenario.default_compression


def test_the_log_is_named_after_scenario_pairing_and_seed(runs: dict[str, MatchResult]) -> None:
    log = runs["first"].log
    assert log.name == f"{runs['first'].scenario.id}-blue-hawk-red-tft-seed7.jsonl"
