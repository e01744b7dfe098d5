"""The scenario library: every valid scenario in the configured folders, by id.

A broken file never stops the server: it is skipped and its problems are kept, so the control console
and ``hotline validate`` can show the author what to fix. Uploaded scenarios are written into a folder
as ``<id>.yaml`` so that they are loaded again after a restart.
"""

from __future__ import annotations

import builtins
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from app.scenario.loader import Problem, ScenarioInvalid, read_document, read_text, sort_problems
from app.scenario.schema import Scenario
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
    file: str = Field(description="File name inside its library folder.")

    @classmethod
    def of(cls, scenario: Scenario, path: Path) -> ScenarioSummary:
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
            file=path.name,
        )


class ScenarioExists(ValueError):
    """An upload would overwrite a file that holds another scenario or an older copy of this one."""


class ScenarioLibrary:
    """Loads every ``*.yaml`` in ``dirs`` (in order); the first file with a given scenario id wins."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = list(dirs)
        self._scenarios: dict[str, Scenario] = {}
        self._paths: dict[str, Path] = {}
        self._invalid: list[Problem] = []
        self.reload()

    def reload(self) -> None:
        self._scenarios.clear()
        self._paths.clear()
        self._invalid.clear()
        for path in scenario_files(d for d in self.dirs if d.is_dir()):
            try:
                self._register(load_and_lint(path), path)
            except ScenarioInvalid as exc:
                self._invalid.extend(exc.problems)

    def _register(self, scenario: Scenario, path: Path) -> None:
        first = self._paths.get(scenario.id)
        if first is not None and first.resolve() != path.resolve():
            message = f"scenario id '{scenario.id}' is already used by {first}; this file is skipped"
            line = read_document(read_text(path), str(path)).line_of(("id",))
            self._invalid.append(Problem(str(path), "id", line, f"{message}: give it an id of its own"))
            return
        self._scenarios[scenario.id] = scenario
        self._paths[scenario.id] = path

    def list(self) -> list[ScenarioSummary]:
        """Summaries of the valid scenarios, by title."""
        summaries = [ScenarioSummary.of(s, self._paths[s.id]) for s in self._scenarios.values()]
        return sorted(summaries, key=lambda summary: (summary.title.casefold(), summary.id))

    def get(self, scenario_id: str) -> Scenario | None:
        return self._scenarios.get(scenario_id)

    def path(self, scenario_id: str) -> Path | None:
        return self._paths.get(scenario_id)

    @property
    def invalid(self) -> builtins.list[Problem]:  # the method ``list`` above shadows the builtin here
        """Problems of the files that were skipped, by file and line."""
        return sort_problems(self._invalid)

    def add(self, scenario: Scenario, source_text: str, folder: Path, *, replace: bool = False) -> Path:
        """Write an uploaded scenario to ``folder/<id>.yaml`` and make it available.

        ``folder`` should be one of the library's ``dirs``, or the scenario is gone after a restart.

        The author's text is kept as written (comments and all), after checking that it really is the
        scenario given. An existing ``<id>.yaml`` with other content is overwritten only with
        ``replace=True``; a scenario id that another file already holds is always refused, because two
        files with one id would make the library's choice depend on file order after a restart.
        """
        if parse_and_lint(source_text, f"{scenario.id}.yaml") != scenario:
            raise ValueError("the uploaded text does not describe the scenario given with it")
        target = folder / f"{scenario.id}.yaml"
        known = self._paths.get(scenario.id)
        if known is not None and known.resolve() != target.resolve():
            raise ScenarioExists(f"scenario id '{scenario.id}' is already used by {known}; choose another id")
        if target.exists() and not replace and target.read_text(encoding="utf-8") != source_text:
            raise ScenarioExists(f"{target} already exists; send it again with replace to overwrite it")
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(source_text, encoding="utf-8")
        partial.replace(target)  # atomic, so a crash never leaves half a scenario where the library looks
        self._register(scenario, target)
        return target
