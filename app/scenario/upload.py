"""Scenario uploads from the control console: a scenario YAML file, or an MSEL spreadsheet for an existing one.

Everything here is independent of the web framework: the router hands over the bytes and form fields and
maps the exceptions below to HTTP statuses. An upload is checked completely (schema and cross-references)
before anything is stored; a valid one is stored in the database (``app.scenario.stored``) and is in
every process's library at once. Bundled scenarios are never overwritten by an upload; an earlier upload
only on request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePath

from pydantic import BaseModel, ConfigDict, Field

from app.config import Settings
from app.guards.text import text_problem
from app.scenario.library import ScenarioExists, ScenarioLibrary, ScenarioSummary, UploadChanges
from app.scenario.loader import MAX_FILE_BYTES, Problem, ScenarioInvalid
from app.scenario.msel import BaseScenario, MselFormat, import_msel
from app.scenario.msel_table import MselProblem
from app.scenario.schema import Scenario
from app.scenario.validate import parse_and_lint

MAX_UPLOAD_BYTES = MAX_FILE_BYTES
UPLOADS_FOLDER = "scenarios"


def legacy_uploads_dir(settings: Settings) -> Path:
    """Where versions before the database kept uploaded scenarios; moved into the database at start."""
    return settings.data_dir / UPLOADS_FOLDER


class UploadKind(StrEnum):
    yaml = "yaml"
    xlsx = "xlsx"
    csv = "csv"


_SUFFIXES = {".yaml": UploadKind.yaml, ".yml": UploadKind.yaml, ".xlsx": UploadKind.xlsx, ".csv": UploadKind.csv}
_CONTENT_TYPES = {
    "text/yaml": UploadKind.yaml,
    "application/yaml": UploadKind.yaml,
    "application/x-yaml": UploadKind.yaml,
    "text/x-yaml": UploadKind.yaml,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": UploadKind.xlsx,
    "text/csv": UploadKind.csv,
    "application/csv": UploadKind.csv,
}
ACCEPTED = ".yaml or .yml (a scenario), .xlsx or .csv (an MSEL for an existing scenario)"


def upload_kind(file_name: str | None, content_type: str | None) -> UploadKind | None:
    """What was sent, by the file's extension, else by its content type; None when neither says."""
    if file_name:
        kind = _SUFFIXES.get(PurePath(file_name).suffix.lower())
        if kind is not None:
            return kind
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    return _CONTENT_TYPES.get(media_type)


class UploadTooLarge(ValueError):
    def __init__(self, size: int | None) -> None:
        shown = f"{size / 1048576:.1f} MB" if size is not None else f"over {MAX_UPLOAD_BYTES // 1048576} MB"
        super().__init__(
            f"The upload is {shown}; scenario files and MSEL spreadsheets may be at most "
            f"{MAX_UPLOAD_BYTES // 1048576} MB. Split long texts or remove unused injects, sheets or images."
        )


class UnsupportedUpload(ValueError):
    """Neither a scenario nor an MSEL spreadsheet."""


class UploadConflict(ValueError):
    """Storing the upload would overwrite a bundled scenario, or an earlier upload without ``replace``."""


@dataclass(frozen=True)
class Upload:
    """One uploaded file and the form fields that go with it."""

    data: bytes
    file_name: str | None = None
    content_type: str | None = None
    into: str | None = None  # spreadsheets: the scenario whose teams, catalog, objectives... to use
    new_id: str | None = None  # spreadsheets: an id for the result (default: the ``into`` scenario's)
    new_title: str | None = None


@dataclass(frozen=True)
class CheckedUpload:
    scenario: Scenario
    text: str  # the YAML to store: the author's own text for YAML uploads


class ProblemReport(BaseModel):
    """One problem, located by YAML line (scenario files) or by row and column (spreadsheets)."""

    model_config = ConfigDict(frozen=True)

    file: str
    path: str
    line: int | None
    row: int | None
    column: str | None
    message: str

    @classmethod
    def of(cls, problem: Problem) -> ProblemReport:
        row = problem.row if isinstance(problem, MselProblem) else None
        column = problem.column if isinstance(problem, MselProblem) else None
        return cls(
            file=problem.file, path=problem.path, line=problem.line, row=row, column=column, message=problem.message
        )


class ProblemsResponse(BaseModel):
    """The body of every refused upload (409, 413, 415, 422): a sentence, a code, then each problem."""

    detail: str
    code: str = Field(description="conflict, too_big, unsupported or invalid.")
    problems: list[ProblemReport]


def _invalid(source: str, path: str, message: str) -> ScenarioInvalid:
    return ScenarioInvalid([Problem(source, path, None, message)])


def _check_yaml(upload: Upload, source: str) -> CheckedUpload:
    for name, value in (("id", upload.new_id), ("title", upload.new_title), ("into", upload.into)):
        if value:
            raise _invalid(
                source,
                name,
                f"'{name}' is only for MSEL spreadsheets; a scenario file says its {name} in the file itself",
            )
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(source, "", "the file is not UTF-8 text; save it as UTF-8") from None
    return CheckedUpload(parse_and_lint(text, source), text)


def _check_msel(upload: Upload, source: str, fmt: MselFormat, library: ScenarioLibrary) -> CheckedUpload:
    ids = ", ".join(summary.id for summary in library.list()) or "none yet"
    if not upload.into:
        raise _invalid(
            source,
            "into",
            f"an MSEL spreadsheet holds only injects: send the form field 'into' with the id of the scenario "
            f"whose teams, actions and objectives to use (one of: {ids})",
        )
    scenario, found = library.get(upload.into), library.source(upload.into)
    if scenario is None or found is None:
        raise _invalid(source, "into", f"there is no scenario '{upload.into}' to import into; use one of: {ids}")
    base = BaseScenario(scenario, found.file_name, found.text)
    result = import_msel(base, upload.data, source, fmt, new_id=upload.new_id, new_title=upload.new_title)
    return CheckedUpload(result.scenario, result.yaml)


def check_upload(upload: Upload, library: ScenarioLibrary) -> CheckedUpload:
    """Validate an upload fully; raise ``ScenarioInvalid`` (every problem), ``UploadTooLarge`` or
    ``UnsupportedUpload``. Parsing a workbook takes a moment: callers in an event loop run this in a thread."""
    if len(upload.data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(len(upload.data))
    kind = upload_kind(upload.file_name, upload.content_type)
    if kind is None:
        sent = upload.file_name or upload.content_type or "the upload"
        hint = "; save old Excel files (.xls) as .xlsx" if (upload.file_name or "").lower().endswith(".xls") else ""
        raise UnsupportedUpload(f"{sent} is not a file Hotline reads: send {ACCEPTED}{hint}.")
    name = upload.file_name
    source = name if name and text_problem(name) is None else f"upload.{kind.value}"
    if kind is UploadKind.yaml:
        return _check_yaml(upload, source)
    return _check_msel(upload, source, MselFormat(kind.value), library)


def check_conflict(checked: CheckedUpload, library: ScenarioLibrary, *, replace: bool) -> None:
    """Raise ``UploadConflict`` if storing would overwrite what it must not."""
    scenario = checked.scenario
    existing, found = library.get(scenario.id), library.source(scenario.id)
    if existing is None or found is None:
        return
    if not found.uploaded:
        raise UploadConflict(
            f"'{scenario.id}' is the id of the bundled scenario '{existing.title}', which uploads never "
            "replace. Change the id (the 'id:' line of a scenario file, or the 'id' field of an MSEL upload) "
            "and upload again."
        )
    if existing != scenario and not replace:
        raise UploadConflict(
            f"A different scenario with the id '{scenario.id}' ('{existing.title}') was uploaded before. "
            "Change the id and upload again, or send replace=true to overwrite that upload."
        )


def store_upload(checked: CheckedUpload, library: ScenarioLibrary, *, replace: bool) -> UploadChanges:
    """Store a checked upload in the database. Blocking; ``library.apply`` the result on the event loop."""
    check_conflict(checked, library, replace=replace)
    try:
        # check_conflict has decided: overwriting an upload is allowed here (same scenario, or replace).
        return library.store(checked.scenario, checked.text, replace=True)
    except ScenarioExists as exc:
        raise UploadConflict(f"{exc}.") from exc


def summary_of(checked: CheckedUpload) -> ScenarioSummary:
    """The summary a checked upload would have once stored."""
    return ScenarioSummary.of(checked.scenario, f"{checked.scenario.id}.yaml", uploaded=True)
