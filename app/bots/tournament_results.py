"""What a tournament's games add up to: the score matrix, each policy's standing, and the sensitivity.

The matrix has one cell per scenario and ordered pair of policies (the row plays the scenario's first
team, the column its second): the mean and the spread (sample standard deviation) over seeds of the
first team's score, the second team's and the joint score. A policy's standing is the mean of its own
team score over every game it played, on either side. Sensitivity compares each game played with
timings moved by up to ±10% with the same game played as written: how far each score moved, and
whether the policies' standings kept their order.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from app.bots.tournament import Game, Outcome

ALL = "all scenarios"


@dataclass(frozen=True)
class Stat:
    mean: float
    spread: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        if not values:
            return cls(0.0, 0.0, 0)
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        return cls(round(statistics.fmean(values), 2), round(spread, 2), len(values))


@dataclass(frozen=True)
class Cell:
    first: Stat
    second: Stat
    joint: Stat


Matrix = dict[str, dict[str, dict[str, Cell]]]


def _good(outcomes: Iterable[Outcome], variant: int | None = 0) -> list[Outcome]:
    return [o for o in outcomes if o.error is None and (variant is None or o.game.variant == variant)]


def matrix(outcomes: Sequence[Outcome]) -> Matrix:
    """scenario (and 'all scenarios') → first team's policy → second team's policy → cell, nominal games."""
    groups: dict[tuple[str, str, str], list[Outcome]] = {}
    for outcome in _good(outcomes):
        game = outcome.game
        for scenario in (game.scenario, ALL):
            groups.setdefault((scenario, game.blue, game.red), []).append(outcome)
    cells: Matrix = {}
    for (scenario, first, second), games in groups.items():
        cells.setdefault(scenario, {}).setdefault(first, {})[second] = Cell(
            first=Stat.of([g.score(0) for g in games]),
            second=Stat.of([g.score(1) for g in games]),
            joint=Stat.of([g.joint for g in games]),
        )
    return cells


def standings(outcomes: Sequence[Outcome], variant: int = 0) -> dict[str, dict[str, Stat]]:
    """scenario (and 'all scenarios') → policy → its team score over all its games, best first."""
    scores: dict[str, dict[str, list[float]]] = {}
    for outcome in _good(outcomes, variant):
        game = outcome.game
        for scenario in (game.scenario, ALL):
            by_policy = scores.setdefault(scenario, {})
            by_policy.setdefault(game.blue, []).append(outcome.score(0))
            by_policy.setdefault(game.red, []).append(outcome.score(1))
    return {
        scenario: dict(sorted(((p, Stat.of(v)) for p, v in by_policy.items()), key=lambda item: -item[1].mean))
        for scenario, by_policy in scores.items()
    }


@dataclass(frozen=True)
class Movement:
    """How far scores moved when timings moved: mean and largest absolute change, in points."""

    team_mean: float
    team_max: float
    joint_mean: float
    joint_max: float
    games: int
    rank_agreement: float
    """Kendall's τ between the policies' standings as written and with timings moved (1: same order)."""
    same_order: float
    """Share of the variants in which the standings kept exactly their order."""


def _kendall(first: Sequence[str], second: Sequence[str]) -> float:
    position = {policy: index for index, policy in enumerate(second)}
    pairs = list(combinations(first, 2))
    if not pairs:
        return 1.0
    agree = sum(1 if position[a] < position[b] else -1 for a, b in pairs)
    return round(agree / len(pairs), 3)


def sensitivity(outcomes: Sequence[Outcome]) -> dict[str, Movement]:
    """scenario (and 'all scenarios') → how much the scores moved across the perturbed variants."""
    base: dict[Game, Outcome] = {o.game: o for o in _good(outcomes)}
    team: dict[str, list[float]] = {}
    joint: dict[str, list[float]] = {}
    for outcome in _good(outcomes, None):
        game = outcome.game
        reference = base.get(Game(game.scenario, game.blue, game.red, game.seed, 0))
        if game.variant == 0 or reference is None:
            continue
        for scenario in (game.scenario, ALL):
            team.setdefault(scenario, []).extend(abs(outcome.score(i) - reference.score(i)) for i in (0, 1))
            joint.setdefault(scenario, []).append(abs(outcome.joint - reference.joint))
    variants = sorted({o.game.variant for o in _good(outcomes, None)} - {0})
    written = standings(outcomes)
    agreement: dict[str, list[float]] = {}
    for variant in variants:
        moved = standings(outcomes, variant)
        for scenario, order in written.items():
            if scenario in moved and set(moved[scenario]) == set(order):
                agreement.setdefault(scenario, []).append(_kendall(list(order), list(moved[scenario])))
    return {
        scenario: Movement(
            team_mean=round(statistics.fmean(deltas), 2),
            team_max=round(max(deltas), 1),
            joint_mean=round(statistics.fmean(joint[scenario]), 2),
            joint_max=round(max(joint[scenario]), 1),
            games=len(joint[scenario]),
            rank_agreement=round(statistics.fmean(agreement.get(scenario, [1.0])), 3),
            same_order=round(sum(1 for tau in agreement.get(scenario, []) if tau == 1.0) / max(1, len(variants)), 2),
        )
        for scenario, deltas in team.items()
    }
