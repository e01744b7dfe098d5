"""Properties of the whole score card over random logs (hypothesis).

Every value stays in range whatever happens; a team that does nothing never outscores one that
reaches the other leader early and never escalates; the same log always gets the same card.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scenario.loader import load_scenario
from app.scenario.schema import Scenario
from app.scoring import score
from tests.scoring.builder import LogBuilder
from tests.scoring.conftest import DRILL

SCENARIO: Scenario = load_scenario(DRILL)
TEAMS = ("blue", "red")
ACTIONS = tuple(action.id for action in SCENARIO.actions)
CALM_ACTIONS = tuple(a.id for a in SCENARIO.actions if a.weight > SCENARIO.scoring.escalatory_weight)
INJECTS = tuple(inject.id for inject in SCENARIO.injects)
TASKS = tuple(task.id for objective in SCENARIO.objectives for task in objective.tasks)
KINDS = (
    "inject",
    "act",
    "act",
    "act",
    "call",
    "accept",
    "decline",
    "say",
    "hangup",
    "cable",
    "statement",
    "chat",
    "rate",
)

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

step = st.tuples(
    st.integers(min_value=0, max_value=90),  # minutes since the previous step
    st.sampled_from(KINDS),
    st.sampled_from(TEAMS),
    st.integers(min_value=0, max_value=10_000),  # picks an action, inject, task or rating
)


@dataclass
class Player:
    """Turns random steps into a coherent log: calls are answered only while they ring, and so on."""

    log: LogBuilder
    minute: float = 0.0
    ringing: dict[str, str] = field(default_factory=dict)  # call id → team called
    connected: list[str] = field(default_factory=list)

    def play(self, delay: int, kind: str, team: str, pick: int) -> None:
        self.minute += delay
        at = self.minute
        other = "red" if team == "blue" else "blue"
        if kind == "inject":
            self.log.inject(INJECTS[pick % len(INJECTS)], at)
        elif kind == "act":
            self.log.act(team, ACTIONS[pick % len(ACTIONS)], at)
        elif kind == "call":
            channel = "hotline" if pick % 2 else "milmil"
            self.ringing[self.log.call(team, at, channel)] = other
        elif kind in ("accept", "decline"):
            waiting = [call for call, callee in self.ringing.items() if callee == team]
            if waiting:
                call = waiting[pick % len(waiting)]
                del self.ringing[call]
                if kind == "accept":
                    self.log.accept(team, call, at)
                    self.connected.append(call)
                else:
                    self.log.decline(team, call, at)
        elif kind == "say" and self.connected:
            call = self.connected[pick % len(self.connected)]
            self.log.say(team, call, at, text="Listen.", facts="What we know." if pick % 3 else None)
        elif kind == "hangup" and self.connected:
            self.log.hang_up(team, self.connected.pop(pick % len(self.connected)), at)
        elif kind == "cable":
            self.log.cable(team, at)
        elif kind == "statement":
            self.log.statement(team, at)
        elif kind == "chat":
            self.log.chat(team, at)
        elif kind == "rate":
            rating = "PSMU"[pick % 4]
            self.log.rate(TASKS[pick % len(TASKS)], rating, at, team=team if pick % 2 else None)


def random_log(steps: list[tuple[int, str, str, int]], ended: bool) -> LogBuilder:
    player = Player(LogBuilder(SCENARIO))
    for item in steps:
        player.play(*item)
    if ended:
        player.log.end(player.minute + 1)
    return player.log


@PROPERTY
@given(steps=st.lists(step, max_size=80), ended=st.booleans())
def test_every_value_is_in_range_or_not_applicable(steps: list[tuple[int, str, str, int]], ended: bool) -> None:
    card = random_log(steps, ended).card()
    for team in card.teams.values():
        assert 0.0 <= team.score <= 100.0
        assert 0.0 <= team.gate <= 1.0
        assert set(team.metrics) == {"LC", "MM", "RX", "OV", "MR", "AP", "GO", "TP", "PC", "OBJ"}
        for metric in team.metrics.values():
            assert metric.value is None or 0.0 <= metric.value <= 100.0, metric
            assert metric.explanation
        for task in team.tasks:
            assert task.value in (None, 0.0, 35.0, 70.0, 100.0)
    assert 0.0 <= card.joint.value <= 100.0
    assert 0.0 <= card.joint.jt <= 100.0


@PROPERTY
@given(steps=st.lists(step, max_size=60))
def test_scores_are_deterministic_and_independent_of_input_order(steps: list[tuple[int, str, str, int]]) -> None:
    log = random_log(steps, ended=False)
    first = score(SCENARIO, log.events).model_dump_json()
    shuffled = list(log.events)
    random.Random(len(steps)).shuffle(shuffled)
    assert score(SCENARIO, log.events).model_dump_json() == first
    assert score(SCENARIO, shuffled).model_dump_json() == first


opponent_step = st.tuples(
    st.integers(min_value=0, max_value=120),
    st.sampled_from(("act", "act", "cable", "statement", "chat", "call")),
    st.integers(min_value=0, max_value=10_000),
)
own_step = st.tuples(st.integers(min_value=0, max_value=48 * 60), st.integers(min_value=0, max_value=10_000))


def two_worlds(
    team: str, opponent: list[tuple[int, str, int]], own: list[tuple[int, int]], ended: bool
) -> tuple[LogBuilder, LogBuilder]:
    """The same injects and the same opponent; ``team`` does nothing in the first log and, in the second,
    calls the other leader five minutes after the trigger, speaks with substance, and never escalates."""
    other = "red" if team == "blue" else "blue"
    timeline: list[tuple[float, int, str, tuple[object, ...]]] = []
    for inject in SCENARIO.injects:
        if inject.at is not None:
            timeline.append((inject.at / 60, 0, "inject", (inject.id,)))
    minute = 0.0
    for delay, kind, pick in opponent:
        minute += delay
        timeline.append((minute, 2, kind, (pick,)))
    active: list[tuple[float, int, str, tuple[object, ...]]] = [(5.0, 1, "contact", ())]
    active += [(float(at), 3, "calm", (pick,)) for at, pick in own]
    worlds = []
    nothing: list[tuple[float, int, str, tuple[object, ...]]] = []
    for own_moves in (nothing, active):
        log = LogBuilder(SCENARIO)
        for at, _, kind, args in sorted(timeline + own_moves, key=lambda item: (item[0], item[1])):
            pick = int(args[0]) if args and isinstance(args[0], int) else 0
            if kind == "inject":
                log.inject(str(args[0]), at)
            elif kind == "contact":
                call = log.call(team, at)
                log.accept(other, call, at)
                log.say(team, call, at, facts="What we know.", intent="We will not escalate.")
                log.hang_up(team, call, at)
            elif kind == "calm":
                log.act(team, CALM_ACTIONS[pick % len(CALM_ACTIONS)], at)
            elif kind == "act":
                log.act(other, ACTIONS[pick % len(ACTIONS)], at)
            elif kind == "cable":
                log.cable(other, at)
            elif kind == "statement":
                log.statement(other, at)
            elif kind == "chat":
                log.chat(other, at)
            elif kind == "call":
                log.miss(log.call(other, at, "hotline" if pick % 2 else "milmil"), at)
        if ended:
            log.end(max(at for at, *_ in timeline + own_moves) + 1)
        worlds.append(log)
    return worlds[0], worlds[1]


@PROPERTY
@given(
    team=st.sampled_from(TEAMS),
    opponent=st.lists(opponent_step, max_size=40),
    own=st.lists(own_step, max_size=15),
    ended=st.booleans(),
)
def test_doing_nothing_never_beats_early_contact_without_escalation(
    team: str, opponent: list[tuple[int, str, int]], own: list[tuple[int, int]], ended: bool
) -> None:
    idle, engaged = two_worlds(team, opponent, own, ended)
    idle_score = idle.card().teams[team].score
    engaged_score = engaged.card().teams[team].score
    assert idle_score == 0.0
    assert engaged_score > idle_score
