"""The attack suite's server: one real server per database for a whole module, and what it logged.

Hostile inputs are sent one after another to the same server (starting one per input would take
minutes on PostgreSQL); each test checks that the server answered as documented, logged no
traceback and changed nothing.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text

from app.engine.clock import ManualClock
from app.services import Services
from tests.conftest import DATABASES, fresh_database
from tests.realtime.conftest import LiveServer, live_settings, serve

ATTACK = Path(__file__).parent
TABLES = ("exercises", "seats", "events", "improvement_items")


class ServerLog(logging.Handler):
    """Every record the server's loggers emit at WARNING or above, and every traceback at any level."""

    LOGGERS = ("", "uvicorn", "uvicorn.error", "app")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.WARNING:
            self.records.append(record)

    def tracebacks(self, since: int = 0) -> list[str]:
        return [self.format(record) for record in self.records[since:] if record.exc_info or record.levelno >= 40]

    def __enter__(self) -> ServerLog:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *_: object) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


@dataclass
class Target:
    """The server under attack and what it logged."""

    live: LiveServer
    log: ServerLog

    @property
    def services(self) -> Services:
        return self.live.services

    def fingerprint(self) -> dict[str, Any]:
        """Everything a hostile input might change: every table's rows, and the uploaded scenarios."""
        with self.services.engine.connect() as connection:
            rows = {table: connection.execute(text(f"select count(*) from {table}")).scalar() for table in TABLES}
            exercises = connection.execute(text("select id, title, status, compression from exercises")).all()
        uploads = self.services.settings.data_dir / "scenarios"
        return {
            "rows": rows,
            "exercises": sorted(tuple(row) for row in exercises),
            "uploads": sorted(path.name for path in uploads.glob("*")) if uploads.exists() else [],
        }


@pytest.fixture(scope="module", params=DATABASES)
def attack_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("attack-db")
    with fresh_database(request.param, folder, f"attack_{request.module.__name__.rsplit('.', 1)[-1]}") as url:
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def target(attack_database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Target]:
    settings = live_settings(attack_database, tmp_path_factory.mktemp("attack-data"))
    settings.scenario_dirs = [*settings.scenario_dirs, ATTACK]
    with ServerLog() as log:
        async with serve(settings, ManualClock()) as live:
            yield Target(live, log)
