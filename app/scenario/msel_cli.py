"""``hotline msel export`` and ``hotline msel import``: the MSEL as a spreadsheet, and back.

Exit codes: 0 done, 1 a problem with the files (each printed on its own line, nothing written),
2 a usage mistake (typer's own, e.g. an output name that is neither .xlsx nor .csv).
Heavy imports (openpyxl, the scenario library) happen inside the commands, so ``hotline --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from app.scenario.loader import Problem
    from app.scenario.msel import BaseScenario, MselFormat

msel_app = typer.Typer(
    name="msel",
    help="MSEL spreadsheets: export a scenario's injects to .xlsx or .csv, edit them, import them back.",
    no_args_is_help=True,
)

SCENARIO_HELP = "A scenario file (.yaml) or the id of a scenario in the library (bundled or uploaded)."


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _report(problems: list[Problem], what: str) -> NoReturn:
    for problem in problems:
        typer.echo(str(problem), err=True)
    _fail(f"{len(problems)} problem(s) {what}; nothing was written.")


def _format_of(path: Path, option: str) -> MselFormat:
    from app.scenario.msel import msel_format

    fmt = msel_format(path.name)
    if fmt is None:
        raise typer.BadParameter(f"'{path.name}' must end in .xlsx or .csv", param_hint=option)
    return fmt


def _base_scenario(reference: str) -> BaseScenario:
    """The scenario named on the command line: a file if it looks like one, else an id in the library."""
    from app.config import Settings
    from app.db import make_engine, migrate, sqlite_path
    from app.scenario.library import ScenarioLibrary
    from app.scenario.loader import ScenarioInvalid, read_text
    from app.scenario.msel import BaseScenario
    from app.scenario.stored import UploadStore
    from app.scenario.upload import legacy_uploads_dir
    from app.scenario.validate import parse_and_lint

    path = Path(reference)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            _fail(f"{reference}: no such scenario file.")
        try:
            text = read_text(path)
            return BaseScenario(parse_and_lint(text, reference), reference, text)
        except ScenarioInvalid as exc:
            _report(exc.problems, f"in the scenario {reference}; fix them (see 'hotline validate')")
    settings = Settings()
    url = settings.resolved_database_url()
    database = sqlite_path(url)
    if database is not None and not database.exists():  # no server has run here: nothing uploaded but old files
        library = ScenarioLibrary([*settings.scenario_dirs, legacy_uploads_dir(settings)])
    else:
        engine = make_engine(url)  # uploaded scenarios are in the database
        try:
            migrate(engine)
            uploads = UploadStore(engine)
            uploads.import_folder(legacy_uploads_dir(settings))  # as a server start would
            library = ScenarioLibrary(list(settings.scenario_dirs), uploads)
        finally:
            engine.dispose()
    scenario, found = library.get(reference), library.source(reference)
    if scenario is None or found is None:
        known = ", ".join(summary.id for summary in library.list()) or "none"
        _fail(f"There is no scenario '{reference}'. Give a scenario file, or one of these ids: {known}.")
    return BaseScenario(scenario, str(found.path or found.file_name), found.text)


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so an interrupted run never leaves half a file."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        _fail(f"{path}: cannot write the file: {exc.strerror or exc}.")


@msel_app.command("export")
def export_command(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)],
    out: Annotated[Path, typer.Option("--out", help="The spreadsheet to write: FILE.xlsx or FILE.csv.")],
) -> None:
    """Write a scenario's MSEL (its injects) as an Excel workbook or a CSV file."""
    from app.scenario.msel import export_msel
    from app.scenario.msel_xlsx import MselExportError

    fmt = _format_of(out, "--out")
    base = _base_scenario(scenario)
    typer.echo(f"Exporting the MSEL of '{base.scenario.id}' ({len(base.scenario.injects)} injects)…", err=True)
    try:
        data = export_msel(base.scenario, fmt)
    except MselExportError as exc:
        _fail(f"{out}: {exc}")
    _write(out, data)
    typer.echo(f"Wrote {out}: {len(base.scenario.injects)} injects of scenario '{base.scenario.id}'.")


@msel_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The MSEL spreadsheet: FILE.xlsx or FILE.csv.")],
    into: Annotated[str, typer.Option("--into", help=SCENARIO_HELP + " Everything but its MSEL is kept.")],
    out: Annotated[Path, typer.Option("--out", help="The scenario file to write (YAML).")],
    new_id: Annotated[
        str | None, typer.Option("--id", help="Give the new scenario this id (default: the --into scenario's).")
    ] = None,
    new_title: Annotated[str | None, typer.Option("--title", help="Give the new scenario this title.")] = None,
) -> None:
    """Replace a scenario's MSEL with a spreadsheet's rows, check the result fully, and write it as YAML."""
    from app.scenario.loader import MAX_FILE_BYTES, ScenarioInvalid
    from app.scenario.msel import import_msel

    fmt = _format_of(file, "FILE")
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise typer.BadParameter(f"'{out.name}' must end in .yaml", param_hint="--out")
    if not file.is_file():
        _fail(f"{file}: no such file.")
    if file.stat().st_size > MAX_FILE_BYTES:
        _fail(f"{file}: the file is larger than {MAX_FILE_BYTES // 1048576} MB; an MSEL is far smaller.")
    base = _base_scenario(into)
    typer.echo(f"Reading {file} into '{base.scenario.id}'…", err=True)
    try:
        result = import_msel(base, file.read_bytes(), str(file), fmt, new_id=new_id, new_title=new_title)
    except ScenarioInvalid as exc:
        _report(exc.problems, f"in {file}")
    _write(out, result.yaml.encode("utf-8"))
    injects = result.scenario.injects
    timed = sum(1 for inject in injects if inject.at is not None)
    typer.echo(
        f"Wrote {out}: scenario '{result.scenario.id}' with {len(injects)} injects "
        f"({timed} timed, {len(injects) - timed} contingency)."
    )
