"""``hotline report`` and ``hotline compare``: the after-action report and run comparisons from the shell.

Each takes exercise ids (read from the database given by ``--db``, as ``hotline export`` does) or JSONL
logs (read offline). Progress goes to stderr, so ``--out -`` leaves only the report on stdout.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from app.reports.source import ReportSource


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _step(message: str) -> float:
    typer.echo(message, err=True)
    return time.perf_counter()


def _database_url(db: str | None) -> str:
    """Like ``hotline export``: a file path means SQLite; default: the server's configured database."""
    from app.config import Settings

    if db:
        return db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    return Settings().resolved_database_url()


def _load(target: str, db: str | None) -> ReportSource:
    """A JSONL log when ``target`` names a file (or ends in .jsonl), else an exercise id in the database."""
    from app.engine.archive import ArchiveInvalid
    from app.reports.source import SourceNotFound, from_database, from_log_file

    path = Path(target)
    try:
        if path.suffix == ".jsonl" or path.is_file():
            return from_log_file(path)
        from app.db import make_engine, migrate

        engine = make_engine(_database_url(db))
        try:
            migrate(engine)
            return from_database(engine, target)
        finally:
            engine.dispose()
    except ArchiveInvalid as exc:
        _fail(f"{target}:{exc.line}: {exc.message}")
    except SourceNotFound as exc:
        hint = "" if db else " (give the database with --db, as for 'hotline serve')"
        _fail(f"{exc}{hint}")


def report_command(
    target: Annotated[str, typer.Argument(metavar="EXERCISE_ID|LOG.jsonl", help="An exercise id or a JSONL log.")],
    export_format: Annotated[
        str, typer.Option("--format", "-f", help="html (self-contained, printable), md, json, or csv (events).")
    ] = "html",
    out: Annotated[
        str | None, typer.Option(help="File to write ('-' for standard output); default <exercise>-report.<format>.")
    ] = None,
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL, for an exercise id.")] = None,
) -> None:
    """Write the after-action report of an exercise: HTML, Markdown, JSON, or a CSV of its events."""
    from app.reports.assemble import build_report
    from app.reports.exports import FORMATS, file_name, render
    from app.reports.vendor import PlotlyMissing

    if export_format not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}, not '{export_format}'.")
    started = _step(f"Reading {target}…")
    source = _load(target, db)
    _step(f"Scoring and assembling {len(source.events)} events…")
    report = build_report(source)
    _step(f"Rendering {export_format}…")
    try:
        text = render(report, export_format)
    except PlotlyMissing as exc:
        _fail(str(exc))
    if out == "-":
        sys.stdout.write(text)
        return
    path = Path(out) if out else Path(file_name(source.exercise.id, export_format))
    path.write_text(text, encoding="utf-8")
    elapsed = time.perf_counter() - started
    typer.echo(f"Wrote {path} ({len(text.encode('utf-8')) / 1024:.0f} KiB) in {elapsed:.1f} s.", err=True)


def compare_command(
    targets: Annotated[
        list[str], typer.Argument(metavar="EXERCISE_ID|LOG.jsonl...", help="Two or more runs of one scenario.")
    ],
    output_format: Annotated[str, typer.Option("--format", "-f", help="text, md or json.")] = "text",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
    db: Annotated[str | None, typer.Option(help="SQLite file or database URL, for exercise ids.")] = None,
) -> None:
    """Put runs of one scenario side by side: team and joint scores, every metric, differences to the first run."""
    from app.reports.compare import CompareError, compare
    from app.reports.render_compare import comparison_markdown, comparison_text

    if output_format not in ("text", "md", "json"):
        _fail(f"--format must be text, md or json, not '{output_format}'.")
    if len(targets) < 2:
        _fail("Give at least two runs (exercise ids or JSONL logs) to compare.")
    sources = []
    for number, target in enumerate(targets, 1):
        _step(f"Reading run {number} of {len(targets)}: {target}…")
        sources.append(_load(target, db))
    try:
        comparison = compare(sources)
    except CompareError as exc:
        _fail(str(exc))
    if output_format == "json":
        text = comparison.model_dump_json(indent=2) + "\n"
    elif output_format == "md":
        text = comparison_markdown(comparison)
    else:
        text = comparison_text(comparison)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}", err=True)
