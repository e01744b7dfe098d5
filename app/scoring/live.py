"""The live scoreboard: keeps each exercise's card current and pushes it to the consoles that may see it.

It listens to the services' publish stream. Each exercise's events are cached in memory (read from
the store once, then appended as they are published), and the card is recomputed at most every
``interval`` seconds: the first event after a quiet spell arms one timer on the ``Clock``, and every
event until it fires rides along. Control and observer consoles always get the ``scores`` message;
team consoles only while the facilitator shows the scores, and at once when that is switched on.

A team's card is derived through the same visibility rules as everything else it receives: it is
the score of the events the team may see (what a whole-team seat sees), so the other side's private
moves, evaluators' ratings and control's notes cannot reach it through a number (the peak band of a
private move, say). It can therefore differ from the control cell's card. Of that card teams get the
values only: explanations, evidence, task ratings and indicators stay with control and evaluators.

Nothing is computed for an exercise nobody is watching: its card goes stale and is brought up to
date when a console joins or the card is asked for. The cache of an ended exercise that nobody is
watching is dropped, so a long-running server holds only the logs of exercises in play.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.engine.clock import Clock, TimerHandle
from app.engine.events import Event, EventType
from app.engine.manager import ExerciseManager
from app.engine.visibility import Viewer, view_for
from app.realtime.hub import Connection, Hub
from app.realtime.protocol import Scores
from app.scenario.schema import Scenario
from app.scoring.card import score
from app.scoring.model import ScoreCard

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 0.5
PLAYER_NOTE = "The explanation and its evidence are shown to the control cell and evaluators."


def players_view(card: ScoreCard) -> ScoreCard:
    """The card as team consoles get it: every value, no explanation, evidence, task or indicator."""
    teams = {
        team: result.model_copy(
            update={
                "metrics": {
                    metric: value.model_copy(update={"explanation": PLAYER_NOTE, "evidence": []})
                    for metric, value in result.metrics.items()
                },
                "indicators": {},
                "tasks": [],
            }
        )
        for team, result in card.teams.items()
    }
    joint = card.joint.model_copy(update={"explanation": PLAYER_NOTE, "evidence": []})
    return card.model_copy(update={"teams": teams, "joint": joint})


@dataclass
class _Board:
    scenario: Scenario
    events: list[Event]
    card: ScoreCard | None = None
    text: str | None = None
    team_texts: dict[str, str] = field(default_factory=dict)
    stale: bool = True
    timer: TimerHandle | None = None
    last_run: float | None = None
    ended: bool = False

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def last_run_due(self, interval: float) -> float:
        return (self.last_run or 0.0) + interval


class LiveScoreboard:
    def __init__(self, manager: ExerciseManager, hub: Hub, clock: Clock, *, interval: float = DEFAULT_INTERVAL) -> None:
        self.manager = manager
        self.hub = hub
        self.clock = clock
        self.interval = interval
        self._boards: dict[str, _Board] = {}

    # --- the publish stream ---

    def on_events(self, exercise_id: str, events: Sequence[Event]) -> None:
        """Listener for ``Services.listeners``: cache the events and schedule a recompute."""
        loaded = exercise_id not in self._boards
        try:
            board = self._board(exercise_id)
        except Exception:  # a scoreboard problem must never stop events from being published
            log.exception("scoreboard could not load exercise %s", exercise_id)
            return
        newest = board.last_seq
        fresh = [event for event in events if event.seq > newest]
        board.events.extend(fresh)
        board.ended = board.ended or any(event.type is EventType.exercise_ended for event in fresh)
        if fresh or loaded:  # a board loaded just now already holds these events, but nobody has seen its card
            board.stale = True
            self._schedule(exercise_id, board)
        if any(e.type is EventType.scores_visibility_changed and e.payload.get("visible") for e in events):
            self._show_teams(exercise_id, board)

    def _schedule(self, exercise_id: str, board: _Board) -> None:
        if board.timer is not None:
            return  # the armed recompute will include these events
        now = self.clock.monotonic()
        due = now if board.last_run is None else max(now, board.last_run + self.interval)
        try:
            board.timer = self.clock.call_at(due, lambda: self._flush(exercise_id))
        except RuntimeError:  # no event loop (an offline tool publishing): recompute now
            self._flush(exercise_id)

    def _flush(self, exercise_id: str) -> None:
        board = self._boards.get(exercise_id)
        if board is None:
            return
        board.timer = None
        self._forget_idle()
        if not self.hub.connections(exercise_id):
            return  # stays stale until a console joins or the card is asked for
        if not self._may_run(board):
            # A console's hello or a REST read recomputed the card meanwhile; keep to the interval.
            board.timer = self.clock.call_at(board.last_run_due(self.interval), lambda: self._flush(exercise_id))
            return
        try:
            if board.stale or board.text is None:
                self._recompute(board)
        except Exception:
            log.exception("scoring exercise %s failed; the previous card stays up", exercise_id)
            return
        visible = self._teams_see_scores(exercise_id)
        self.hub.broadcast(exercise_id, lambda connection: _text_for(connection, board, visible))

    def _recompute(self, board: _Board) -> None:
        board.last_run = self.clock.monotonic()
        board.card = score(board.scenario, board.events)
        board.text = Scores(scores=board.card.model_dump(mode="json")).model_dump_json()
        board.team_texts = {}  # each team's card is computed when a console of that team needs it
        board.stale = False

    # --- asking for the card ---

    def card(self, exercise_id: str) -> ScoreCard:
        """The current card, recomputed if events arrived since the last one (for REST and reports)."""
        board = self._board(exercise_id)
        if board.stale or board.card is None:
            self._recompute(board)
        assert board.card is not None
        return board.card

    def greet(self, connection: Connection) -> None:
        """Send a just-attached console the latest card, if it may see scores (call after ``hub.attach``)."""
        try:
            board = self._board(connection.exercise_id)
            visible = self._teams_see_scores(connection.exercise_id)
            if not _may_see(connection, visible):
                return
            if board.text is None or (board.stale and self._may_run(board)):
                self._recompute(board)
            elif board.stale:
                self._schedule(connection.exercise_id, board)
        except Exception:
            log.exception("could not send scores to a console of %s", connection.exercise_id)
            return
        text = _text_for(connection, board, visible)
        if text is not None:
            self.hub.send(connection, text)

    # --- internals ---

    def _board(self, exercise_id: str) -> _Board:
        board = self._boards.get(exercise_id)
        if board is None:
            runtime = self.manager.runtime(exercise_id)
            events = self.manager.store.read(exercise_id)
            ended = any(event.type is EventType.exercise_ended for event in events)
            board = _Board(scenario=runtime.scenario, events=events, ended=ended)
            self._boards[exercise_id] = board
        return board

    def _may_run(self, board: _Board) -> bool:
        return board.last_run is None or self.clock.monotonic() >= board.last_run_due(self.interval)

    def _forget_idle(self) -> None:
        for exercise_id, board in list(self._boards.items()):
            if board.ended and board.timer is None and not self.hub.connections(exercise_id):
                del self._boards[exercise_id]

    def _teams_see_scores(self, exercise_id: str) -> bool:
        return self.manager.runtime(exercise_id).state.scores_visible

    def _show_teams(self, exercise_id: str, board: _Board) -> None:
        """Scores were just switched on: teams get the card now rather than at the next recompute."""
        if board.text is None:
            try:
                self._recompute(board)
            except Exception:
                log.exception("scoring exercise %s failed", exercise_id)
                return
        self.hub.broadcast(
            exercise_id,
            lambda connection: _text_for(connection, board, True) if connection.principal.kind == "player" else None,
        )


def team_card(scenario: Scenario, events: Sequence[Event], team: str) -> ScoreCard:
    """The card a team's consoles show: the score of what the team may see, values only."""
    viewer = Viewer(kind="player", team=team, roles=frozenset(role.id for role in scenario.team(team).roles))
    visible = [seen for event in events if (seen := view_for(viewer, event)) is not None]
    return players_view(score(scenario, visible))


def _may_see(connection: Connection, teams_see_scores: bool) -> bool:
    return connection.principal.kind != "player" or teams_see_scores


def _text_for(connection: Connection, board: _Board, teams_see_scores: bool) -> str | None:
    team = connection.principal.team
    if connection.principal.kind != "player":
        return board.text
    if not teams_see_scores or team is None:
        return None
    if team not in board.team_texts:
        try:
            card = team_card(board.scenario, board.events, team)
        except Exception:  # the previous card stays up, as for control's
            log.exception("scoring team %s failed", team)
            return None
        board.team_texts[team] = Scores(scores=card.model_dump(mode="json")).model_dump_json()
    return board.team_texts[team]
