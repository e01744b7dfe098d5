"""Full validation of scenarios: the schema (``loader``) and the cross-references (``linter``) together.

This is what the CLI's ``hotline validate``, the scenario library and uploads use: a scenario is
usable only when both pass, and every problem is reported against the YAML line it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.scenario.linter import lint_issues
from app.scenario.loader import (
    Problem,
    ScenarioDocument,
    ScenarioInvalid,
    read_document,
    read_text,
    sort_problems,
    validate_document,
)
from app.scenario.schema import Scenario


def check_document(doc: ScenarioDocument) -> Scenario:
    """Validate the shape, then the cross-references; raise ``ScenarioInvalid`` with all problems."""
    scenario = validate_document(doc)
    problems = [doc.problem(issue.loc, issue.message) for issue in lint_issues(scenario)]
    if problems:
        raise ScenarioInvalid(problems)
    return scenario


def parse_and_lint(text: str, source: str = "<text>") -> Scenario:
    """Fully validate scenario YAML given as text (an upload); ``source`` names it in problems."""
    return check_document(read_document(text, source))


def load_and_lint(path: Path) -> Scenario:
    """Load one scenario file and check it fully, or raise ``ScenarioInvalid``."""
    return parse_and_lint(read_text(path), str(path))


def scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, with folders replaced by the ``*.yaml`` / ``*.yml`` files in them."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            files.append(path)
    return files


def validate_paths(paths: list[Path]) -> list[Problem]:
    """Every problem in the given files and folders, file by file and by line; empty means all valid."""
    problems: list[Problem] = []
    for path in scenario_files(paths):
        try:
            load_and_lint(path)
        except ScenarioInvalid as exc:
            problems.extend(exc.problems)
    return sort_problems(problems)
