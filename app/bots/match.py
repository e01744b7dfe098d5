"""One bot-against-bot run of a scenario, from creating the exercise to the scored log.

The facilitator side creates the exercise over REST, seats one bot per team on its team seat (which
holds every role), starts, then steps scenario time: to the next time a bot has planned something,
at most ``STEP`` ahead, and never past ENDEX. After each step both bots settle, in team order, round
after round, until neither has anything more to say; only then does time move on. At ENDEX the log
is exported, written to the output folder and scored with ``app.scoring.score``, exactly as
``hotline score`` would score the file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from app.bots.pacing import ClockPacer, JumpPacer, Pacer
from app.bots.player import BotPlayer, JournalEntry
from app.bots.pressure_story import PressureStory, pressure_stories
from app.bots.server import ServerHandle
from app.engine.archive import read_archive
from app.scenario.schema import Scenario

if TYPE_CHECKING:
    from app.scoring.model import ScoreCard

STEP = 5 * 60.0
MAX_ROUNDS = 200
REMOTE_RATE_LIMIT = 15.0  # messages per wall second, under the server's default of 20

Progress = Callable[[float, float], None]


class MatchError(RuntimeError):
    """The run could not be completed; the message says why and what to do."""


@dataclass(frozen=True)
class MatchSetup:
    policies: tuple[str, str]
    """Policy of the scenario's first team, then of its second."""
    scenario_id: str | None = None
    """None: the first scenario the server lists (by title)."""
    seed: int = 1
    compression: float | None = None
    out_dir: Path = Path("demo-out")
    remote_rate_limit: float = REMOTE_RATE_LIMIT
    """Messages per wall second each bot sends at most to a remote server (its rate limit is 20 by default)."""
    tempo: tuple[float, float] = (1.0, 1.0)
    """Each bot's planned delays are multiplied by its tempo (the tournament's sensitivity runs vary it)."""
    keep_log: bool = True
    """False: the log is scored and deleted (a tournament plays thousands of games)."""


@dataclass
class MatchResult:
    exercise_id: str
    scenario: Scenario
    policies: dict[str, str]
    card: ScoreCard
    events: int
    log: Path
    journals: dict[str, list[JournalEntry]] = field(default_factory=dict)
    pressure: dict[str, PressureStory] = field(default_factory=dict)
    """Team → how its domestic pressure went (scenarios with a media world)."""

    def refusals(self) -> dict[str, list[JournalEntry]]:
        return {team: [e for e in journal if e.refused] for team, journal in self.journals.items()}


async def play_match(setup: MatchSetup, server: ServerHandle, progress: Progress | None = None) -> MatchResult:
    headers = {"Authorization": f"Bearer {server.secret}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as http:
        scenario = await _scenario(http, setup.scenario_id)
        exercise = await _create(http, scenario, setup.compression)
        exercise_id = str(exercise["id"])
        pacer: Pacer
        if server.clock is not None:
            pacer = ClockPacer(http, exercise_id, server.clock, float(exercise["compression"]), server.published)
        else:
            pacer = JumpPacer(http, exercise_id)
        rate_limit = None if server.clock is not None else setup.remote_rate_limit
        counter = server.published
        position = (lambda: counter.count) if counter is not None else None
        bots = [
            BotPlayer(
                server.base_url,
                exercise_id,
                _team_token(exercise, team.id),
                policy,
                setup.seed,
                rate_limit=rate_limit,
                log_position=position,
                tempo=tempo,
            )
            for team, policy, tempo in zip(scenario.teams, setup.policies, setup.tempo, strict=True)
        ]
        try:
            for bot in bots:
                await bot.join()
            await _play(pacer, bots, float(scenario.end), progress)
            # Exported before the bots hang up, so the log ends at ENDEX and is the same on every run.
            log = await _export(http, exercise_id, setup, scenario)
        except Exception:
            with contextlib.suppress(Exception):  # do not leave a half-played exercise running on a server
                await pacer.end()
            raise
        finally:
            for bot in bots:
                await bot.leave()
    result = _score(log, exercise_id, scenario, bots)
    if not setup.keep_log:
        log.unlink(missing_ok=True)
    return result


async def _play(pacer: Pacer, bots: list[BotPlayer], end: float, progress: Progress | None) -> None:
    await pacer.start()
    now = 0.0
    await _settle(bots, now)
    while now < end:
        planned = [due for bot in bots if (due := bot.next_due()) is not None and due > now]
        now = min([now + STEP, end, *planned])
        news = await pacer.advance_to(now)
        # At the planned ENDEX the engine pauses (or ends) the exercise: the bots have had their turn.
        if now < end and (news or any((due := bot.next_due()) is not None and due <= now for bot in bots)):
            await _settle(bots, now)
        if progress is not None:
            progress(now, end)
    await pacer.end()


async def _settle(bots: list[BotPlayer], now: float) -> None:
    """Let the bots answer each other until a whole round passes in silence."""
    for _ in range(MAX_ROUNDS):
        sent = 0
        for bot in bots:
            sent += await bot.settle(now)
        if sent == 0:
            return
    raise MatchError(
        f"The bots were still answering each other after {MAX_ROUNDS} rounds at scenario time {now:.0f} s."
    )


async def _scenario(http: httpx.AsyncClient, scenario_id: str | None) -> Scenario:
    listing = await http.get("/api/scenarios")
    if listing.status_code == 401:
        raise MatchError(
            "The server refused the facilitator secret; pass the right one with --secret or HOTLINE_SECRET."
        )
    listing.raise_for_status()
    known = [str(item["id"]) for item in listing.json()]
    if scenario_id is None:
        if not known:
            raise MatchError("The server has no valid scenario to play; check its scenario folders.")
        scenario_id = known[0]
    if scenario_id not in known:
        offered = ", ".join(known) or "none"
        raise MatchError(
            f"The server has no scenario '{scenario_id}' (it has: {offered}). "
            "To play your own file, put it in the server's scenario folder or run the demo without --url."
        )
    response = await http.get(f"/api/scenarios/{scenario_id}")
    response.raise_for_status()
    return Scenario.model_validate(response.json())


async def _create(http: httpx.AsyncClient, scenario: Scenario, compression: float | None) -> dict[str, Any]:
    body: dict[str, Any] = {"scenario_id": scenario.id, "title": f"{scenario.title} (bot demo)"}
    if compression is not None:
        body["compression"] = compression
    response = await http.post("/api/exercises", json=body)
    if response.status_code >= 400:
        raise MatchError(f"The server would not create the exercise: HTTP {response.status_code} {response.text}")
    return dict(response.json())


def _team_token(exercise: dict[str, Any], team: str) -> str:
    for seat in exercise["seats"]:
        if seat["kind"] == "player" and seat["team"] == team and seat["role"] is None:
            return str(seat["token"])
    raise MatchError(f"The server issued no team seat for '{team}'.")


async def _export(http: httpx.AsyncClient, exercise_id: str, setup: MatchSetup, scenario: Scenario) -> Path:
    response = await http.get(f"/api/exercises/{exercise_id}/export")
    response.raise_for_status()
    setup.out_dir.mkdir(parents=True, exist_ok=True)
    teams = "-".join(f"{team.id}-{policy}" for team, policy in zip(scenario.teams, setup.policies, strict=True))
    path = setup.out_dir / f"{scenario.id}-{teams}-seed{setup.seed}.jsonl"
    path.write_text(response.text, encoding="utf-8")
    return path


def _score(log: Path, exercise_id: str, scenario: Scenario, bots: list[BotPlayer]) -> MatchResult:
    from app.scoring import score

    with log.open(encoding="utf-8") as handle:
        archive = read_archive(handle)
    return MatchResult(
        exercise_id=exercise_id,
        scenario=archive.scenario,
        policies={bot.team: bot.policy_name for bot in bots},
        card=score(archive.scenario, archive.events),
        events=len(archive.events),
        log=log,
        journals={bot.team: bot.journal for bot in bots},
        pressure=pressure_stories(archive.scenario, archive.events),
    )
