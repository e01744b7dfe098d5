"""The scenario library: every valid scenario in the configured folders and every upload, by id.

A broken file never stops the server: it is skipped and its problems are kept, so the control console
and ``hotline validate`` can show the author what to fix. Uploaded scenarios live in the database
(``app.scenario.stored``), so every server process offers the same ones: ``changed_uploads`` reads
what changed since this process last looked (on a database thread) and ``apply`` takes it in.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.scenario.loader import Problem, ScenarioInvalid, read_document, read_text, sort_problems
from app.scenario.schema import Scenario
from app.scenario.stored import StoredConflict, StoredUpload, UploadStore
from app.scenario.timefmt import format_scenario_time
from app.scenario.validate import load_and_lint, parse_and_lint, scenario_files


class TeamSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str


class ScenarioSummary(BaseModel):
    """What a facilitator needs to pick a scenario, without loading all of it."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    summary: str
    language: str
    teams: list[TeamSummary]
    roles: int = Field(description="Number of roles over both teams.")
    injects: int
    end: int = Field(description="Scenario time of ENDEX, in seconds.")
    end_label: str = Field(description="ENDEX as T+HH:MM.")
    default_compression: float
    languages: list[str] = Field(description="The file's language first, then its translations.")
    planned_minutes: float = Field(description="Planned wall-clock duration at the default compression.")
    file: str = Field(description="File name inside its library folder, or of the upload.")
    uploaded: bool = Field(default=False, description="Uploaded by a facilitator (else bundled with the server).")

    @classmethod
    def of(cls, scenario: Scenario, file_name: str, *, uploaded: bool = False) -> ScenarioSummary:
        languages = [
            scenario.language,
            *(lang for lang in scenario.translations if lang != scenario.language),
        ]
        return cls(
            id=scenario.id,
            title=scenario.title,
            summary=scenario.summary,
            language=scenario.language,
            teams=[TeamSummary(id=team.id, name=team.name) for team in scenario.teams],
            roles=sum(len(team.roles) for team in scenario.teams),
            injects=len(scenario.injects),
            end=scenario.end,
            end_label=format_scenario_time(scenario.end),
            default_compression=scenario.default_compression,
            languages=languages,
            planned_minutes=round(scenario.end / scenario.default_compression / 60, 1),
            file=file_name,
            uploaded=uploaded,
        )


@dataclass(frozen=True)
class ScenarioSource:
    """Where a scenario's text comes from: a bundled file, or an upload."""

    file_name: str
    text: str
    uploaded: bool
    path: Path | None = None


class ScenarioExists(ValueError):
    """An upload would replace a scenario it may not: a bundled one, or another upload without ``replace``."""


@dataclass(frozen=True)
class UploadChanges:
    """What ``changed_uploads`` found: uploads new or replaced since the last look, parsed."""

    revisions: dict[str, int]
    scenarios: list[tuple[Scenario, StoredUpload]]
    problems: list[Problem]


class ScenarioLibrary:
    """Loads every ``*.yaml`` in ``dirs`` (in order; the first file with a given id wins), then the uploads."""

    def __init__(self, dirs: list[Path], uploads: UploadStore | None = None, *, load: bool = True) -> None:
        """``load=False`` leaves the library empty until ``reload`` (a server reloads on a database thread)."""
        self.dirs = list(dirs)
        self.uploads = uploads
        self._scenarios: dict[str, Scenario] = {}
        self._sources: dict[str, ScenarioSource] = {}
        self._invalid: list[Problem] = []
        self._revisions: dict[str, int] = {}
        if load:
            self.reload()

    def reload(self) -> None:
        """Read the folders again (and every upload). Blocking: call it at start or on a thread."""
        self._scenarios.clear()
        self._sources.clear()
        self._invalid.clear()
        self._revisions.clear()
        for path in scenario_files(d for d in self.dirs if d.is_dir()):
            try:
                self._register(load_and_lint(path), path)
            except ScenarioInvalid as exc:
                self._invalid.extend(exc.problems)
        self.apply(self.changed_uploads())

    def _register(self, scenario: Scenario, path: Path) -> None:
        first = self._sources.get(scenario.id)
        if first is not None and first.path is not None and first.path.resolve() != path.resolve():
            message = f"scenario id '{scenario.id}' is already used by {first.path}; this file is skipped"
            line = read_document(read_text(path), str(path)).line_of(("id",))
            self._invalid.append(Problem(str(path), "id", line, f"{message}: give it an id of its own"))
            return
        self._scenarios[scenario.id] = scenario
        self._sources[scenario.id] = ScenarioSource(path.name, "", uploaded=False, path=path)

    # --- uploads ---

    def changed_uploads(self) -> UploadChanges:
        """Uploads stored (by any process) since this library last looked. Blocking: a database read."""
        if self.uploads is None:
            return UploadChanges({}, [], [])
        revisions = self.uploads.revisions()
        changed = [upload_id for upload_id, revision in revisions.items() if self._revisions.get(upload_id) != revision]
        parsed, problems = [], []
        for upload in self.uploads.fetch(changed):
            try:
                parsed.append((parse_and_lint(upload.source, upload.file_name), upload))
            except ScenarioInvalid as exc:  # stored by an older version with other rules: shown, not served
                problems.extend(exc.problems)
        return UploadChanges(revisions, parsed, problems)

    def apply(self, changes: UploadChanges) -> None:
        """Take in what ``changed_uploads`` found (on the event loop: no I/O here)."""
        for scenario, upload in changes.scenarios:
            known = self._sources.get(scenario.id)
            if known is not None and not known.uploaded:
                continue  # a bundled scenario keeps its id
            self._scenarios[scenario.id] = scenario
            self._sources[scenario.id] = ScenarioSource(upload.file_name, upload.source, uploaded=True)
        self._revisions.update(changes.revisions)
        self._invalid.extend(changes.problems)

    def store(self, scenario: Scenario, source_text: str, *, replace: bool = False) -> UploadChanges:
        """Store an uploaded scenario (the author's text, kept as written). Blocking; ``apply`` the result
        on the event loop to serve it.

        Refused with ``ScenarioExists`` when a bundled scenario has the id, or an earlier upload with
        other text does and ``replace`` is not set.
        """
        if self.uploads is None:
            raise RuntimeError("this library has no upload store")
        if parse_and_lint(source_text, f"{scenario.id}.yaml") != scenario:
            raise ValueError("the uploaded text does not describe the scenario given with it")
        known = self._sources.get(scenario.id)
        if known is not None and not known.uploaded:
            raise ScenarioExists(f"scenario id '{scenario.id}' is a bundled scenario's; choose another id")
        try:
            stored = self.uploads.put(scenario.id, f"{scenario.id}.yaml", source_text, replace=replace)
        except StoredConflict:
            raise ScenarioExists(
                f"a different scenario with the id '{scenario.id}' was uploaded before; send replace to overwrite it"
            ) from None
        return UploadChanges({scenario.id: stored.revision}, [(scenario, stored)], [])

    # --- reading ---

    def list(self) -> list[ScenarioSummary]:
        """Summaries of the valid scenarios, by title."""
        summaries = [
            ScenarioSummary.of(s, self._sources[s.id].file_name, uploaded=self._sources[s.id].uploaded)
            for s in self._scenarios.values()
        ]
        return sorted(summaries, key=lambda summary: (summary.title.casefold(), summary.id))

    def get(self, scenario_id: str) -> Scenario | None:
        return self._scenarios.get(scenario_id)

    def source(self, scenario_id: str) -> ScenarioSource | None:
        """The scenario's file name and text (a bundled file is read when asked)."""
        source = self._sources.get(scenario_id)
        if source is not None and source.path is not None:
            return ScenarioSource(source.file_name, source.path.read_text(encoding="utf-8"), False, source.path)
        return source

    def summary(self, scenario_id: str) -> ScenarioSummary | None:
        scenario, source = self._scenarios.get(scenario_id), self._sources.get(scenario_id)
        if scenario is None or source is None:
            return None
        return ScenarioSummary.of(scenario, source.file_name, uploaded=source.uploaded)

    @property
    def invalid(self) -> builtins.list[Problem]:  # the method ``list`` above shadows the builtin here
        """Problems of the files that were skipped, by file and line."""
        return sort_problems(self._invalid)
