"""Scoring stays linear in the log: a 10,000-event log scores in well under a second.

The real figure (tens of milliseconds) comes from ``bench/scoring.py``; this test only has to catch a
quadratic scan creeping in, which would take many seconds at this size, so its bound is loose enough
for a busy CI machine.
"""

from __future__ import annotations

import random
import time

from app.scoring import score
from tests.scoring.builder import LogBuilder
from tests.scoring.test_properties import KINDS, SCENARIO, TEAMS, Player

EVENTS = 10_000
CPU_BUDGET_SECONDS = 2.0


def long_log() -> LogBuilder:
    rng = random.Random(1)
    player = Player(LogBuilder(SCENARIO))
    while len(player.log.events) < EVENTS:
        player.play(rng.randint(0, 1), rng.choice(KINDS), rng.choice(TEAMS), rng.randint(0, 10_000))
    return player.log


def test_ten_thousand_events_score_quickly() -> None:
    events = long_log().events
    timings = []
    for _ in range(3):
        started = time.process_time()
        card = score(SCENARIO, events)
        timings.append(time.process_time() - started)
    assert card.last_seq == len(events)
    assert min(timings) < CPU_BUDGET_SECONDS, timings
