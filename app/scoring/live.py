"""The live scoreboard: keeps each exercise's card current and pushes it to the consoles that may see it.

It listens to the services' publish stream. The card of an exercise in play is computed by one
process, its owner (docs/architecture.md, "Live scores"): the owner caches the exercise's events
(read from the log once, then appended as they are published) and recomputes the card at most every
``interval`` seconds: the first event after a quiet spell arms one timer on the ``Clock``, and every
event until it fires rides along. Each card it computes goes to its own consoles and, through
``relay``, to every other process, which hands it to its consoles. A process that greets a console
before it has a card asks the owner for one (``ask``). An ended exercise has no owner; its card
changes only with the hot wash and evaluators' notes, and each process that shows it computes it.

Control and observer consoles always get the ``scores`` message; team consoles only while the
facilitator shows the scores, and at once when that is switched on.

A team's card is derived through the same visibility rules as everything else it receives
(docs/architecture.md, "Who sees what"): it is the score of the events the team may see (what a
whole-team seat sees), so the other side's private moves, evaluators' ratings and control's notes
cannot reach it through a number (the peak band of a private move, say). It can therefore differ
from the control cell's card. Of that card teams get the values only: explanations, evidence, task
ratings and indicators stay with control and evaluators. Teams' cards are computed (and relayed)
only while the facilitator shows scores to teams.

Nothing is computed for an exercise nobody is watching: its card goes stale and is brought up to
date when a console joins or the card is asked for. The cache of an ended exercise that nobody is
watching is dropped, so a long-running server holds only the logs of exercises in play.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.engine.clock import Clock, TimerHandle
from app.engine.events import Event, EventType, ReleaseInternal
from app.engine.manager import ExerciseManager
from app.engine.runtime import ExerciseRuntime
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


@dataclass(frozen=True)
class ScoreTexts:
    """A computed card as it goes out: the control cell's ``scores`` message, and each team's while
    teams are shown scores."""

    last_seq: int
    text: str
    team_texts: dict[str, str] = field(default_factory=dict)


Relay = Callable[[str, ScoreTexts], None]
Ask = Callable[[str], None]


@dataclass
class _Board:
    scenario: Scenario
    events: list[Event] | None = None
    """The log, while this process computes the card; None while another process does."""
    card: ScoreCard | None = None
    texts: ScoreTexts | None = None
    stale: bool = True
    timer: TimerHandle | None = None
    last_run: float | None = None
    ended: bool = False
    computing: bool = False
    """A recompute is on its thread."""

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

    def last_run_due(self, interval: float) -> float:
        return (self.last_run or 0.0) + interval


class LiveScoreboard:
    def __init__(
        self,
        manager: ExerciseManager,
        hub: Hub,
        clock: Clock,
        *,
        interval: float = DEFAULT_INTERVAL,
        relay: Relay | None = None,
        ask: Ask | None = None,
        others_watch: Callable[[], bool] = lambda: False,
    ) -> None:
        self.manager = manager
        self.hub = hub
        self.clock = clock
        self.interval = interval
        self.relay = relay
        self.ask = ask
        self.others_watch = others_watch
        """Whether other processes are alive, whose consoles the owner computes for too."""
        self._boards: dict[str, _Board] = {}
        self._loading: dict[str, asyncio.Task[_Board]] = {}
        self._computing: set[asyncio.Task[None]] = set()

    # --- the publish stream ---

    def on_events(self, exercise_id: str, events: Sequence[Event]) -> None:
        """Listener for ``Services.listeners``: cache the events and schedule a recompute."""
        runtime = self.manager.loaded(exercise_id)
        if runtime is None:
            return
        board = self._boards.get(exercise_id)
        if not self._computes(runtime):
            if board is not None:
                board.events = None  # another process computes; its cards arrive through ``show``
            if _switched_on(events) and board is not None:
                self._show_teams(exercise_id, board)
            return
        if board is None or board.events is None:
            self._load_soon(exercise_id)
            return
        newest = board.last_seq
        fresh = [event for event in events if event.seq > newest]
        board.events.extend(fresh)
        board.ended = board.ended or any(event.type is EventType.exercise_ended for event in fresh)
        if fresh:
            board.stale = True
            self._schedule(exercise_id, board)
        if _switched_on(events):
            self._show_teams(exercise_id, board)

    def _computes(self, runtime: ExerciseRuntime) -> bool:
        return runtime.owned or runtime.state.status == "ended"

    def _load_soon(self, exercise_id: str) -> None:
        async def load_and_schedule() -> None:
            try:
                board = await self._board(exercise_id)
            except Exception:  # a scoreboard problem must never stop events from being published
                log.exception("scoreboard could not load exercise %s", exercise_id)
                return
            board.stale = True
            self._schedule(exercise_id, board)

        asyncio.get_running_loop().create_task(load_and_schedule())

    def _schedule(self, exercise_id: str, board: _Board) -> None:
        if board.timer is not None:
            return  # the armed recompute will include these events
        now = self.clock.monotonic()
        due = now if board.last_run is None else max(now, board.last_run + self.interval)
        board.timer = self.clock.call_at(due, lambda: self._flush(exercise_id))

    def _flush(self, exercise_id: str) -> None:
        board = self._boards.get(exercise_id)
        if board is None:
            return
        board.timer = None
        self._forget_idle()
        if board.events is None:
            return
        watched_elsewhere = self.relay is not None and not board.ended and self.others_watch()
        if not self.hub.connections(exercise_id) and not watched_elsewhere:
            return  # stays stale until a console joins or the card is asked for
        if not self._may_run(board):
            # A console's hello or a REST read recomputed the card meanwhile; keep to the interval.
            board.timer = self.clock.call_at(board.last_run_due(self.interval), lambda: self._flush(exercise_id))
            return
        if board.stale or board.texts is None:
            self._recompute_off_loop(exercise_id, board)  # broadcasts when done
            return
        self._broadcast(exercise_id, board)

    def _recompute_off_loop(self, exercise_id: str, board: _Board) -> None:
        """Score on a thread: at 10,000 events a card takes tens of milliseconds, which timers and the fan-out
        must not wait for. Events arriving meanwhile make the board stale again, for the next run."""
        if board.computing or board.events is None:
            return
        board.computing = True
        board.last_run = self.clock.monotonic()
        board.stale = False
        events = list(board.events)  # the cache grows while the thread reads
        teams_see_scores = self._teams_see_scores(exercise_id)

        async def compute() -> None:
            try:
                card, texts = await asyncio.to_thread(score_texts, board.scenario, events, teams_see_scores)
            except Exception:
                log.exception("scoring exercise %s failed; the previous card stays up", exercise_id)
                board.stale = True
                return
            finally:
                board.computing = False
            if board.texts is None or board.texts.last_seq <= texts.last_seq:
                self._adopt(exercise_id, board, card, texts)
                self._broadcast(exercise_id, board)
            if board.stale:
                self._schedule(exercise_id, board)

        task = asyncio.get_running_loop().create_task(compute())
        self._computing.add(task)
        task.add_done_callback(self._computing.discard)

    def _recompute(self, exercise_id: str, board: _Board) -> None:
        """Score now, on the loop (a console's hello, a REST read, scores switched on: not the live stream)."""
        assert board.events is not None
        board.last_run = self.clock.monotonic()
        card, texts = score_texts(board.scenario, board.events, self._teams_see_scores(exercise_id))
        board.stale = False
        self._adopt(exercise_id, board, card, texts)

    def _adopt(self, exercise_id: str, board: _Board, card: ScoreCard, texts: ScoreTexts) -> None:
        board.card, board.texts = card, texts
        if self.relay is not None and not board.ended:
            self.relay(exercise_id, texts)

    def _broadcast(self, exercise_id: str, board: _Board) -> None:
        texts = board.texts
        if texts is None:
            return
        visible = self._teams_see_scores(exercise_id)
        self.hub.broadcast(exercise_id, lambda connection: _text_for(connection, texts, visible))

    # --- cards computed elsewhere ---

    def show(self, exercise_id: str, texts: ScoreTexts) -> None:
        """A card the owner computed: hand it to this process's consoles."""
        runtime = self.manager.loaded(exercise_id)
        if runtime is None or self._computes(runtime):
            return
        board = self._boards.get(exercise_id)
        if board is None:
            board = self._boards[exercise_id] = _Board(scenario=runtime.scenario)
        if board.texts is not None and board.texts.last_seq > texts.last_seq:
            return  # an older card overtaken on the way
        board.texts = texts
        board.card = None
        self._broadcast(exercise_id, board)

    def wanted(self, exercise_id: str) -> None:
        """Another process greeted a console and has no card yet: send it the current one."""
        runtime = self.manager.loaded(exercise_id)
        board = self._boards.get(exercise_id)
        if runtime is None or not runtime.owned:
            return
        if board is None or board.events is None:
            self._load_soon(exercise_id)
        elif board.texts is not None and not board.stale and self.relay is not None:
            self.relay(exercise_id, board.texts)
        else:
            board.stale = True
            self._schedule(exercise_id, board)

    # --- asking for the card ---

    async def card(self, exercise_id: str) -> ScoreCard:
        """The current card, recomputed if events arrived since the last one (for REST and reports)."""
        runtime = await self.manager.runtime(exercise_id)
        board = self._boards.get(exercise_id)
        fresh = board is not None and board.texts is not None and board.texts.last_seq == runtime.state.last_seq
        if board is not None and board.events is None and board.texts is not None and fresh:
            return ScoreCard.model_validate(json.loads(board.texts.text)["scores"])
        if board is None or board.events is None:
            events = await self.manager.db.run(self.manager.store.read, exercise_id)
            return score(runtime.scenario, events)
        if board.stale or board.card is None:
            self._recompute(exercise_id, board)
        assert board.card is not None
        return board.card

    async def greet(self, connection: Connection) -> None:
        """Send a just-attached console the latest card, if it may see scores (call after ``hub.attach``)."""
        exercise_id = connection.exercise_id
        try:
            runtime = await self.manager.runtime(exercise_id)
            visible = runtime.state.scores_visible
            if not _may_see(connection, visible):
                return
            if self._computes(runtime):
                board = await self._board(exercise_id)
                if board.texts is None or (board.stale and self._may_run(board)):
                    self._recompute(exercise_id, board)
                elif board.stale:
                    self._schedule(exercise_id, board)
            else:
                board = self._boards.setdefault(exercise_id, _Board(scenario=runtime.scenario))
                if board.texts is None and self.ask is not None:
                    self.ask(exercise_id)  # the owner's answer reaches this console through ``show``
        except Exception:
            log.exception("could not send scores to a console of %s", exercise_id)
            return
        if board.texts is not None:
            text = _text_for(connection, board.texts, visible)
            if text is not None:
                self.hub.send(connection, text)

    # --- internals ---

    async def _board(self, exercise_id: str) -> _Board:
        """The board of an exercise this process computes, with the log loaded."""
        board = self._boards.get(exercise_id)
        if board is not None and board.events is not None:
            return board
        loading = self._loading.get(exercise_id)
        if loading is None:
            loading = asyncio.get_running_loop().create_task(self._load(exercise_id))
            self._loading[exercise_id] = loading
            loading.add_done_callback(lambda _: self._loading.pop(exercise_id, None))
        return await asyncio.shield(loading)

    async def _load(self, exercise_id: str) -> _Board:
        runtime = await self.manager.runtime(exercise_id)
        events: list[Event] = []
        # Read until the log reaches what the runtime has published: events published while a read was
        # on its way were not cached (there was no board yet), so they must come from the log.
        while not events or events[-1].seq < runtime.state.last_seq:
            after = events[-1].seq if events else 0
            more = await self.manager.db.run(self.manager.store.read, exercise_id, after)
            if not more:
                break
            events.extend(more)
        board = self._boards.get(exercise_id) or _Board(scenario=runtime.scenario)
        board.events = events
        board.ended = any(event.type is EventType.exercise_ended for event in board.events)
        board.stale = True
        self._boards[exercise_id] = board
        return board

    def _may_run(self, board: _Board) -> bool:
        return board.last_run is None or self.clock.monotonic() >= board.last_run_due(self.interval)

    def _forget_idle(self) -> None:
        for exercise_id, board in list(self._boards.items()):
            if board.ended and board.timer is None and not self.hub.connections(exercise_id):
                del self._boards[exercise_id]

    def _teams_see_scores(self, exercise_id: str) -> bool:
        runtime = self.manager.loaded(exercise_id)
        return runtime is not None and runtime.state.scores_visible

    def _show_teams(self, exercise_id: str, board: _Board) -> None:
        """Scores were just switched on: teams get their cards now rather than at the next recompute
        (the owner computes them; other processes pass them on when they arrive, through ``show``)."""
        if board.events is not None and (board.texts is None or not board.texts.team_texts):
            try:
                self._recompute(exercise_id, board)
            except Exception:
                log.exception("scoring exercise %s failed", exercise_id)
                return
        texts = board.texts
        if texts is None:
            return
        self.hub.broadcast(
            exercise_id,
            lambda connection: _text_for(connection, texts, True) if connection.principal.kind == "player" else None,
        )


def score_texts(scenario: Scenario, events: Sequence[Event], teams_see_scores: bool) -> tuple[ScoreCard, ScoreTexts]:
    """The card and the ``scores`` messages made of it (pure: runs on a thread)."""
    card = score(scenario, events)
    teams: dict[str, str] = {}
    if teams_see_scores:
        for team in scenario.teams:
            teams[team.id] = Scores(
                scores=team_card(scenario, events, team.id).model_dump(mode="json")
            ).model_dump_json()
    text = Scores(scores=card.model_dump(mode="json")).model_dump_json()
    return card, ScoreTexts(last_seq=card.last_seq, text=text, team_texts=teams)


def team_card(scenario: Scenario, events: Sequence[Event], team: str) -> ScoreCard:
    """The card a team's consoles show: the score of what the team may see, values only."""
    viewer = Viewer(kind="player", team=team, roles=frozenset(role.id for role in scenario.team(team).roles))
    visible = [seen for event in events if (seen := _scored_view(viewer, event)) is not None]
    return players_view(score(scenario, visible))


def _scored_view(viewer: Viewer, event: Event) -> Event | None:
    """The event as the team sees it, but an ad hoc inject it sees keeps its attribution: the card counts it
    as it counts a scenario inject's attribution, which is never shown either, only scored."""
    seen = view_for(viewer, event)
    if seen is None or seen is event:
        return seen
    internal = ReleaseInternal.of(event)
    if internal is None or internal.attribution is None:
        return seen
    return seen.model_copy(update={"internal": internal.model_dump(mode="json")})


def _switched_on(events: Sequence[Event]) -> bool:
    return any(e.type is EventType.scores_visibility_changed and e.payload.get("visible") for e in events)


def _may_see(connection: Connection, teams_see_scores: bool) -> bool:
    return connection.principal.kind != "player" or teams_see_scores


def _text_for(connection: Connection, texts: ScoreTexts, teams_see_scores: bool) -> str | None:
    if connection.principal.kind != "player":
        return texts.text
    team = connection.principal.team
    return texts.team_texts.get(team) if teams_see_scores and team is not None else None
