"""Each team's escalation band over time (the band of its latest move, from its catalog actions), and its
domestic pressure over the same time when the scenario has a media world."""

from __future__ import annotations

from app.engine.events import Event, EventType
from app.media.pressure import pressure_board
from app.reports.model import EscalationPoint, EscalationSeries, PressurePoint, PressureSeries
from app.scenario.schema import Scenario


def escalation_series(scenario: Scenario, events: list[Event]) -> list[EscalationSeries]:
    points: dict[str, list[EscalationPoint]] = {team.id: [] for team in scenario.teams}
    for event in events:
        if event.type is not EventType.action_taken or event.actor.team not in points:
            continue
        payload = event.payload
        points[event.actor.team].append(
            EscalationPoint(
                seq=event.seq,
                wall_time=event.wall_time,
                scenario_time=event.scenario_time,
                band=int(payload.get("band", 0)),
                label=str(payload.get("label", payload.get("action_id", ""))),
            )
        )
    return [
        EscalationSeries(
            team=team.id,
            name=team.name,
            points=points[team.id],
            peak_band=max((point.band for point in points[team.id]), default=None),
        )
        for team in scenario.teams
    ]


def pressure_series(scenario: Scenario, events: list[Event]) -> list[PressureSeries]:
    board = pressure_board(scenario, events)
    if board is None:
        return []
    series: list[PressureSeries] = []
    for team in scenario.teams:
        history = board.teams[team.id].history
        points = [PressurePoint(scenario_time=at, value=round(value, 2)) for at, value in history]
        series.append(PressureSeries(team=team.id, name=team.name, points=points, peak=max(p.value for p in points)))
    return series
