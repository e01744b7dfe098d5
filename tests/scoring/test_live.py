"""The live scoreboard: debounced recomputes on the manual clock, who gets the card, REST and hello."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from app.db import Database
from app.engine.clock import ManualClock
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.engine.principal import FACILITATOR_PRINCIPAL, Principal
from app.realtime.hub import Hub
from app.scenario.schema import Scenario
from app.scoring import live as live_module
from app.scoring.live import PLAYER_NOTE, LiveScoreboard
from tests.engine.helpers import BLUE_LEADER, control, play
from tests.realtime.conftest import LiveServer, seat_token

OBSERVER = Principal(kind="observer", seat_id="seat-observer")


@dataclass
class Console:
    """Stands in for a websocket: records what the hub sends it."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, text: str) -> None:
        self.messages.append(json.loads(text))

    async def close(self, code: int, reason: str) -> None:
        return None

    def scores(self) -> list[dict[str, Any]]:
        return [m["scores"] for m in self.messages if m["type"] == "scores"]


@dataclass
class Board:
    manager: ExerciseManager
    hub: Hub
    scoreboard: LiveScoreboard
    clock: ManualClock
    computed: list[int]

    async def attach(self, exercise_id: str, principal: Principal) -> Console:
        console = Console()
        connection = self.hub.attach(exercise_id, principal, console.send, console.close, last_seq=0)
        await self.scoreboard.greet(connection)
        return console


async def settle(until: Callable[[], bool] = lambda: False) -> None:
    """Let the hub's sender tasks deliver what is queued (no time passes on the manual clock; the log is
    read on database threads, so this waits for real, briefly)."""
    for _ in range(400):
        if until():
            return
        await asyncio.sleep(0.005)


@pytest.fixture
def board(database: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    computed: list[int] = []
    real_score = live_module.score

    def counting(scenario: Scenario, events: list[Event]) -> Any:
        computed.append(len(events))
        return real_score(scenario, events)

    monkeypatch.setattr(live_module, "score", counting)
    parts: dict[str, Any] = {}

    def publish(exercise_id: str, events: Any) -> None:
        parts["hub"].publish(exercise_id, events)
        parts["scoreboard"].on_events(exercise_id, events)

    manager = ExerciseManager(database, clock, publish)
    parts["hub"] = Hub(manager.read_log, clock)
    parts["scoreboard"] = LiveScoreboard(manager, parts["hub"], clock)
    yield Board(manager, parts["hub"], parts["scoreboard"], clock, computed)
    manager.close()


async def test_recomputes_at_most_every_half_second(board: Board, mini: Scenario) -> None:
    exercise = await board.manager.create(mini)
    observer = await board.attach(exercise.id, OBSERVER)
    await settle(lambda: len(observer.scores()) == 1)
    assert board.computed == [1]  # the card for hello, computed once
    await control(board.manager, exercise.id, "open_lobby")
    await control(board.manager, exercise.id, "start")
    await board.clock.advance(0.1)  # the first recompute after a quiet spell is due at once, but no sooner than 0.5 s
    await board.clock.advance(0.3)
    assert len(board.computed) == 1
    await board.clock.advance(0.1)
    await settle(lambda: len(board.computed) == 2)  # on a scoring thread
    assert len(board.computed) == 2
    for _ in range(5):
        await play(board.manager, exercise.id, BLUE_LEADER, "take_action", action_id="apologise")
    await board.clock.advance(0.4)
    assert len(board.computed) == 2
    await board.clock.advance(0.1)
    await settle(lambda: len(board.computed) == 3)
    assert len(board.computed) == 3  # five moves, one recompute
    await settle(lambda: len(observer.scores()) == 3)
    newest = observer.scores()[-1]
    assert newest["last_seq"] == (await board.manager.runtime(exercise.id)).state.last_seq
    assert newest["teams"]["blue"]["metrics"]["LC"]["id"] == "LC"


async def test_teams_see_scores_only_while_shown_and_at_once_when_switched_on(board: Board, mini: Scenario) -> None:
    exercise = await board.manager.create(mini)
    facilitator = await board.attach(exercise.id, FACILITATOR_PRINCIPAL)
    blue = await board.attach(exercise.id, BLUE_LEADER)
    await control(board.manager, exercise.id, "open_lobby")
    await control(board.manager, exercise.id, "start")
    await board.clock.advance(1)
    await settle(lambda: len(facilitator.scores()) >= 2)
    assert blue.scores() == []
    await control(board.manager, exercise.id, "set_scores_visible", visible=True)
    await settle(lambda: len(blue.scores()) == 1)  # without waiting for the next recompute
    assert len(blue.scores()) == 1
    # values only: explanations and evidence may describe the other team's private moves
    shown, full = blue.scores()[0], facilitator.scores()[-1]
    assert shown["teams"]["red"]["score"] == full["teams"]["red"]["score"]
    assert shown["teams"]["red"]["metrics"]["GO"]["value"] == full["teams"]["red"]["metrics"]["GO"]["value"]
    for team in ("blue", "red"):
        assert shown["teams"][team]["tasks"] == [] and shown["teams"][team]["indicators"] == {}
        for metric in shown["teams"][team]["metrics"].values():
            assert metric["explanation"] == PLAYER_NOTE and metric["evidence"] == []
    assert full["teams"]["blue"]["metrics"]["LC"]["explanation"] != PLAYER_NOTE
    await board.clock.advance(1)
    await settle(lambda: len(blue.scores()) == 2)
    assert blue.scores()[-1]["last_seq"] == (await board.manager.runtime(exercise.id)).state.last_seq
    await control(board.manager, exercise.id, "set_scores_visible", visible=False)
    await play(board.manager, exercise.id, BLUE_LEADER, "take_action", action_id="apologise")
    await board.clock.advance(1)
    await settle(lambda: len(facilitator.scores()) >= 4)
    assert len(blue.scores()) == 2


async def test_card_for_rest_follows_the_log(board: Board, mini: Scenario) -> None:
    exercise = await board.manager.create(mini)
    await control(board.manager, exercise.id, "open_lobby")
    await control(board.manager, exercise.id, "start")
    await play(board.manager, exercise.id, BLUE_LEADER, "take_action", action_id="apologise")
    card = await board.scoreboard.card(exercise.id)  # no clock advance needed: REST recomputes a stale card
    assert card.last_seq == (await board.manager.runtime(exercise.id)).state.last_seq
    assert card.teams["blue"].gate == 1.0


async def test_nothing_is_computed_while_nobody_watches(board: Board, mini: Scenario) -> None:
    exercise = await board.manager.create(mini)
    await control(board.manager, exercise.id, "open_lobby")
    await control(board.manager, exercise.id, "start")
    await play(board.manager, exercise.id, BLUE_LEADER, "take_action", action_id="apologise")
    await board.clock.advance(5)
    assert board.computed == []
    late = await board.attach(exercise.id, OBSERVER)  # the first console brings the card up to date
    await settle(lambda: len(late.scores()) == 1)
    assert late.scores()[0]["last_seq"] == (await board.manager.runtime(exercise.id)).state.last_seq
    await control(board.manager, exercise.id, "end")
    await board.clock.advance(1)
    await settle(lambda: len(late.scores()) == 2)
    assert late.scores()[-1]["last_seq"] == (await board.manager.runtime(exercise.id)).state.last_seq


async def test_a_scoring_failure_never_stops_the_exercise(
    board: Board, mini: Scenario, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    exercise = await board.manager.create(mini)
    observer = await board.attach(exercise.id, OBSERVER)
    await settle(lambda: len(observer.scores()) == 1)

    def broken(scenario: Scenario, events: list[Event]) -> Any:
        raise RuntimeError("scoring bug")

    monkeypatch.setattr(live_module, "score", broken)
    await control(board.manager, exercise.id, "open_lobby")
    await control(board.manager, exercise.id, "start")
    await board.clock.advance(1)
    await settle(
        lambda: any(m["type"] == "event" and m["event"]["type"] == "exercise_started" for m in observer.messages)
    )
    await settle(lambda: "scoring exercise" in caplog.text)  # scoring runs on a thread
    assert (await board.manager.runtime(exercise.id)).state.status == "running"
    assert len(observer.scores()) == 1  # the previous card stays up
    assert "scoring exercise" in caplog.text


async def scores_of(console: Any, count: int = 1) -> list[dict[str, Any]]:
    """Wait for ``count`` scores messages on a real console (network delivery, bounded)."""
    for _ in range(500):
        found = [m["scores"] for m in console.other if m.get("type") == "scores"]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.01)
    raise AssertionError(f"expected {count} scores message(s), got {console.other}")


async def test_consoles_get_the_card_after_hello_and_rest_serves_it(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    exercise_id = exercise["id"]
    facilitator = live.control_console(exercise_id)
    blue = live.console(exercise_id, seat_token(exercise, "blue", "leader"))
    await facilitator.connect()
    await blue.connect()
    first = await scores_of(facilitator)
    assert set(first[0]["teams"]) == {"blue", "red"}
    await live.control(exercise_id, "start")
    await blue.command({"type": "take_action", "action_id": "apologise"})
    await live.advance(1)
    await scores_of(facilitator, 2)
    assert not [m for m in blue.other if m.get("type") == "scores"]
    await live.control(exercise_id, "set_scores_visible", visible=True)
    shown = await scores_of(blue)
    assert shown[0]["scenario_id"] == "mini"
    assert shown[0]["teams"]["red"]["metrics"]["LC"]["explanation"] == PLAYER_NOTE

    response = await live.http.get(f"/api/exercises/{exercise_id}/scores")
    assert response.status_code == 200
    card = response.json()
    assert card["teams"]["blue"]["gate"] == 1.0
    assert set(card["teams"]["blue"]["metrics"]) == {"LC", "MM", "RX", "OV", "MR", "AP", "GO", "TP", "PC", "OBJ"}
    async with httpx.AsyncClient(base_url=live.base_url) as anonymous:
        refused = await anonymous.get(f"/api/exercises/{exercise_id}/scores")
    assert refused.status_code == 401
    missing = await live.http.get("/api/exercises/ex_nothing/scores")
    assert missing.status_code == 404
    assert "There is no exercise" in missing.json()["detail"]
    await facilitator.close()
    await blue.close()
