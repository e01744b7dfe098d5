"""A known exercise for the report tests, played through the engine with a manual clock.

The mini scenario: the leaders talk early (a substantive hotline call), red's press posts a chat
message full of markup, control pauses for lunch and jumps the clock, red shows force, an evaluator
rates the objective and a task, then after ENDEX blue's leader answers the hot wash by name and red's
leader anonymously. ``KnownLog`` keeps the seqs a test needs to find these again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.db import Database, make_engine, migrate
from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.engine.principal import Principal
from app.reports.source import ReportSource, from_log_file
from app.scenario.loader import load_scenario
from tests.conftest import FIXTURES
from tests.engine.helpers import control, play
from tests.realtime.conftest import live  # noqa: F401  (the live server fixture, for the API tests here)
from tests.reports.browser import chromium  # noqa: F401  (one headless chromium for the browser tests here)

MARKUP = "<script>alert('owned')</script> & <b>bold</b>"
ANONYMOUS_TEXT = "<img src=x onerror=alert(1)> the pace was too fast"
PAUSE_REASON = "Lunch break for the control cell"


@dataclass(frozen=True)
class KnownLog:
    path: Path
    exercise_id: str
    call_message: int
    chat: int
    pause: int
    jump: int
    show_of_force: int
    observation: int
    named_answer: int
    anonymous_answer: int
    red_leader_label: str

    def source(self) -> ReportSource:
        return from_log_file(self.path)


async def _principal(
    manager: ExerciseManager,
    exercise_id: str,
    tokens: dict[tuple[str | None, str | None], str],
    team: str,
    role: str | None,
) -> Principal:
    principal = await manager.authenticate(exercise_id, tokens[(team, role)])
    assert principal is not None
    return principal


def play_known_exercise(engine: Engine, out: Path) -> KnownLog:
    """The known exercise, played on a manual clock (its own event loop: fixtures and tests call it plainly)."""
    return asyncio.run(_play_known_exercise(engine, out))


async def _play_known_exercise(engine: Engine, out: Path) -> KnownLog:
    clock = ManualClock()
    manager = ExerciseManager(Database(engine), clock, lambda _exercise, _events: None)
    try:
        exercise = await manager.create(load_scenario(FIXTURES / "mini.yaml"), compression=60, title="Known exercise")
        exercise_id = exercise.id
        issued = await manager.issue_default_seats(exercise_id)
        tokens = {(item.seat.team, item.seat.role): item.token for item in issued if item.seat.kind == "player"}
        blue = await _principal(manager, exercise_id, tokens, "blue", "leader")
        red = await _principal(manager, exercise_id, tokens, "red", "leader")
        red_press = await _principal(manager, exercise_id, tokens, "red", "press")
        await control(manager, exercise_id, "open_lobby")
        await control(manager, exercise_id, "start")
        await clock.advance(10)  # T+00:10
        request = await play(manager, exercise_id, blue, "call_request", channel="hotline")
        call_id = await _call_id(manager, exercise_id)
        await play(manager, exercise_id, red, "call_accept", call_id=call_id)
        message = await play(manager, exercise_id, blue, "call_message", call_id=call_id, facts="Our aircraft was hit")
        chat = await play(manager, exercise_id, red_press, "send_chat", text=MARKUP)
        pause = await control(manager, exercise_id, "pause", reason=PAUSE_REASON)
        await clock.advance(120)  # two wall minutes of lunch: the scenario clock stands still
        await control(manager, exercise_id, "resume")
        jump = await control(manager, exercise_id, "jump", to="T+07:00")
        force = await play(manager, exercise_id, red, "take_action", action_id="show-of-force", text="Carrier shadowed")
        note = await control(
            manager,
            exercise_id,
            "add_observation",
            text="The leaders used the hotline early, but the call stayed short.",
            objective_id="OBJ1",
            rating="S",
            linked_seqs=[message.seqs[0]],
        )
        await control(
            manager,
            exercise_id,
            "rate_task",
            task_id="T1",
            team="red",
            rating="M",
            rationale="Red never offered facts.",
        )
        await clock.advance(30)
        await control(manager, exercise_id, "end", reason="ENDEX")
        named = await play(manager, exercise_id, blue, "submit_hotwash", worked="The early hotline call", rating=4)
        anonymous = await play(
            manager, exercise_id, red, "submit_hotwash", did_not_work=ANONYMOUS_TEXT, rating=2, anonymous=True
        )
        path = out / f"{exercise_id}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(manager.export(exercise_id))
        assert request.seqs
        return KnownLog(
            path=path,
            exercise_id=exercise_id,
            call_message=message.seqs[0],
            chat=chat.seqs[0],
            pause=pause.seqs[0],
            jump=jump.seqs[0],
            show_of_force=force.seqs[0],
            observation=note.seqs[0],
            named_answer=named.seqs[0],
            anonymous_answer=anonymous.seqs[0],
            red_leader_label=next(
                item.seat.label for item in issued if item.seat.team == "red" and item.seat.role == "leader"
            ),
        )
    finally:
        manager.close()
        manager.db.close()


async def _call_id(manager: ExerciseManager, exercise_id: str) -> str:
    return next(iter((await manager.runtime(exercise_id)).state.calls))


def play_quiet_exercise(engine: Engine, out: Path) -> Path:
    return asyncio.run(_play_quiet_exercise(engine, out))


async def _play_quiet_exercise(engine: Engine, out: Path) -> Path:
    """Another run of the mini scenario in which nobody does anything: it scores differently."""
    manager = ExerciseManager(Database(engine), ManualClock(), lambda _exercise, _events: None)
    try:
        exercise = await manager.create(load_scenario(FIXTURES / "mini.yaml"), compression=60, title="Quiet exercise")
        await control(manager, exercise.id, "open_lobby")
        await control(manager, exercise.id, "start")
        await control(manager, exercise.id, "end")
        path = out / f"{exercise.id}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            handle.writelines(manager.export(exercise.id))
        return path
    finally:
        manager.close()
        manager.db.close()


@pytest.fixture(scope="session")
def known(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnownLog]:
    folder = tmp_path_factory.mktemp("known-report")
    engine = make_engine(f"sqlite:///{folder / 'hotline.db'}")
    migrate(engine)
    try:
        yield play_known_exercise(engine, folder)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def quiet_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("quiet-report")
    engine = make_engine(f"sqlite:///{folder / 'hotline.db'}")
    migrate(engine)
    try:
        yield play_quiet_exercise(engine, folder)
    finally:
        engine.dispose()
