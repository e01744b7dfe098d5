"""Fixtures for the scoring tests: the drill scenario and a log builder over it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from app.scenario.loader import load_scenario
from app.scenario.schema import InjectTag, Scenario
from app.scoring.model import MetricResult, ScoreCard
from tests.conftest import FIXTURES
from tests.realtime.conftest import live  # noqa: F401  (the real-server fixture, for the live scoreboard tests)
from tests.scoring.builder import LogBuilder

DRILL = FIXTURES / "scoring" / "drill.yaml"
HOUR = 60  # the builder counts in minutes


@pytest.fixture(scope="session")
def drill() -> Scenario:
    return load_scenario(DRILL)


@pytest.fixture
def log(drill: Scenario) -> LogBuilder:
    """A fresh log of the drill scenario, with the trigger released at T+00:00."""
    builder = LogBuilder(drill)
    builder.inject("trigger", 0)
    return builder


@pytest.fixture
def blank(drill: Scenario) -> Callable[[], LogBuilder]:
    """A log with nothing released yet."""
    return lambda: LogBuilder(drill)


def value(card: ScoreCard, team: str, metric: str) -> float | None:
    return card.teams[team].metrics[metric].value


def result(card: ScoreCard, team: str, metric: str) -> MetricResult:
    return card.teams[team].metrics[metric]


def without_channels(scenario: Scenario, channels: Iterable[str]) -> Scenario:
    """The scenario with some channels taken away from every role."""
    dropped = set(channels)
    teams = [
        team.model_copy(
            update={
                "roles": [
                    role.model_copy(update={"channels": [c for c in role.channels if c not in dropped]})
                    for role in team.roles
                ]
            }
        )
        for team in scenario.teams
    ]
    return scenario.model_copy(update={"teams": teams})


def without_inject_tag(scenario: Scenario, tag: InjectTag) -> Scenario:
    injects = [i.model_copy(update={"tags": [t for t in i.tags if t is not tag]}) for i in scenario.injects]
    return scenario.model_copy(update={"injects": injects})
