"""Each team's domestic pressure, 0–100, as a fold of the event log (docs/scenario-format.md, "Media").

What moves it (the numbers are the scenario's ``media.pressure``):

- a media inject that reaches the team (tagged ``media``, or on the news or social channel): up;
- the other side's public hostile move: up, by ``hostile_move`` per point of negative weight;
- the team's own public hostile move: down by ``answer`` (the public wanted an answer and got one);
- its calming public moves (reassurance, restraint, de-escalation) and free statements: down;
- a leaders' call both sides accepted, which the public sees: down for both teams;
- a media post or article: by what its template adds, and ``silence`` each window the team stays silent
  while its pressure is at or above ``silence_threshold`` (those posts are scheduled by
  ``app.media.reactions``).

``pressure_changed`` events only report the fold to consoles; they are not read back into it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.engine.events import (
    CONTROL,
    SYSTEM,
    ActionTaken,
    Event,
    EventDraft,
    EventType,
    MediaPublished,
    PressureChanged,
    draft,
    team_audience,
)
from app.scenario.media import PressureParams
from app.scenario.schema import LEADER_ROLE, ChannelKind, Scenario

CALMING_TAGS = frozenset({"reassurance", "restraint", "de_escalation"})
LOWEST, HIGHEST = 0.0, 100.0


def clamp(value: float) -> float:
    return min(HIGHEST, max(LOWEST, value))


@dataclass
class TeamPressure:
    value: float
    last_voice: float = 0.0
    """When the team last spoke in public (a public move or a statement)."""
    high_since: float | None = None
    """Since when its pressure has been at or above the silence threshold."""
    last_silence: float | None = None
    silence_posts: int = 0
    reported: float | None = None
    """The value the last ``pressure_changed`` event told consoles."""
    changed_at: float = 0.0
    history: list[tuple[float, float]] = field(default_factory=list)
    """(scenario time, value from then on), one point per change; starts at STARTEX."""
    peaks: list[tuple[float, float]] = field(default_factory=list)
    """The points of ``history`` that rose above every earlier one: when each level was first reached."""

    def __post_init__(self) -> None:
        self.history.append((0.0, self.value))
        self.peaks.append((0.0, self.value))


@dataclass
class PressureBoard:
    params: PressureParams
    teams: dict[str, TeamPressure]
    media_channels: frozenset[str]
    leader_channels: frozenset[str]

    def value(self, team: str) -> float:
        return self.teams[team].value

    def add(self, team: str, delta: float, at: float) -> None:
        pressure = self.teams.get(team)
        if pressure is None or delta == 0:
            return
        before = pressure.value
        pressure.value = clamp(before + delta)
        if pressure.value == before:
            return
        pressure.changed_at = at
        pressure.history.append((at, pressure.value))
        if pressure.value > pressure.peaks[-1][1]:
            pressure.peaks.append((at, pressure.value))
        high = pressure.value >= self.params.silence_threshold
        if high and pressure.high_since is None:
            pressure.high_since = at
        elif not high:
            pressure.high_since = None

    def first_reached(self, team: str, level: float) -> float | None:
        """When the team's pressure first stood at ``level`` or above, if it has."""
        pressure = self.teams.get(team)
        if pressure is None:
            return None
        peaks = pressure.peaks  # rising values: the first at or above ``level`` is found by bisection
        index = bisect_left(peaks, level, key=lambda peak: peak[1])
        return peaks[index][0] if index < len(peaks) else None

    def silence_due(self, team: str) -> float | None:
        """When the team's silence draws its next post, if its pressure is high."""
        pressure = self.teams[team]
        if pressure.high_since is None:
            return None
        since = max(pressure.last_voice, pressure.high_since, pressure.last_silence or 0.0)
        return since + self.params.silence_window

    def apply(self, event: Event) -> None:
        at = event.scenario_time
        params = self.params
        kind = event.type
        if kind is EventType.inject_released:
            payload = event.payload
            if "media" in payload.get("tags", []) or payload.get("channel") in self.media_channels:
                for team in self.reached(event.audience):
                    self.add(team, params.media_inject, at)
        elif kind is EventType.action_taken and event.actor.team in self.teams:
            self.moved(event.actor.team, ActionTaken.model_validate(event.payload), at)
        elif kind is EventType.statement_published and event.actor.team in self.teams:
            self.teams[event.actor.team].last_voice = at
            self.add(event.actor.team, -params.statement, at)
        elif kind is EventType.call_accepted and event.payload.get("channel") in self.leader_channels:
            for team in self.teams:
                self.add(team, -params.leader_contact, at)
        elif kind is EventType.media_published:
            published = MediaPublished.model_validate(event.payload)
            if published.cause == "silence" and published.about_team in self.teams:
                silent = self.teams[published.about_team]
                silent.last_silence = at
                silent.silence_posts += 1
            for team, delta in sorted(published.pressure.items()):
                self.add(team, delta, at)
        elif kind is EventType.pressure_changed and event.payload.get("team") in self.teams:
            self.teams[event.payload["team"]].reported = float(event.payload["value"])

    def moved(self, team: str, move: ActionTaken, at: float) -> None:
        if move.visibility != "public":
            return  # the public never hears of it
        self.teams[team].last_voice = at
        if move.weight < 0:
            for other in self.teams:
                if other != team:
                    self.add(other, self.params.hostile_move * -move.weight, at)
            self.add(team, -self.params.answer, at)
        if CALMING_TAGS & set(move.tags):
            self.add(team, -self.params.calming, at)

    def reached(self, audience: list[str]) -> list[str]:
        if "all" in audience:
            return list(self.teams)
        return [team for team in self.teams if any(entry.split(":")[1:2] == [team] for entry in audience)]

    def unreported(self) -> list[str]:
        """Teams whose pressure has moved since the last ``pressure_changed`` said so."""
        start = self.params.start
        return [
            team
            for team, pressure in self.teams.items()
            if round(pressure.value, 3) != round(start if pressure.reported is None else pressure.reported, 3)
        ]


def new_board(scenario: Scenario) -> PressureBoard | None:
    """The pressure board at STARTEX, or None for a scenario without a media world."""
    media = scenario.media
    if media is None:
        return None
    params = media.pressure
    leader_channels = frozenset(
        channel.id
        for channel in scenario.channels_of_kind(ChannelKind.call)
        if any(role == LEADER_ROLE for _, role in scenario.holders(channel.id))
    )
    return PressureBoard(
        params=params,
        teams={team.id: TeamPressure(value=params.start) for team in scenario.teams},
        media_channels=frozenset({media.news_channel, media.social_channel}),
        leader_channels=leader_channels,
    )


def pressure_board(scenario: Scenario, events: Iterable[Event]) -> PressureBoard | None:
    board = new_board(scenario)
    if board is not None:
        for event in events:
            board.apply(event)
    return board


def pressure_draft(board: PressureBoard, team: str) -> EventDraft:
    """Tells the team's consoles (and control) where its pressure now stands."""
    pressure = board.teams[team]
    previous = pressure.reported if pressure.reported is not None else board.params.start
    change = PressureChanged(team=team, value=round(pressure.value, 3), previous=round(previous, 3))
    return draft(EventType.pressure_changed, SYSTEM, [team_audience(team), CONTROL], change)
