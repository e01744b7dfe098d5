"""One pass over the event log that turns it into what scoring talks about.

Per team: its moves (catalog actions with weight, band, tags, visibility) and the acts attributed
injects report it made, its escalations, the standing measures it keeps in force, the messages it
sent, the moments it talked or deliberated, the moments it checked facts or spoke privately with the
other side, its moves toward the other leader, what of substance it said and heard on each line, the
injects that reached it. For the exercise: T0, every inject release (and whether it came in a burst,
or while paused), every call and its first substantive message, evaluator ratings, the newest seq.

The leaders' hotline and the mil-mil link are found from the scenario rather than by id: the hotline
is the call channel the ``leader`` role holds, the mil-mil link the one the ``defense`` role holds.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from app.engine.events import Event, EventType, ReleaseInternal
from app.media.pressure import new_board
from app.scenario.schema import LEADER_ROLE, Attribution, Scenario, ScoringParams
from app.scoring.records import Call, Move, Rated, Reach, Release, Said, addressed_teams, call_channel_held_by, said_in
from app.scoring.series import Mark, Series
from app.scoring.standing import Measure, Rule, measures

MILMIL_ROLE = "defense"

__all__ = ["Call", "Mark", "Move", "Rated", "Reach", "Release", "Said", "TeamLog", "Timeline", "digest"]


@dataclass
class TeamLog:
    team: str
    name: str
    moves: Series[Move] = field(default_factory=Series)
    escalations: Series[Move] = field(default_factory=Series)
    conflicts: Series[Move] = field(default_factory=Series)
    cooperative: Series[Move] = field(default_factory=Series)
    # What the other side has to answer: this team's escalations and the escalatory acts attributed injects
    # report it made, those released in a burst left out (no one could answer them as they came).
    provocations: Series[Move] = field(default_factory=Series)
    # Every hostile act of this team, attributed ones included: what the other side's OV compares with.
    hostile: Series[Move] = field(default_factory=Series)
    standing: list[Measure] = field(default_factory=list)
    messages: Series[Mark] = field(default_factory=Series)
    # The team talked to the other side, sent a message or deliberated: a reply after this is not a reflex.
    calm: Series[Mark] = field(default_factory=Series)
    # The team checked facts or spoke privately with the other side: a public move after this is not a media reflex.
    checks: Series[Mark] = field(default_factory=Series)
    substantive: list[Mark] = field(default_factory=list)
    cables: list[Mark] = field(default_factory=list)
    statements: list[Mark] = field(default_factory=list)
    reach: list[Reach] = field(default_factory=list)
    """Moves toward the other leader on the hotline: calls asked for or taken, letters delivered (when due)."""
    wrote: list[Mark] = field(default_factory=list)
    """Letters the team sent on the hotline, when it sent them."""
    declines: list[Mark] = field(default_factory=list)
    """Hotline calls of the other side this team declined."""
    said: list[Said] = field(default_factory=list)
    """Substance this team conveyed to the other side, on every call channel, in calls and in writing."""
    heard: list[Said] = field(default_factory=list)
    """Substance the other side said on a call this team was on."""
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
    """Every move of both teams, attributed acts included, in seq order."""
    calls: dict[str, Call] = field(default_factory=dict)
    ratings: list[Rated] = field(default_factory=list)
    last_seq: int = 0
    now: float = 0.0
    ended: bool = False
    pressure: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    """Team → (seq, its domestic pressure from that event on); empty without a media world."""

    def pressure_at(self, team: str, seq: int) -> float:
        """The team's pressure just after event ``seq`` (0 without a media world)."""
        points = self.pressure.get(team)
        if not points:
            return 0.0
        index = bisect_right(points, (seq, math.inf)) - 1
        return points[index][1] if index >= 0 else points[0][1]

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


class _Digester:
    def __init__(self, scenario: Scenario) -> None:
        params = scenario.scoring
        self.line = Timeline(
            scenario=scenario,
            params=params,
            teams={team.id: TeamLog(team=team.id, name=team.name) for team in scenario.teams},
            hotline=call_channel_held_by(scenario, LEADER_ROLE),
            milmil=call_channel_held_by(scenario, MILMIL_ROLE),
        )
        self.team_ids = tuple(self.line.teams)
        self.escalatory_weight = params.escalatory_weight
        self.cooperative_weight = params.cooperative_weight
        self.rules = {
            action.id: Rule(
                float(action.duration) if action.duration is not None else None, frozenset(action.lifted_by)
            )
            for action in scenario.actions
            if action.standing
        }
        self.standing: dict[str, list[tuple[Move, Rule]]] = {team: [] for team in self.team_ids}
        self.paused = False
        self.waiting: list[Release] = []
        """Released while paused: they open when play resumes."""
        self.handlers: dict[EventType, Callable[[Event], None]] = {
            EventType.action_taken: self._action,
            EventType.inject_released: self._release,
            EventType.call_requested: self._request,
            EventType.call_accepted: self._accepted,
            EventType.call_declined: self._declined,
            EventType.call_message: self._call_message,
            EventType.letter_sent: self._letter_sent,
            EventType.letter_delivered: self._letter_delivered,
            EventType.cable_sent: self._written,
            EventType.statement_published: self._written,
            EventType.task_rated: self._rated,
            EventType.exercise_paused: self._paused,
            EventType.exercise_resumed: self._resumed,
            EventType.exercise_ended: self._ended,
        }

    def _log(self, event: Event) -> TeamLog | None:
        team = event.actor.team
        return self.line.teams.get(team) if team is not None else None

    # --- moves ---

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
            weight <= self.escalatory_weight,
            weight >= self.cooperative_weight,
        )
        mark = Mark(seq, time)
        log.moves.add(move)
        log.substantive.append(mark)
        self._act(log, move, self.rules.get(action_id))
        if move.escalatory:
            log.escalations.add(move)
        if weight < 0:
            log.conflicts.add(move)
        if move.cooperative:
            log.cooperative.add(move)
        if tags:
            if "deliberation" in tags:
                log.calm.add_once(mark)
            if "verification" in tags:
                log.checks.add_once(mark)

    def _act(self, log: TeamLog, move: Move, rule: Rule | None) -> None:
        """What a move or an attributed act is for the other side and for the joint score."""
        self.line.moves.append(move)
        if move.escalatory and move.timed:
            log.provocations.add(move)
        if move.weight < 0:
            log.hostile.add(move)
        if rule is not None:
            self.standing[log.team].append((move, rule))

    # --- injects ---

    def _release(self, event: Event) -> None:
        payload = event.payload
        window = payload.get("decision_window")
        inject_id = str(payload.get("inject_id", ""))
        release = Release(
            seq=event.seq,
            time=event.scenario_time,
            inject_id=inject_id,
            title=str(payload.get("title", inject_id)),
            tags=frozenset(payload.get("tags", ())),
            teams=addressed_teams(event.audience, self.team_ids),
            decision_window=float(window) if window is not None else None,
            burst=payload.get("cause") == "jump" or bool(payload.get("late")),
            opens=event.scenario_time,
        )
        if self.paused:
            self.waiting.append(release)
        self.line.releases.append(release)
        if self.line.trigger is None and "trigger" in release.tags:
            self.line.trigger = release
        for team in release.teams:
            self.line.teams[team].releases.append(release)
        if payload.get("cause") == "adhoc":  # ad hoc: the facilitator attributed it when writing it, or not
            internal = ReleaseInternal.of(event)
            attribution = internal.attribution if internal is not None else None
            self._attributed(release, attribution, str(payload.get("channel", "")))
        else:
            inject = self.line.scenario.inject(inject_id)
            if inject is not None:
                self._attributed(release, inject.attribution, inject.channel)

    def _attributed(self, release: Release, attribution: Attribution | None, channel: str) -> None:
        log = self.line.teams.get(attribution.side) if attribution is not None else None
        if attribution is None or log is None:
            return
        weight = float(attribution.weight)
        move = Move(
            release.seq,
            release.time,
            log.team,
            release.inject_id,
            release.title,
            channel,
            weight,
            attribution.band,
            True,
            frozenset(),
            weight <= self.escalatory_weight,
            weight >= self.cooperative_weight,
            attributed=True,
            timed=not release.burst,
        )
        standing = attribution.duration is not None or bool(attribution.lifted_by)
        duration = float(attribution.duration) if attribution.duration is not None else None
        self._act(log, move, Rule(duration, frozenset(attribution.lifted_by)) if standing else None)

    def _paused(self, event: Event) -> None:
        self.paused = True

    def _resumed(self, event: Event) -> None:
        self.paused = False
        for release in self.waiting:
            release.opens = event.scenario_time
        self.waiting = []

    # --- calls ---

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
            caller.reach.append(Reach(mark.seq, mark.time, "asked for a call", None))

    def _accepted(self, event: Event) -> None:
        call = self.line.calls.get(event.payload.get("call_id", ""))
        if call is None or call.accepted is not None:
            return
        mark = Mark(event.seq, event.scenario_time)
        call.accepted = mark
        self._contact(call, mark)
        log = self._log(event)
        if call.channel == self.line.hotline and log is not None:
            log.reach.append(Reach(mark.seq, mark.time, "took the other side's call", None))

    def _declined(self, event: Event) -> None:
        call = self.line.calls.get(event.payload.get("call_id", ""))
        log = self._log(event)
        if call is not None and call.channel == self.line.hotline and log is not None:
            log.declines.append(Mark(event.seq, event.scenario_time))

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
        said = said_in(mark.seq, mark.time, call.channel, None, payload)
        if sender is not None:
            sender.messages.add_once(mark)
            if said is not None:
                sender.substantive.append(mark)
        self._contact(call, mark)
        if said is None or call.accepted is None:
            return
        if call.first_substantive is None:
            call.first_substantive = mark
        if sender is not None and call.involves(sender.team):
            sender.said.append(said)
            self.line.other(sender.team).heard.append(said)  # on the line: it picked up or rang

    # --- writing ---

    def _sent(self, event: Event, *, private: bool) -> tuple[TeamLog, Mark] | None:
        """A message with content the team sent: it talked; a private one also counts as checking."""
        log = self._log(event)
        if log is None:
            return None
        mark = Mark(event.seq, event.scenario_time)
        log.messages.add_once(mark)
        log.calm.add_once(mark)
        log.substantive.append(mark)
        if private:
            log.checks.add_once(mark)
        return log, mark

    def _letter_sent(self, event: Event) -> None:
        sent = self._sent(event, private=True)
        if sent is not None and event.payload.get("channel") == self.line.hotline:
            sent[0].wrote.append(sent[1])

    def _letter_delivered(self, event: Event) -> None:
        payload = event.payload
        sender = str(payload.get("from_team", ""))
        due = payload.get("due_at")
        time = min(event.scenario_time, float(due)) if due is not None else event.scenario_time
        channel, medium = str(payload.get("channel", "")), str(payload.get("medium", "letter"))
        log = self.line.teams.get(sender)
        if log is None:
            return
        if channel == self.line.hotline:
            log.reach.append(Reach(event.seq, time, f"wrote to the other leader: a {medium} that arrived", medium))
        said = said_in(event.seq, time, channel, medium, payload)
        if said is not None:
            log.said.append(said)  # reading a letter is no act: the recipient earns nothing by it

    def _written(self, event: Event) -> None:
        """A cable or a public statement: a message with content; a cable is also private contact."""
        cable = event.type is EventType.cable_sent
        sent = self._sent(event, private=cable)
        if sent is not None:
            log, mark = sent
            (log.cables if cable else log.statements).append(mark)

    # --- the rest ---

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

    def finish(self, ordered: Sequence[Event]) -> Timeline:
        line = self.line
        if ordered:
            line.last_seq = ordered[-1].seq
            line.now = ordered[-1].scenario_time
        for team, log in line.teams.items():
            log.standing = measures(self.standing[team], list(log.moves))
        return line


def digest(scenario: Scenario, events: Iterable[Event]) -> Timeline:
    """Read the log once, in seq order."""
    digester = _Digester(scenario)
    handlers = digester.handlers
    ordered = sorted(events, key=attrgetter("seq"))
    board = new_board(scenario)
    pressure = digester.line.pressure
    if board is not None:
        pressure.update({team: [(0, level.value)] for team, level in board.teams.items()})
    for event in ordered:
        handler = handlers.get(event.type)
        if handler is not None:
            handler(event)
        if board is not None:
            board.apply(event)
            for team, level in board.teams.items():
                if level.value != pressure[team][-1][1]:
                    pressure[team].append((event.seq, level.value))
    return digester.finish(ordered)
