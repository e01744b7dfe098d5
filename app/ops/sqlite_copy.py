"""Consistent copies of a SQLite database, taken while a server writes to it, and the check that no
process has a database open before it is replaced.

``copy_database`` opens one read transaction on the source and runs SQLite's online backup inside
it, a few hundred pages per step: in WAL mode the server keeps writing meanwhile, and the copy is the
database exactly as it was when the transaction began (every event either in it or not, never half a
command). The copy is written beside the target, checked, then renamed into place, so a failure
leaves no half-written file under the target's name.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 256
SHM_DEAD_MAN_SWITCH = 128
"""Byte of the ``-shm`` file every SQLite connection to a WAL database holds a shared lock on while open
(``UNIX_SHM_DMS`` in SQLite's unix VFS): if another process holds it, the database is in use."""

Progress = Callable[[int, int], None]
"""Called with (pages copied, pages in all) after each step."""


class CopyFailed(RuntimeError):
    """The source is not a readable SQLite database, or the copy did not pass SQLite's check."""


@dataclass(frozen=True)
class CopyResult:
    path: Path
    pages: int
    bytes: int
    seconds: float


@contextlib.contextmanager
def _connect(path: Path, mode: str) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, isolation_level=None, timeout=10)
    try:
        yield connection
    finally:
        connection.close()


def copy_database(source: Path, target: Path, progress: Progress | None = None) -> CopyResult:
    """Copy ``source`` to ``target`` (replaced if it exists) as one consistent snapshot; mode 0600."""
    if not source.is_file():
        raise CopyFailed(f"{source}: no such database file.")
    started = time.monotonic()
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # private from its first byte
    os.close(descriptor)
    try:
        with _connect(source, "rw") as origin, _connect(partial, "rw") as copy:
            try:
                origin.execute("BEGIN")
                origin.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
            except sqlite3.DatabaseError as exc:
                raise CopyFailed(f"{source} is not a SQLite database ({exc}).") from None

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            origin.backup(copy, pages=PAGES_PER_STEP, progress=step)
            origin.execute("COMMIT")
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file; a server sets WAL again
            problems = [row[0] for row in copy.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise CopyFailed(f"the copy of {source} failed SQLite's check: {'; '.join(problems[:3])}")
            pages = int(copy.execute("PRAGMA page_count").fetchone()[0])
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return CopyResult(target, pages, target.stat().st_size, time.monotonic() - started)


def in_use(database: Path) -> bool:
    """True if any other process has ``database`` open (every connection to a WAL database locks its
    ``-shm`` file's dead-man switch; a database nobody has open has no ``-shm`` or an unlocked one)."""
    shm = database.with_name(database.name + "-shm")
    try:
        descriptor = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DEAD_MAN_SWITCH)
    except OSError:
        return True
    else:
        fcntl.lockf(descriptor, fcntl.LOCK_UN, 1, SHM_DEAD_MAN_SWITCH)
        return False
    finally:
        os.close(descriptor)


def remove_database(database: Path) -> None:
    """Delete a database file with its ``-wal`` and ``-shm`` (only when nobody has it open)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


def table_counts(database: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows per table (0 for a table the database does not have), read-only."""
    with _connect(database, "ro") as connection:
        present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            table: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]) if table in present else 0
            for table in tables
        }


def revision_of(database: Path) -> str | None:
    """The schema revision of a Hotline database file; None if it has none."""
    with _connect(database, "ro") as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return str(row[0]) if row else None
