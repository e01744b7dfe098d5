"""The records scoring reads the log into: moves, inject releases, calls, words said, evaluator ratings.

Each is a small immutable value stamped with the seq and scenario time it counts from, so the
``Series`` queries (bisection over seqs and times) work on all of them alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from app.engine.events import ALL
from app.scenario.schema import ChannelKind, Scenario
from app.scoring.series import Mark


class Move(NamedTuple):
    """A move of a team: a catalog action it took, or an act an attributed inject reports it made."""

    seq: int
    time: float
    team: str
    action_id: str
    label: str
    channel: str
    weight: float
    band: int
    public: bool
    tags: frozenset[str]
    escalatory: bool
    cooperative: bool
    attributed: bool = False
    """Reported by an inject (a collision, a strike) rather than chosen in the game: it counts as this side's
    move for the other side's RX, OV and AP and for the joint score, never in this side's own conduct."""
    timed: bool = True
    """False for an attributed inject released in a burst (a jump, a late release): no one could answer it in
    time, so no response window runs from it."""


@dataclass(slots=True)
class Release:
    """One ``inject_released`` and the teams it reached (``opens`` is set when a paused exercise resumes)."""

    seq: int
    time: float
    inject_id: str
    title: str
    tags: frozenset[str]
    teams: frozenset[str]
    decision_window: float | None
    burst: bool = False
    """Released by a jump, or late after a restart: part of a burst nobody could answer as it came."""
    opens: float = 0.0
    """When the teams could start answering: the release, or, for one released while paused, the resumption."""


@dataclass(slots=True)
class Call:
    call_id: str
    channel: str
    from_team: str
    to_team: str
    requested: Mark
    accepted: Mark | None = None
    first_substantive: Mark | None = None

    def involves(self, team: str) -> bool:
        return team in (self.from_team, self.to_team)


class Said(NamedTuple):
    """Something of substance (facts, intent or a proposal) that reached the other side.

    On a call it counts when it is said (the call connected); in writing when it is delivered, at the time
    it was due. ``medium`` is None for a call, else ``teletype`` or ``letter``.
    """

    seq: int
    time: float
    channel: str
    medium: str | None
    facts: bool
    intent: bool
    proposal: bool


class Reach(NamedTuple):
    """A team's move toward the other leader: asking for a call, taking one, or a letter, when it arrives."""

    seq: int
    time: float
    how: str
    """What the team did, in words: 'asked for a call', 'took the other side's call', 'wrote ...'."""
    medium: str | None


@dataclass(frozen=True, slots=True)
class Rated:
    """An evaluator's ``task_rated``."""

    seq: int
    time: float
    task_id: str
    team: str | None
    rating: str
    rationale: str


def call_channel_held_by(scenario: Scenario, role: str) -> str | None:
    for channel in scenario.channels_of_kind(ChannelKind.call):
        if any(holder_role == role for _, holder_role in scenario.holders(channel.id)):
            return channel.id
    return None


def addressed_teams(audience: Iterable[str], team_ids: Sequence[str]) -> frozenset[str]:
    """Teams an audience reaches: 'all', 'team:<t>' and 'role:<t>:<r>' entries; 'control' reaches none."""
    teams: set[str] = set()
    for entry in audience:
        if entry == ALL:
            return frozenset(team_ids)
        if entry.startswith("team:"):
            teams.add(entry[5:])
        elif entry.startswith("role:"):
            teams.add(entry.split(":", 2)[1])
    return frozenset(team for team in teams if team in team_ids)


def said_in(seq: int, time: float, channel: str, medium: str | None, payload: dict[str, Any]) -> Said | None:
    parts = tuple(bool(payload.get(key)) for key in ("facts", "intent", "proposal"))
    return Said(seq, time, channel, medium, *parts) if any(parts) else None
