"""PostgreSQL connections in the pool: one that sat idle is asked whether it still answers before use, and
replaced if it does not; one back from work a moment ago is used as it is, without a round trip more."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app import db as db_module
from app.db import make_engine
from tests.conftest import fresh_database


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[Engine]:
    with fresh_database("postgres", tmp_path, "pool") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    postgres: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    dropped = _backend(postgres)
    admin = make_engine(postgres.url.render_as_string(hide_password=False))
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    admin.dispose()
    monkeypatch.setattr(db_module, "PING_IDLE_SECONDS", 0.0)  # it has sat long enough to be asked
    assert _backend(postgres) != dropped  # the work ran, on a new connection


def test_a_connection_back_from_work_a_moment_ago_is_not_pinged(
    postgres: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[object] = []
    ping = postgres.dialect.do_ping
    monkeypatch.setattr(postgres.dialect, "do_ping", lambda connection: pings.append(connection) or ping(connection))
    first = _backend(postgres)
    assert len(pings) == 1  # a new connection is asked once
    assert _backend(postgres) == first
    assert len(pings) == 1
    monkeypatch.setattr(db_module, "PING_IDLE_SECONDS", 0.0)
    assert _backend(postgres) == first
    assert len(pings) == 2
