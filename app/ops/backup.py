"""``hotline backup`` and ``hotline restore`` for the SQLite database; PostgreSQL has its own tools.

A backup is a consistent copy of the database taken while the server runs (``app.ops.sqlite_copy``).
A restore puts a backup in the database's place, but only while no process has the database open, and
it first keeps the database it replaces beside it (``hotline.db.before-restore-<time>``), so a restore
made by mistake loses nothing. PostgreSQL is backed up with ``pg_dump`` and restored with
``pg_restore``: docs/deployment.md gives the commands, which ``hotline backup`` prints too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from app.cluster import sqlite_guard
from app.db import head_revision, known_revisions, sqlite_path
from app.ops.sqlite_copy import (
    CopyFailed,
    CopyResult,
    Progress,
    copy_database,
    in_use,
    remove_database,
    revision_of,
    table_counts,
)

COUNTED = ("exercises", "events", "seats", "improvement_items")
STOP_SERVER = (
    "Stop the server first (Ctrl-C in its terminal, 'systemctl stop hotline', or "
    "'docker compose stop hotline-1 hotline-2'), then run 'hotline restore' again."
)


class BackupRefused(RuntimeError):
    """Nothing was changed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    copy: CopyResult
    counts: dict[str, int]
    revision: str | None

    def describe(self) -> str:
        size = self.copy.bytes / 1_000_000
        counts = ", ".join(_count(count, table.replace("_", " ")) for table, count in self.counts.items())
        return f"{self.copy.path}: {size:.1f} MB, {counts}, schema {self.revision} ({self.copy.seconds:.1f} s)"


def _count(count: int, plural: str) -> str:
    return f"{count:,} {plural if count != 1 else plural.removesuffix('s')}"


def postgres_advice(url: str, out: Path | None = None) -> str:
    """The pg_dump command for a PostgreSQL URL (without its password), for the CLI to print."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    target = f"postgresql://{parts.username + '@' if parts.username else ''}{host}:{parts.port or 5432}{parts.path}"
    return (
        "This database is PostgreSQL: back it up with PostgreSQL's own tool, which copies a running database "
        f"consistently:\n  pg_dump --format=custom --file {out or 'hotline.dump'} '{target}'\n"
        "Restore with pg_restore (docs/deployment.md, 'Backups and restore')."
    )


def _sqlite(url: str, what: str, out: Path | None = None) -> Path:
    database = sqlite_path(url)
    if database is None:
        if url.startswith("postgresql"):
            raise BackupRefused(postgres_advice(url, out))
        raise BackupRefused(f"'hotline {what}' works on a SQLite file; {url.split(':', 1)[0]} is not one.")
    return database


def backup(url: str, out: Path, *, force: bool = False, progress: Progress | None = None) -> BackupSummary:
    """Copy the running server's SQLite database to ``out``."""
    database = _sqlite(url, "backup", out)
    if not database.is_file():
        raise BackupRefused(f"There is no database at {database} (give it with --db, as for 'hotline serve').")
    if out.resolve() == database.resolve():
        raise BackupRefused("--out names the database itself; write the backup to another file.")
    if out.exists() and not force:
        raise BackupRefused(f"{out} already exists; choose another name, or pass --force to replace it.")
    if out.is_dir():
        raise BackupRefused(f"{out} is a folder; give the name of the backup file.")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        copy = copy_database(database, out, progress)
    except CopyFailed as exc:
        raise BackupRefused(str(exc)) from None
    return BackupSummary(copy, table_counts(out, COUNTED), revision_of(out))


def check_backup(path: Path) -> str:
    """The schema revision of a backup this server can restore; raises ``BackupRefused`` otherwise."""
    if not path.is_file():
        raise BackupRefused(f"{path}: no such file.")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise BackupRefused(f"{path} is not a SQLite database; give a file 'hotline backup' wrote.")
    revision = revision_of(path)
    if revision is None:
        raise BackupRefused(f"{path} is a SQLite database, but not a Hotline one (it has no schema revision).")
    if revision not in known_revisions():
        raise BackupRefused(
            f"{path} was written by a newer Hotline (schema {revision}; this one knows up to {head_revision()}). "
            "Restore it with that version."
        )
    return revision


def restore(path: Path, url: str, *, progress: Progress | None = None) -> tuple[BackupSummary, Path | None]:
    """Put the backup at ``path`` in place of the database; returns it and where the old database was kept."""
    database = _sqlite(url, "restore")
    revision = check_backup(path)
    if database.exists() and path.resolve() == database.resolve():
        raise BackupRefused("That file is the database itself; nothing to restore.")
    try:
        sqlite_guard.claim(database)  # no server may start on it while it is replaced
    except sqlite_guard.DatabaseInUse:
        raise BackupRefused(
            f"The database {database} is in use by a running server; nothing changed. {STOP_SERVER}"
        ) from None
    try:
        return _replace(path, database, revision, progress)
    finally:
        sqlite_guard.release(database)


def _replace(path: Path, database: Path, revision: str, progress: Progress | None) -> tuple[BackupSummary, Path | None]:
    if in_use(database):  # by a process that does not take Hotline's lock (an older server, a sqlite3 shell)
        raise BackupRefused(f"The database {database} is in use by another process; nothing changed. {STOP_SERVER}")
    kept: Path | None = None
    if database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
        copy_database(database, kept)
    database.parent.mkdir(parents=True, exist_ok=True)
    staged = database.with_name(f".{database.name}.restoring")
    try:
        copy = copy_database(path, staged, progress)
        remove_database(database)
        staged.replace(database)
    finally:
        staged.unlink(missing_ok=True)
    result = CopyResult(database, copy.pages, copy.bytes, copy.seconds)
    return BackupSummary(result, table_counts(database, COUNTED), revision), kept
