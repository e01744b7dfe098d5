"""Playing bot matches from tests: one in-process server per scenario file, one match per setup."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from app.bots.match import MatchResult, MatchSetup, play_match
from app.bots.server import in_process_server
from app.scenario.loader import load_scenario
from tests.conftest import FIXTURES, PROJECT

MINI = FIXTURES / "mini.yaml"
BUNDLED = sorted((PROJECT / "injects").glob("*.yaml"))


def shortest_bundled() -> Path:
    """The bundled scenario that ends soonest: the cheapest whole game to play."""
    return min(BUNDLED, key=lambda path: (load_scenario(path).end, path.name))


def play_setups(scenario_file: Path, setups: list[MatchSetup], work_dir: Path) -> list[MatchResult]:
    """Play each setup to ENDEX, in order, on one fresh in-process server serving only ``scenario_file``."""

    async def play() -> list[MatchResult]:
        async with in_process_server(work_dir, scenario_file, bundled=False) as server:
            return [await play_match(setup, server) for setup in setups]

    work_dir.mkdir(parents=True, exist_ok=True)
    return asyncio.run(play())


def play_pairings(scenario_file: Path, pairings: list[tuple[str, str]], out_dir: Path) -> list[MatchResult]:
    """Each (first team, second team) policy pairing once, seed 1, the scenario's compression."""
    scenario_id = load_scenario(scenario_file).id
    setups = [MatchSetup(policies=pairing, scenario_id=scenario_id, out_dir=out_dir) for pairing in pairings]
    return play_setups(scenario_file, setups, out_dir / "server")


def log_events(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def team_scores(result: MatchResult) -> dict[str, float]:
    return {team: card.score for team, card in result.card.teams.items()}
