"""Helpers for scenario tests: broken variants of the mini fixture and the problems they produce."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.scenario.loader import Problem, ScenarioInvalid
from app.scenario.validate import parse_and_lint

FIXTURES = Path(__file__).parent.parent / "fixtures"
PROJECT = Path(__file__).parent.parent.parent
MINI_TEXT = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
SOURCE = "mini.yaml"


def variant(old: str, new: str, text: str = MINI_TEXT) -> str:
    """The text with one exact, unique fragment replaced (so a fixture edit cannot silently miss)."""
    assert text.count(old) == 1, f"fragment {old!r} must occur exactly once"
    return text.replace(old, new)


def problems_in(text: str, source: str = SOURCE) -> list[Problem]:
    try:
        parse_and_lint(text, source)
    except ScenarioInvalid as exc:
        return exc.problems
    return []


def line_of(text: str, fragment: str) -> int:
    """1-based line on which ``fragment`` first starts."""
    index = text.index(fragment)
    return text.count("\n", 0, index) + 1


def problem_at(text: str, path: str) -> Problem:
    """The problem reported for ``path``; fails with every problem listed when there is none."""
    found = [problem for problem in problems_in(text) if problem.path == path]
    assert found, f"no problem at {path}; got:\n" + "\n".join(str(p) for p in problems_in(text))
    return found[0]


@dataclass(frozen=True)
class Case:
    """A broken variant of the mini scenario and where its problem must be reported."""

    name: str
    old: str
    new: str
    path: str
    line_at: str  # a fragment of the broken text on the line the problem must point at
    words: tuple[str, ...] = ()


def check_case(case: Case) -> None:
    text = variant(case.old, case.new)
    problem = problem_at(text, case.path)
    assert problem.line == line_of(text, case.line_at)
    for words in case.words:
        assert words in problem.message
    assert str(problem).startswith(f"{SOURCE}:{problem.line}: {case.path}: ")
