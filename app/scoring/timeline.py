"""One pass over the event log that turns it into what scoring talks about.

Per team: its moves (catalog actions with weight, band, tags, visibility), its escalations, the
messages it sent, the moments it talked or deliberated, the moments it checked facts or spoke
privately with the other side, its hotline moves, the injects that reached it. For the exercise: T0,
every inject release, every call and its first substantive message, evaluator ratings, the newest seq.

The leaders' hotline and the mil-mil link are found from the scenario rather than by id: the hotline
is the call channel the ``leader`` role holds, the mil-mil link the one the ``defense`` role holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from app.engine.events import ALL, Event, EventType
from app.scenario.schema import ChannelKind, Scenario, ScoringParams
from app.scoring.series import Mark, Series

HOTLINE_ROLE = "leader"
MILMIL_ROLE = "defense"


class Move(NamedTuple):
    """One ``action_taken``: a catalog move by a team."""

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


class Release(NamedTuple):
    """One ``inject_released`` and the teams it reached."""

    seq: int
    time: float
    inject_id: str
    title: str
    tags: frozenset[str]
    teams: frozenset[str]
    decision_window: float | None


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


@dataclass(frozen=True, slots=True)
class Rated:
    """An evaluator's ``task_rated``."""

    seq: int
    time: float
    task_id: str
    team: str | None
    rating: str
    rationale: str


@dataclass
class TeamLog:
    team: str
    name: str
    moves: Series[Move] = field(default_factory=Series)
    escalations: Series[Move] = field(default_factory=Series)
    conflicts: Series[Move] = field(default_factory=Series)
    cooperative: Series[Move] = field(default_factory=Series)
    messages: Series[Mark] = field(default_factory=Series)
    # The team talked to the other side, sent a message or deliberated: a reply after this is not a reflex.
    calm: Series[Mark] = field(default_factory=Series)
    # The team checked facts or spoke privately with the other side: a public move after this is not a media reflex.
    checks: Series[Mark] = field(default_factory=Series)
    substantive: list[Mark] = field(default_factory=list)
    cables: list[Mark] = field(default_factory=list)
    statements: list[Mark] = field(default_factory=list)
    hotline_requests: list[Mark] = field(default_factory=list)
    hotline_accepts: list[Mark] = field(default_factory=list)
    hotline_declines: list[Mark] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)


@dataclass
class Timeline:
    scenario: Scenario
    params: ScoringParams
    teams: dict[str, TeamLog]
    hotline: str | None
    milmil: str | None
    trigger: Release | None = None
    releases: list[Release] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    calls: dict[str, Call] = field(default_factory=dict)
    ratings: list[Rated] = field(default_factory=list)
    last_seq: int = 0
    now: float = 0.0
    ended: bool = False

    @property
    def t0(self) -> float:
        """Scenario time of the trigger; STARTEX when no trigger has been released."""
        return self.trigger.time if self.trigger is not None else 0.0

    def other(self, team: str) -> TeamLog:
        return next(log for team_id, log in self.teams.items() if team_id != team)

    def name(self, team: str) -> str:
        return self.teams[team].name

    def first_substantive(self, channel: str | None) -> Call | None:
        """The call on ``channel`` whose substance came first (both sides accepted, facts/intent/proposal)."""
        if channel is None:
            return None
        candidates = [c for c in self.calls.values() if c.channel == channel and c.first_substantive is not None]
        return min(candidates, key=lambda c: c.first_substantive.seq if c.first_substantive else 0, default=None)


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


def _substantive(payload: dict[str, Any]) -> bool:
    return any(payload.get(key) for key in ("facts", "intent", "proposal"))


class _Digester:
    def __init__(self, scenario: Scenario) -> None:
        params = scenario.scoring
        self.line = Timeline(
            scenario=scenario,
            params=params,
            teams={team.id: TeamLog(team=team.id, name=team.name) for team in scenario.teams},
            hotline=call_channel_held_by(scenario, HOTLINE_ROLE),
            milmil=call_channel_held_by(scenario, MILMIL_ROLE),
        )
        self.team_ids = tuple(self.line.teams)
        self.escalatory_weight = params.escalatory_weight
        self.cooperative_weight = params.cooperative_weight
        self.handlers: dict[EventType, Callable[[Event], None]] = {
            EventType.action_taken: self._action,
            EventType.inject_released: self._release,
            EventType.call_requested: self._request,
            EventType.call_accepted: self._accepted,
            EventType.call_declined: self._declined,
            EventType.call_message: self._call_message,
            EventType.cable_sent: self._written,
            EventType.statement_published: self._written,
            EventType.task_rated: self._rated,
            EventType.exercise_ended: self._ended,
        }

    def _log(self, event: Event) -> TeamLog | None:
        team = event.actor.team
        return self.line.teams.get(team) if team is not None else None

    def _accepted(self, event: Event) -> None:
        call = self.line.calls.get(event.payload.get("call_id", ""))
        if call is None or call.accepted is not None:
            return
        mark = Mark(event.seq, event.scenario_time)
        call.accepted = mark
        self._contact(call, mark)
        log = self._log(event)
        if call.channel == self.line.hotline and log is not None:
            log.hotline_accepts.append(mark)

    def _declined(self, event: Event) -> None:
        call = self.line.calls.get(event.payload.get("call_id", ""))
        log = self._log(event)
        if call is not None and call.channel == self.line.hotline and log is not None:
            log.hotline_declines.append(Mark(event.seq, event.scenario_time))

    def _written(self, event: Event) -> None:
        """A cable or a public statement: a message with content; a cable is also private contact."""
        log = self._log(event)
        if log is None:
            return
        mark = Mark(event.seq, event.scenario_time)
        log.messages.add_once(mark)
        log.calm.add_once(mark)
        log.substantive.append(mark)
        if event.type is EventType.cable_sent:
            log.cables.append(mark)
            log.checks.add_once(mark)
        else:
            log.statements.append(mark)

    def _rated(self, event: Event) -> None:
        payload = event.payload
        self.line.ratings.append(
            Rated(
                seq=event.seq,
                time=event.scenario_time,
                task_id=str(payload.get("task_id", "")),
                team=payload.get("team"),
                rating=str(payload.get("rating", "")),
                rationale=str(payload.get("rationale", "")),
            )
        )

    def _ended(self, event: Event) -> None:
        self.line.ended = True

    def _action(self, event: Event) -> None:
        # The hot path of a long log: positional tuple, payload values used as the engine wrote them.
        log = self._log(event)
        if log is None:
            return
        payload = event.payload
        seq, time = event.seq, event.scenario_time
        weight = float(payload.get("weight", 0.0))
        tags = frozenset(payload.get("tags", ()))
        action_id = payload.get("action_id", "")
        escalatory, cooperative = weight <= self.escalatory_weight, weight >= self.cooperative_weight
        move = Move(
            seq,
            time,
            log.team,
            action_id,
            payload.get("label") or action_id,
            payload.get("channel", ""),
            weight,
            int(payload.get("band", 0)),
            payload.get("visibility") == "public",
            tags,
            escalatory,
            cooperative,
        )
        mark = Mark(seq, time)
        self.line.moves.append(move)
        log.moves.add(move)
        log.substantive.append(mark)
        if escalatory:
            log.escalations.add(move)
        if weight < 0:
            log.conflicts.add(move)
        if cooperative:
            log.cooperative.add(move)
        if tags:
            if "deliberation" in tags:
                log.calm.add_once(mark)
            if "verification" in tags:
                log.checks.add_once(mark)

    def _release(self, event: Event) -> None:
        payload = event.payload
        window = payload.get("decision_window")
        release = Release(
            seq=event.seq,
            time=event.scenario_time,
            inject_id=str(payload.get("inject_id", "")),
            title=str(payload.get("title", payload.get("inject_id", ""))),
            tags=frozenset(payload.get("tags", ())),
            teams=addressed_teams(event.audience, self.team_ids),
            decision_window=float(window) if window is not None else None,
        )
        self.line.releases.append(release)
        if self.line.trigger is None and "trigger" in release.tags:
            self.line.trigger = release
        for team in release.teams:
            self.line.teams[team].releases.append(release)

    def _request(self, event: Event) -> None:
        payload = event.payload
        mark = Mark(event.seq, event.scenario_time)
        from_team, to_team = str(payload.get("from_team", "")), str(payload.get("to_team", ""))
        call = Call(
            call_id=str(payload.get("call_id", "")),
            channel=str(payload.get("channel", "")),
            from_team=from_team,
            to_team=to_team,
            requested=mark,
        )
        self.line.calls[call.call_id] = call
        caller = self.line.teams.get(from_team)
        if caller is not None and call.channel == self.line.hotline:
            caller.hotline_requests.append(mark)

    def _contact(self, call: Call, mark: Mark) -> None:
        for team in (call.from_team, call.to_team):
            log = self.line.teams.get(team)
            if log is not None:
                log.calm.add_once(mark)
                log.checks.add_once(mark)

    def _call_message(self, event: Event) -> None:
        payload = event.payload
        call = self.line.calls.get(payload.get("call_id", ""))
        if call is None:
            return
        mark = Mark(event.seq, event.scenario_time)
        sender = self._log(event)
        substantive = _substantive(payload)
        if sender is not None:
            sender.messages.add_once(mark)
            if substantive:
                sender.substantive.append(mark)
        self._contact(call, mark)
        if substantive and call.first_substantive is None and call.accepted is not None:
            call.first_substantive = mark


def digest(scenario: Scenario, events: Iterable[Event]) -> Timeline:
    """Read the log once, in seq order."""
    digester = _Digester(scenario)
    handlers = digester.handlers
    ordered = sorted(events, key=attrgetter("seq"))
    for event in ordered:
        handler = handlers.get(event.type)
        if handler is not None:
            handler(event)
    if ordered:
        digester.line.last_seq = ordered[-1].seq
        digester.line.now = ordered[-1].scenario_time
    return digester.line
