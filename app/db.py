"""Database engine: SQLite by default (WAL, synchronous=NORMAL, busy_timeout), PostgreSQL by URL.

The schema belongs to Alembic: ``migrate`` upgrades any database to the newest revision and runs at
every start, so an old database file keeps working after an upgrade. On PostgreSQL it runs under an
advisory lock, so any number of server processes may start at once.

``Database`` runs blocking database work off the event loop, on a pool of threads no larger than the
connection pool (docs/architecture.md, "No blocking I/O on the event loop").
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Float, Table, create_engine, event, inspect, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, StaticPool
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.security import private_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x486F746C696E65  # "Hotline": the advisory lock every starting process takes to migrate
DEFAULT_POOL_SIZE = 5
URGENT_THREADS = 2
"""Database threads (and connections) kept for work done while an exercise's lock is held."""
PING_IDLE_SECONDS = 1.0
"""A pooled connection idle longer than this is pinged before use (``_ping_when_idle``)."""
RETURNED_AT = "hotline_returned_at"
"""Where a pooled connection's ``info`` keeps when it last came back from work."""

T = TypeVar("T")


def make_engine(url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        # An in-memory database lives in its connection: every database thread must share that one.
        pool = {"poolclass": StaticPool} if sqlite_path(url) is None else {}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    overflow = pool_size + URGENT_THREADS  # the urgent lane's connections come on top of the pool's own
    engine = create_engine(url, pool_size=pool_size, max_overflow=overflow)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_when_idle(engine.dialect))
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_session)
    return engine


def _note_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[RETURNED_AT] = time.monotonic()


def _ping_when_idle(dialect: Dialect) -> Callable[[Any, ConnectionPoolEntry, PoolProxiedConnection], None]:
    """Make sure a connection that sat in the pool still answers before it is used (the server may have
    restarted, or dropped it): a broken one is replaced, and the work never sees it. Unlike SQLAlchemy's
    ``pool_pre_ping``, a connection back from work less than ``PING_IDLE_SECONDS`` ago is not asked: the
    database threads take their connections many times a second, and a ping is one round trip more for
    every append (docs/performance.md, "Command load")."""

    def ping(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        returned = record.info.get(RETURNED_AT)
        if returned is not None and time.monotonic() - returned < PING_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError(f"the database connection did not answer a ping: {error}") from error

    return ping


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[-1] if ":///" in url else ""
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path)


def _ensure_sqlite_folder(url: str) -> None:
    """Create the database file readable by its owner only (SQLite gives its -wal and -shm files the same)."""
    path = sqlite_path(url)
    if path is not None:
        private_file(path)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _postgres_session(dbapi_connection: Any, _record: Any) -> None:
    # A process frozen inside a transaction (SIGSTOP, a stalled machine) must not hold an exercise's row
    # lock for ever: PostgreSQL ends such a session, and a writer waiting for a lock gives up with an error.
    cursor = dbapi_connection.cursor()
    cursor.execute("SET idle_in_transaction_session_timeout = '10s'")
    cursor.execute("SET lock_timeout = '5s'")
    cursor.close()
    dbapi_connection.commit()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema revision (one process at a time on PostgreSQL)."""
    config = _alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str:
    """The newest schema revision this version of Hotline knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def schema_revision(connection: Connection) -> str | None:
    """The revision a database is at; None for a database Hotline never migrated."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


class db_epoch(FunctionElement[float]):
    """Seconds since the Unix epoch on the database server's clock, so leases taken and renewed by
    processes on different machines are measured on one clock whatever their own clocks say."""

    type = Float()
    inherit_cache = True


@compiles(db_epoch, "postgresql")
def _postgres_epoch(_element: db_epoch, _compiler: SQLCompiler, **_kw: Any) -> str:
    return "CAST(extract(epoch from clock_timestamp()) AS double precision)"


@compiles(db_epoch, "sqlite")
def _sqlite_epoch(_element: db_epoch, _compiler: SQLCompiler, **_kw: Any) -> str:
    return "((julianday('now') - 2440587.5) * 86400.0)"


class Database:
    """The engine, and thread pools that run blocking database work off the event loop.

    ``run`` and ``run_urgent`` are the one way async code touches the database. ``run_urgent`` has
    threads of its own, for the work an exercise does while it holds its lock (its commits, and the
    reads that fold the log in): queued behind the thousands of seat checks and exercise lookups a
    storm of joins sends to ``run``, a commit would hold the lock, and every timer of the exercise
    would wait with it. ``timings`` (if set) is called with the name of each function run and the
    seconds it took, for metrics.
    """

    def __init__(self, engine: Engine, *, threads: int = DEFAULT_POOL_SIZE) -> None:
        self.engine = engine
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="hotline-db")
        self.urgent = ThreadPoolExecutor(max_workers=URGENT_THREADS, thread_name_prefix="hotline-db-urgent")
        self.timings: Callable[[str, float], None] | None = None
        self.closed = False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await self._on(self.executor, functools.partial(self._timed, function, *args, **kwargs))

    async def run_urgent(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like ``run``, on the threads kept for work done under an exercise's lock: never queued
        behind ``run``'s backlog."""
        return await self._on(self.urgent, functools.partial(self._timed, function, *args, **kwargs))

    @staticmethod
    async def _on(executor: ThreadPoolExecutor, call: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(executor, call)

    def _timed(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self.timings is None:
            return function(*args, **kwargs)
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            self.timings(getattr(function, "__qualname__", "db"), time.perf_counter() - started)

    def close(self) -> None:
        self.closed = True
        self.executor.shutdown(wait=True)
        self.urgent.shutdown(wait=True)
        self.engine.dispose()


def dialect_insert(connection: Connection, table: Table) -> Any:
    """An INSERT with the dialect's ``on_conflict_do_…`` clauses (PostgreSQL and SQLite alike)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgres_insert

        return postgres_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def upsert(connection: Connection, table: Table, values: dict[str, Any], keys: list[str]) -> None:
    """Insert a row, or update the one with the same ``keys``."""
    statement = dialect_insert(connection, table).values(**values)
    changes = {name: statement.excluded[name] for name in values if name not in keys}
    connection.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes))
