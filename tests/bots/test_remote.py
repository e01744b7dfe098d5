"""``--url``: the bots play a server that runs on its own clock, paced by ``jump`` commands.

The server here is the ordinary application on the system clock, as ``hotline serve`` runs it. At
compression 1 the few wall milliseconds the bots take per step are scenario milliseconds, so the
scores match an in-process run of the same game to within a point.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import uvicorn

from app.bots.match import MatchResult, MatchSetup, play_match
from app.bots.server import ServerHandle
from app.config import Settings
from app.main import create_app
from app.scenario.loader import load_scenario
from tests.bots.helpers import log_events, play_setups, shortest_bundled, team_scores

SECRET = "remote-test-secret-0123456789"
PAIRING = ("tft", "grit")
SCENARIO = shortest_bundled()
SCENARIO_ID = load_scenario(SCENARIO).id


@asynccontextmanager
async def _served(tmp_path: Path) -> AsyncIterator[str]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'remote.db'}",
        secret=SECRET,
        scenario_dirs=[tmp_path / "scenarios"],
        port=0,
        rate_limit_burst=100_000,
    )
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / SCENARIO.name).write_bytes(SCENARIO.read_bytes())
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
        if task.done():
            task.result()
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> MatchResult:
    work = tmp_path_factory.mktemp("remote")

    async def play() -> MatchResult:
        async with _served(work) as base_url:
            setup = MatchSetup(PAIRING, SCENARIO_ID, compression=1.0, out_dir=work / "out", remote_rate_limit=1000.0)
            return await play_match(setup, ServerHandle(base_url=base_url, secret=SECRET, clock=None))

    return asyncio.run(play())


def test_bots_play_a_remote_server_to_endex_through_jumps(remote: MatchResult) -> None:
    events = log_events(remote.log)
    assert events[-1]["type"] == "exercise_ended"
    assert [e for e in events if e["type"] == "clock_jumped"], "the pacer moved the server's clock with jump"
    assert remote.refusals() == {"blue": [], "red": []}


def test_a_remote_game_scores_like_the_same_game_in_process(remote: MatchResult, tmp_path: Path) -> None:
    local = play_setups(SCENARIO, [MatchSetup(PAIRING, SCENARIO_ID, out_dir=tmp_path)], tmp_path / "server")[0]
    for team, score in team_scores(local).items():
        assert team_scores(remote)[team] == pytest.approx(score, abs=1.0), (remote.card, local.card)
