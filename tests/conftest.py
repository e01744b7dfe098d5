"""Shared fixtures: a migrated database per test, a manual clock, scenarios."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.db import Database, make_engine, migrate
from app.engine.clock import ManualClock
from app.engine.events import Event
from app.engine.manager import ExerciseManager
from app.scenario.loader import load_scenario
from app.scenario.schema import Scenario

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = Path(__file__).parent.parent
POSTGRES_URL = os.environ.get("HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_available() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        return f"PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__})"
    finally:
        engine.dispose()
    return None


def skip_or_fail(reason: str) -> None:
    """Skip a test that needs a missing service, except on CI where every suite must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"required on CI: {reason}")
    pytest.skip(reason)


def _fresh_postgres(name: str) -> str:
    import uuid

    database = f"hotline_test_{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + database


def _drop_postgres(url: str) -> None:
    database = url.rsplit("/", 1)[1]
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def fresh_database(kind: str, folder: Path, name: str) -> Iterator[str]:
    """The URL of a new, empty database of ``kind`` (a file in ``folder``, or a PostgreSQL database)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'hotline.db'}"
        return
    reason = _postgres_available()
    if reason:
        skip_or_fail(reason)
    url = _fresh_postgres(name.split("[")[0][:20].lower())
    try:
        yield url
    finally:
        _drop_postgres(url)


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every database test runs on SQLite and on PostgreSQL."""
    with fresh_database(request.param, tmp_path, request.node.name) as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def mini() -> Scenario:
    return load_scenario(FIXTURES / "mini.yaml")


class Published:
    """Collects what the engine publishes, to check persist-before-publish and ordering."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, exercise_id: str, events: Sequence[Event]) -> None:
        self.events.extend(events)

    def types(self) -> list[str]:
        return [event.type.value for event in self.events]

    def of_type(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.type.value == kind]


@pytest.fixture
def published() -> Published:
    return Published()


@pytest.fixture
def database(db: Engine) -> Iterator[Database]:
    """The engine with its database threads; closing waits for work still on them, so nothing touches the
    database after the test."""
    database = Database(db)
    yield database
    database.close()


@pytest.fixture
def manager(database: Database, clock: ManualClock, published: Published) -> Iterator[ExerciseManager]:
    manager = ExerciseManager(database, clock, published)
    yield manager
    manager.close()
