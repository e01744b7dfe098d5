"""Standing measures, and the level of the crisis over time.

A blockade, an alert or sanctions stay in force after the move that imposed them: for the catalog
action's ``duration``, or until the same side takes one of its ``lifted_by`` actions (or ENDEX). An
attributed inject may be standing in the same way. OV compares a team's escalation with the highest
band of the other side in force; the joint score follows the level of the whole crisis after its peak.

A side's level at a moment is the highest of its standing measures in force and its *posture*: the
highest band of its one-off hostile moves since its last cooperative move (weight ≥ the cooperative
threshold). A milder threat after a strike does not undo the strike; stepping back does.

Both sweeps walk the log once with a heap, so long logs stay cheap.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.scoring.records import Move
from app.scoring.series import Mark

FOREVER = math.inf


@dataclass(frozen=True, slots=True)
class Measure:
    move: Move
    until: float
    """Scenario time it stops being in force (lifted or expired); ``FOREVER`` while neither has happened."""

    def in_force(self, time: float) -> bool:
        return self.move.time <= time < self.until


@dataclass(frozen=True, slots=True)
class Rule:
    """How long a move stays in force: ``duration`` seconds, or until one of ``lifted_by`` (or both)."""

    duration: float | None
    lifted_by: frozenset[str]


def measures(standing: Iterable[tuple[Move, Rule]], own_moves: Sequence[Move]) -> list[Measure]:
    """Each standing move with the time it stops being in force; ``own_moves`` are its side's moves (seq order)."""
    lifts: dict[str, tuple[list[int], list[float]]] = {}
    for move in own_moves:
        seqs, times = lifts.setdefault(move.action_id, ([], []))
        seqs.append(move.seq)
        times.append(move.time)
    found: list[Measure] = []
    for move, rule in standing:
        ends = [move.time + rule.duration] if rule.duration is not None else []
        for lifter in rule.lifted_by:
            seqs, times = lifts.get(lifter, ([], []))
            index = bisect_right(seqs, move.seq)
            if index < len(seqs):
                ends.append(times[index])
        found.append(Measure(move=move, until=min(ends, default=FOREVER)))
    found.sort(key=lambda measure: measure.move.seq)
    return found


def bands_in_force(in_force: Sequence[Measure], marks: Iterable[Mark | Move]) -> list[int]:
    """For each mark (in seq order): the highest band among the measures taken before it and in force at it."""
    heap: list[tuple[int, float]] = []
    bands: list[int] = []
    index = 0
    for mark in marks:
        while index < len(in_force) and in_force[index].move.seq < mark.seq:
            measure = in_force[index]
            heapq.heappush(heap, (-measure.move.band, measure.until))
            index += 1
        while heap and heap[0][1] <= mark.time:
            heapq.heappop(heap)
        bands.append(-heap[0][0] if heap else 0)
    return bands


@dataclass(frozen=True)
class Course:
    """How the crisis went at and after its peak."""

    peak: int
    peak_move: Move | None
    left_peak_at: float | None
    """When the level first fell below the peak after reaching it; None if it never did."""
    level_now: int


def course(
    moves: Sequence[Move], in_force: Mapping[str, Sequence[Measure]], cooperative_weight: float, now: float
) -> Course:
    """Walk every move (both sides, attributed ones too, seq order) and every end of a measure, in time order."""
    peak = max((move.band for move in moves), default=0)
    peak_move = next((move for move in moves if move.band == peak), None)
    if peak_move is None:
        return Course(peak=0, peak_move=None, left_peak_at=None, level_now=0)
    standing = {measure.move.seq for team_measures in in_force.values() for measure in team_measures}
    posture = {team: 0 for team in in_force}
    heaps: dict[str, list[tuple[int, float]]] = {team: [] for team in in_force}
    started = {team: 0 for team in in_force}
    ends = sorted({m.until for team_measures in in_force.values() for m in team_measures if m.until < FOREVER})
    moments = sorted({move.time for move in moves} | {end for end in ends if end <= now} | {now})
    left: float | None = None
    level = 0
    index = 0
    for moment in moments:
        while index < len(moves) and moves[index].time <= moment:
            move = moves[index]
            if move.weight >= cooperative_weight:
                posture[move.team] = 0
            elif move.weight < 0 and move.seq not in standing:
                posture[move.team] = max(posture.get(move.team, 0), move.band)
            index += 1
        level = 0
        for team, team_measures in in_force.items():
            heap = heaps[team]
            while started[team] < len(team_measures) and team_measures[started[team]].move.time <= moment:
                measure = team_measures[started[team]]
                heapq.heappush(heap, (-measure.move.band, measure.until))
                started[team] += 1
            while heap and heap[0][1] <= moment:
                heapq.heappop(heap)
            level = max(level, posture.get(team, 0), -heap[0][0] if heap else 0)
        if left is None and moment >= peak_move.time and level < peak:
            left = moment
    return Course(peak=peak, peak_move=peak_move, left_peak_at=left, level_now=level)
