"""``score(scenario, events)``: the whole score card, a pure function of the scenario and the event log.

The log is read once into a ``Timeline``; every metric then works on that digest, so a 10,000-event
log scores in a few tens of milliseconds and the live scoreboard, the report and ``hotline score``
all get the same numbers from the same function.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.engine.events import Event
from app.scenario.schema import METRIC_IDS, Scenario
from app.scoring.conduct import gratuitous_offenses, media_reflex
from app.scoring.contact import leader_contact, milmil_contact
from app.scoring.cycle import active_pauses, overshoot, reflexive_escalation
from app.scoring.indicators import resolution_time, team_indicators
from app.scoring.joint import joint_score
from app.scoring.model import MetricResult, ScoreCard, TeamScore
from app.scoring.prevention import Deals, deals, preventive_cooperation
from app.scoring.tasks import objectives, rate_tasks
from app.scoring.team import activity_gate, weighted_score
from app.scoring.third_parties import third_party_management
from app.scoring.timeline import Timeline, digest


def _team(line: Timeline, team: str, found: Deals) -> TeamScore:
    gate = activity_gate(line, team)
    tasks = rate_tasks(line, team)
    metrics: dict[str, MetricResult] = {
        "LC": leader_contact(line, team),
        "MM": milmil_contact(line, team),
        "RX": reflexive_escalation(line, team, gate),
        "OV": overshoot(line, team, gate),
        "MR": media_reflex(line, team, gate),
        "AP": active_pauses(line, team),
        "GO": gratuitous_offenses(line, team, gate),
        "TP": third_party_management(line, team),
        "PC": preventive_cooperation(line, team, found),
        "OBJ": objectives(line, team, tasks),
    }
    assert tuple(metrics) == METRIC_IDS
    return TeamScore(
        team=team,
        score=weighted_score(metrics, line.params),
        gate=round(gate.value, 3),
        metrics=metrics,
        indicators=team_indicators(line, team),
        tasks=tasks,
    )


def score_timeline(line: Timeline) -> ScoreCard:
    found = deals(line)
    teams = {team: _team(line, team, found) for team in line.teams}
    joint = joint_score(line, {team: card.score for team, card in teams.items()}, found)
    return ScoreCard(
        scenario_id=line.scenario.id,
        last_seq=line.last_seq,
        scenario_time=line.now,
        teams=teams,
        joint=joint,
        resolution_time=resolution_time(line),
    )


def score(scenario: Scenario, events: Sequence[Event]) -> ScoreCard:
    """Score an exercise: every metric for both teams, team scores, the joint score, the indicators."""
    return score_timeline(digest(scenario, events))
