"""One server process per SQLite file: a second one is refused at start with a message that says why.

SQLite serves one process well and several badly: two servers on one file would both arm timers and
jam on the log's unique sequence numbers. Each server holds an exclusive lock on ``<file>.lock`` for
as long as it runs (released by the kernel if the process dies, so a crash never leaves it stuck).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from app.security import private_file


class DatabaseInUse(RuntimeError):
    """Another server process already serves this SQLite file."""


_held: dict[Path, tuple[IO[str], int]] = {}


def claim(database: Path) -> None:
    """Hold the SQLite file for this process (again, if it already does). Raises ``DatabaseInUse``."""
    lock_path = database.with_name(database.name + ".lock").resolve()
    held = _held.get(lock_path)
    if held is not None:
        _held[lock_path] = (held[0], held[1] + 1)
        return
    private_file(lock_path)  # in the data folder, created readable by its owner only like the database
    handle = lock_path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "another process"
        handle.close()
        raise DatabaseInUse(
            f"The SQLite database {database} is already served by {owner}. SQLite serves one Hotline "
            "process: stop that one first, or run several processes on PostgreSQL and Redis "
            "(HOTLINE_DATABASE_URL, HOTLINE_BROKER_URL; see docs/deployment.md)."
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()}\n")
    handle.flush()
    _held[lock_path] = (handle, 1)


def release(database: Path) -> None:
    lock_path = database.with_name(database.name + ".lock").resolve()
    held = _held.get(lock_path)
    if held is None:
        return
    handle, count = held
    if count > 1:
        _held[lock_path] = (handle, count - 1)
        return
    del _held[lock_path]
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    handle.close()
