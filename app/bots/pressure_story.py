"""How the domestic pressure went for each team in a game, and where a team gave in to it.

A move "gives in" when it is a public escalation (weight ≤ −4) made while the team's pressure stood above
40 and had risen within the ten scenario minutes before: the answer the media demanded, given at once.
``hotline demo`` prints this under the scores, so a game between ``hawk`` and ``grit`` shows the pressure
rising and the hawk reacting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.engine.events import ActionTaken, Event, EventType
from app.media.pressure import new_board
from app.scenario.schema import Scenario
from app.scenario.timefmt import format_scenario_time

GIVING_IN_ABOVE = 40.0
RISE_WINDOW = 600.0
ESCALATION = -4.0


@dataclass(frozen=True)
class GaveIn:
    at: float
    pressure: float
    label: str


@dataclass
class PressureStory:
    team: str
    start: float
    peak: float
    peak_at: float
    end: float
    gave_in: list[GaveIn] = field(default_factory=list)

    def line(self, name: str, policy: str) -> str:
        text = (
            f"{name} ({policy}): {self.start:.0f} → peak {self.peak:.0f} at {format_scenario_time(self.peak_at)}"
            f" → {self.end:.0f} at the end"
        )
        if not self.gave_in:
            return text + "; never gave in"
        moves = ", ".join(
            f"{format_scenario_time(move.at)} {move.label} (pressure {move.pressure:.0f})" for move in self.gave_in
        )
        return text + f"; gave in {len(self.gave_in)}×: {moves}"


def pressure_stories(scenario: Scenario, events: Sequence[Event]) -> dict[str, PressureStory]:
    """Team → its story; empty for a scenario without a media world."""
    board = new_board(scenario)
    if board is None:
        return {}
    stories = {
        team: PressureStory(team, level.value, level.value, 0.0, level.value) for team, level in board.teams.items()
    }
    risen_at: dict[str, float] = {}
    for event in events:
        team = event.actor.team
        if event.type is EventType.action_taken and team in stories:
            move = ActionTaken.model_validate(event.payload)
            before = board.value(team)
            recent = event.scenario_time - risen_at.get(team, -RISE_WINDOW - 1) <= RISE_WINDOW
            if move.visibility == "public" and move.weight <= ESCALATION and before > GIVING_IN_ABOVE and recent:
                stories[team].gave_in.append(GaveIn(event.scenario_time, before, move.label))
        previous = {name: level.value for name, level in board.teams.items()}
        board.apply(event)
        for name, level in board.teams.items():
            story = stories[name]
            if level.value > previous[name]:
                risen_at[name] = event.scenario_time
            if level.value > story.peak:
                story.peak, story.peak_at = level.value, event.scenario_time
            story.end = level.value
    return stories
