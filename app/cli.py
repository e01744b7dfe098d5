"""The ``hotline`` command: serve, validate, schema, export, import (and more as they are added)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from app import __version__
from app.accounts.cli import accounts_app
from app.bots.demo import demo_command
from app.bots.tournament_cli import tournament_command
from app.cli_settings import settings_for as _settings
from app.reports.cli import compare_command, report_command
from app.scenario.msel_cli import msel_app
from app.scoring.cli import score_command

if TYPE_CHECKING:
    from app.engine.manager import ExerciseManager

SHARED_DEFLATE_PROTOCOL = "app.realtime.wire:SharedDeflateProtocol"
TURN_TAKING_HTTP_PROTOCOL = "app.realtime.http_turns:TurnTakingHttpProtocol"

cli = typer.Typer(
    name="hotline",
    help="Hotline: crisis-management tabletop exercises with a leaders' hotline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default 8000).")] = None,
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL (default .hotline/hotline.db).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Server processes sharing the port (more than one needs PostgreSQL and Redis)."),
    ] = None,
) -> None:
    """Start the server with the bundled scenarios; prints the control-console URL."""
    import uvicorn

    from app.cluster import sqlite_guard
    from app.db import make_engine, migrate, sqlite_path
    from app.interpreter import tune_for_serving
    from app.logsetup import logging_config
    from app.main import create_app
    from app.security import load_or_create_secret

    settings = _settings(db, host=host, port=port, workers=workers)
    url = settings.resolved_database_url()
    database = sqlite_path(url)
    if settings.workers > 1 and database is not None:
        _fail(
            f"--workers {settings.workers} needs PostgreSQL: SQLite serves one process. Set HOTLINE_DATABASE_URL "
            "to a PostgreSQL database and HOTLINE_BROKER_URL to Redis (see docs/deployment.md)."
        )
    if settings.workers > 1 and settings.broker_url.startswith("memory"):
        _fail(
            f"--workers {settings.workers} needs a broker the processes share: set HOTLINE_BROKER_URL to "
            "redis://host:6379/0 (see docs/deployment.md)."
        )
    if database is not None:
        try:
            sqlite_guard.claim(database)
        except sqlite_guard.DatabaseInUse as refused:
            _fail(str(refused))
    engine = make_engine(url)
    try:
        migrate(engine)
        secret = load_or_create_secret(settings, engine)
    finally:
        engine.dispose()
    base = settings.base_url()
    typer.echo(f"Hotline {__version__}")
    typer.echo(f"  database:        {_redact(url)}")
    typer.echo(f"  broker:          {_redact(settings.broker_url)}")
    if settings.workers > 1:
        typer.echo(f"  processes:       {settings.workers}, sharing port {settings.port}")
    typer.echo(f"  scenarios from:  {', '.join(str(d) for d in settings.scenario_dirs)} and uploads")
    if secret.created:
        typer.echo(f"  control console: {base}/control#secret={secret.value}")
        typer.echo(f"  facilitator secret: {secret.value}")
        typer.echo(
            f"    (generated now and shown only this once; kept in {secret.kept_in}, where every server process"
            " finds it; 'hotline secret' shows it again; set HOTLINE_SECRET to choose one)"
        )
    elif secret.kept_in is not None:
        where = f"the facilitator secret is in {secret.kept_in}: 'hotline secret' prints it"
        typer.echo(f"  control console: {base}/control  ({where})")
    else:
        typer.echo(f"  control console: {base}/control  (sign in with HOTLINE_SECRET)")
    typer.echo(f"  API docs:        {base}/docs")
    options = {
        "host": settings.host,
        "port": settings.port,
        "log_config": logging_config(settings.log_level, settings.log_format),
        "log_level": settings.log_level,
        # uvicorn's fastest websocket implementation, compressing each message once per view group and letting
        # the hub write to the socket directly (app/realtime/wire.py, docs/performance.md)
        "ws": SHARED_DEFLATE_PROTOCOL,
        # a connection's first request is read in the handshake turns, not in the pass that accepted it, so a
        # burst of arrivals never holds up a timer (app/realtime/http_turns.py)
        "http": TURN_TAKING_HTTP_PROTOCOL,
        "ws_max_size": 1 << 20,
        "ws_per_message_deflate": settings.ws_per_message_deflate,
        "proxy_headers": settings.proxy_headers,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }
    tune_for_serving()
    if settings.workers == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    # Worker processes build their settings from the environment: hand them what the options changed.
    os.environ.update(
        {
            "HOTLINE_DATABASE_URL": url,
            "HOTLINE_HOST": settings.host,
            "HOTLINE_PORT": str(settings.port),
            "HOTLINE_WORKERS": "1",
        }
    )
    uvicorn.run("app.main:create_app", factory=True, workers=settings.workers, **options)  # type: ignore[arg-type]


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


@cli.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Scenario YAML files.", exists=False)]) -> None:
    """Check scenario files; one line per problem (file:line: field: what is wrong). Exit 1 if any."""
    from app.scenario.validate import scenario_files, validate_paths

    problems = validate_paths(files)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {len({p.file for p in problems})} file(s).", err=True)
        raise typer.Exit(1)
    typer.echo(f"{len(scenario_files(files))} scenario file(s) valid.")


@cli.command()
def schema(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of printing.")] = None,
) -> None:
    """Print the JSON Schema of the scenario format."""
    from app.schema_docs import render

    text = render("scenario.schema.json")
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}")


@cli.command()
def export(
    exercise_id: Annotated[str, typer.Argument(help="Id of the exercise (see the control console or /api/exercises).")],
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: standard output).")] = None,
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL.")] = None,
) -> None:
    """Export an exercise's event log as JSONL (header line, then one event per line)."""
    from app.engine.manager import ExerciseNotFound

    manager = _offline_manager(db)
    try:
        lines = manager.export(exercise_id)
    except ExerciseNotFound:
        typer.echo(f"There is no exercise '{exercise_id}' in this database.", err=True)
        raise typer.Exit(1) from None
    if out is None:
        for line in lines:
            sys.stdout.write(line)
        return
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line)
            count += 1
    typer.echo(f"Wrote {count - 1} events to {out}", err=True)


@cli.command("import")
def import_log(
    file: Annotated[Path, typer.Argument(help="A JSONL log written by 'hotline export'.")],
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL.")] = None,
) -> None:
    """Import a JSONL log as a new, ended exercise; prints its id."""
    from app.engine.archive import ArchiveInvalid, ArchiveMissing, read_archive_file

    try:
        row = _offline_manager(db).import_archive(read_archive_file(file))
    except ArchiveMissing as missing:
        typer.echo(str(missing), err=True)
        raise typer.Exit(1) from None
    except ArchiveInvalid as exc:
        typer.echo(f"{file}:{exc.line}: {exc.message}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(f"{file}: the log does not replay: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(row.id)


@cli.command()
def backup(
    out: Annotated[Path, typer.Option(help="The backup file to write (a SQLite database).")],
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL (default: the server's).")] = None,
    force: Annotated[bool, typer.Option(help="Replace --out if it exists.")] = False,
) -> None:
    """Copy the database while the server runs: a consistent snapshot, checked before it is kept."""
    from app.ops.backup import BackupRefused
    from app.ops.backup import backup as take_backup

    url = _settings(db).resolved_database_url()
    try:
        with _pages_bar("Copying") as progress:
            summary = take_backup(url, out, force=force, progress=progress)
    except BackupRefused as refused:
        _fail(str(refused))
    typer.echo(f"Backed up {_redact(url)} to {summary.describe()}", err=True)


@cli.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by 'hotline backup'.")],
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL (default: the server's).")] = None,
) -> None:
    """Replace the database with a backup; refused while a server has the database open."""
    from app.db import head_revision
    from app.ops.backup import BackupRefused
    from app.ops.backup import restore as put_back

    url = _settings(db).resolved_database_url()
    try:
        with _pages_bar("Restoring") as progress:
            summary, kept = put_back(file, url, progress=progress)
    except BackupRefused as refused:
        _fail(str(refused))
    typer.echo(f"Restored {summary.describe()}", err=True)
    if kept is not None:
        typer.echo(f"The database it replaced is kept as {kept}.", err=True)
    if summary.revision != head_revision():
        typer.echo(f"The server upgrades it to schema {head_revision()} when it starts.", err=True)


@contextmanager
def _pages_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on standard error, fed with (pages copied, pages in all); shown from the first page."""
    with ExitStack() as stack:
        bars: list[Any] = []

        def advance(done: int, total: int) -> None:
            if not bars:
                bars.append(stack.enter_context(typer.progressbar(length=max(total, 1), label=label, file=sys.stderr)))
            bars[0].update(done - bars[0].pos)

        yield advance


@cli.command()
def secret(db: Annotated[str | None, typer.Option(help="SQLite file or database URL.")] = None) -> None:
    """Print the facilitator secret every server process shares (the one generated on the first start)."""
    from app.db import make_engine, migrate
    from app.security import load_or_create_secret

    settings = _settings(db)
    if settings.secret:
        typer.echo("The facilitator secret is set by HOTLINE_SECRET.", err=True)
        raise typer.Exit(1)
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate(engine)
        typer.echo(load_or_create_secret(settings, engine).value)
    finally:
        engine.dispose()


def _offline_manager(db: str | None) -> ExerciseManager:
    """A manager on the database without a running server (no timers are armed)."""
    from app.db import Database, make_engine, migrate
    from app.engine.clock import SystemClock
    from app.engine.manager import ExerciseManager

    engine = make_engine(_settings(db).resolved_database_url())
    migrate(engine)
    return ExerciseManager(Database(engine, threads=1), SystemClock(), lambda _exercise, _events: None)


cli.command("score")(score_command)
cli.command("demo")(demo_command)
cli.command("tournament")(tournament_command)
cli.add_typer(msel_app, name="msel")
cli.add_typer(accounts_app, name="accounts")
cli.command("report")(report_command)
cli.command("compare")(compare_command)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
