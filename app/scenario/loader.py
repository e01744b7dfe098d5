"""Reading scenario files: YAML in, a validated ``Scenario`` out, or a list of problems.

Every problem names the file, the field path as the author wrote it (``injects[3].audience.team``) and,
where it can be found, the YAML line, so an author can jump straight to it. Cross-reference checks live
in ``linter``; ``validate`` combines both.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.guards.text import dotted, first_text_problem
from app.scenario.schema import Scenario

MAX_FILE_BYTES = 2 * 1024 * 1024
# Aliases can make a small file expand enormously ("billion laughs"); uploads must not be able to do that.
MAX_NODES = 200_000
TOP_LEVEL = "(top level)"

PathPart = str | int
Loc = tuple[PathPart, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario file, printable as ``FILE:LINE: PATH: MESSAGE``."""

    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or TOP_LEVEL}: {self.message}"


class ScenarioInvalid(ValueError):
    """A scenario that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sort_problems(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def sort_problems(problems: Sequence[Problem]) -> list[Problem]:
    """File by file, by line; problems about the file as a whole (no line) come first."""
    return sorted(problems, key=lambda problem: (problem.file, problem.line or 0, problem.path))


def format_path(loc: Sequence[PathPart]) -> str:
    return dotted(tuple(loc))


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses ~10x faster


class _ScenarioYamlLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that keeps ``1:30:00`` as text: YAML 1.1 would read it as a base-60 number."""


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_ScenarioYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ScenarioYamlLoader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_ScenarioYamlLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


# Pydantic names the branches of a union such as ``str | Literal['both']`` after their types.
_TYPE_LABELS = frozenset({"str", "int", "float", "bool", "list", "dict", "none"})


@dataclass
class ScenarioDocument:
    """A parsed YAML document and the 1-based line of every node in it, keyed by field path."""

    source: str
    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    # Problems that do not stop parsing (a key written twice) but must still be reported.
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Sequence[PathPart]) -> int | None:
        """The line of the node at ``loc``, or of its nearest ancestor that exists in the file."""
        parts = list(loc)
        while True:
            line = self.lines.get(format_path(parts))
            if line is not None or not parts:
                return line
            parts.pop()

    def locate(self, loc: Sequence[PathPart]) -> Loc:
        """Turn a validation location into the path the author wrote, walking the raw data.

        Pydantic adds union-branch labels (``literal['all']``, a condition's ``type``) and list indexes
        for values it normalised (an audience written as one mapping); those are dropped here.
        """
        node: Any = self.data
        path: list[PathPart] = []
        for part in loc:
            if isinstance(part, int):
                if isinstance(node, list) and 0 <= part < len(node):
                    path.append(part)
                    node = node[part]
                continue
            if isinstance(node, dict):
                if part in node:
                    path.append(part)
                    node = node[part]
                    continue
                if part == node.get("type") or not part.isidentifier():
                    continue
            elif not part.isidentifier() or part in _TYPE_LABELS:
                continue
            path.append(part)
            node = None
        return tuple(path)

    def problem(self, loc: Sequence[PathPart], message: str) -> Problem:
        located = self.locate(loc)
        return Problem(self.source, format_path(located), self.line_of(located), message)


def _walk(node: yaml.Node, loc: list[PathPart], doc: ScenarioDocument) -> None:
    """Record the line of every node; note duplicate keys, which YAML would silently overwrite."""
    if len(doc.lines) > MAX_NODES:
        raise _TooLarge
    doc.lines.setdefault(format_path(loc), node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            line = key_node.start_mark.line + 1
            path = format_path([*loc, key])
            if key in seen:
                doc.problems.append(
                    Problem(
                        doc.source,
                        path,
                        line,
                        f"'{key}' is written twice here (first on line {seen[key]}); "
                        "YAML keeps only the last one, so remove or rename one of them",
                    )
                )
            seen[key] = line
            # A mapping's key line is the most useful place to point at for its value.
            doc.lines.setdefault(path, line)
            _walk(value_node, [*loc, key], doc)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, [*loc, index], doc)


class _TooLarge(Exception):
    pass


def _yaml_problem(source: str, exc: yaml.YAMLError) -> Problem:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(source, "", None, f"YAML syntax error: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = ": ".join(part for part in (exc.context, exc.problem) if part)
    if isinstance(exc, yaml.constructor.ConstructorError):
        return Problem(source, "", line, f"{what}; scenario files may use only plain YAML values, no '!!' tags")
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in what:
        return Problem(source, "", line, "a scenario file holds one YAML document; remove the second '---'")
    column = f" (column {mark.column + 1})" if mark else ""
    return Problem(source, "", line, f"YAML syntax error{column}: {what}; check indentation, colons and quotes")


def _invalid(source: str, line: int | None, message: str) -> ScenarioInvalid:
    return ScenarioInvalid([Problem(source, "", line, message)])


_EMPTY = "the file is empty; a scenario starts with 'id:', 'title:', 'summary:', 'end:' and 'teams:'"
_TOO_MANY = (
    "the file nests too deeply or expands to too many values (through YAML anchors and aliases); "
    "write the values out instead"
)


def read_document(text: str, source: str = "<text>") -> ScenarioDocument:
    """Parse YAML text into a document with its line map, or raise ``ScenarioInvalid``."""
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise _invalid(source, None, _too_big_message(size))
    loader = _ScenarioYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _invalid(source, 1, _EMPTY)
        doc = ScenarioDocument(source=source, data=None)
        _walk(node, [], doc)
        doc.data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ScenarioInvalid([_yaml_problem(source, exc)]) from exc
    except (_TooLarge, RecursionError) as exc:
        raise _invalid(source, None, _TOO_MANY) from exc
    finally:
        loader.dispose()
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"a single value ({_shown(doc.data)})"
        message = (
            f"the top level is {kind}; a scenario must be a mapping of fields such as 'id:', 'title:' and 'teams:'"
        )
        raise _invalid(source, node.start_mark.line + 1, message)
    return doc


def _too_big_message(size: int) -> str:
    return (
        f"the file is {size / 1048576:.1f} MB; scenario files may be at most "
        f"{MAX_FILE_BYTES // 1048576} MB, so split long texts or remove unused injects"
    )


def _field_names(model: type[BaseModel]) -> Iterator[str]:
    """Every field name of ``model`` and the models nested in it, to suggest corrections for typos."""
    seen: set[type[BaseModel]] = set()
    stack = [model]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            yield name
            stack.extend(_models_in(info.annotation))


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()):
        yield from _models_in(arg)
    for meta in getattr(annotation, "__metadata__", ()):
        yield from _models_in(meta)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _models_in(origin)


_KNOWN_FIELDS = sorted(set(_field_names(Scenario)))
_ID_RULE = "use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 64 characters)"
_CONDITION_TYPES = "no_contact, action_taken, inject_released or band_reached"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _error_message(error: ErrorDetails, located: Loc) -> str:
    """Plain words for one pydantic error, with a hint at what to write where one helps."""
    kind = error["type"]
    value = error.get("input")
    name = str(located[-1]) if located else "scenario"
    if kind == "missing":
        return f"'{name}' is required here but missing"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, _KNOWN_FIELDS, n=1)
        if " " in name or (value is None and not close):
            # Typical of an unquoted text inside {...}: a comma in it splits off a bogus extra field.
            return (
                f"'{name}' is not a field the scenario format knows; if it is the end of a text, put the "
                "whole text in quotes (a comma inside {...} starts a new field)"
            )
        hint = f"; did you mean '{close[0]}'?" if close else "; remove it"
        return f"'{name}' is not a field the scenario format knows{hint}"
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} is not a valid id: {_ID_RULE}"
    if kind == "union_tag_not_found":
        return f"a condition needs 'type:', one of {_CONDITION_TYPES}"
    if kind == "union_tag_invalid":
        tag = _shown(error.get("ctx", {}).get("tag"))
        return f"{tag} is not a condition type; write one of {_CONDITION_TYPES}"
    message = error["msg"].removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if kind in ("value_error", "assertion_error") or isinstance(value, dict | list):
        return message
    return f"{message} (found {_shown(value)})"


_AUDIENCE_HINT = "write 'all', a team id, {team: ID, role: ID} or a list of those"


def _is_audience(loc: Loc) -> bool:
    return len(loc) == 3 and loc[0] == "injects" and loc[2] == "audience"


def _problems_from(doc: ScenarioDocument, exc: ValidationError) -> list[Problem]:
    """One problem per field path; the failed branches of a union are merged into one message."""
    located_errors = [(doc.locate(error["loc"]), error) for error in exc.errors()]
    # When an audience fails deep inside its list form, that error says it all; the complaint of the
    # "all" branch of the union would only be noise.
    specific = {loc[:3] for loc, _ in located_errors if len(loc) > 3 and _is_audience(loc[:3])}
    by_path: dict[Loc, list[str]] = {}
    for located, error in located_errors:
        if _is_audience(located):
            if located in specific:
                continue
            message = f"this audience cannot be read; {_AUDIENCE_HINT}"
        else:
            message = _error_message(error, located)
        messages = by_path.setdefault(located, [])
        if message not in messages:
            messages.append(message)
    return [
        Problem(doc.source, format_path(loc), doc.line_of(loc), "; or ".join(messages))
        for loc, messages in by_path.items()
    ]


def validate_document(doc: ScenarioDocument) -> Scenario:
    """Validate the shape of a parsed document, or raise ``ScenarioInvalid`` naming every bad field."""
    unstorable = first_text_problem(doc.data)
    if unstorable is not None:
        where, why = unstorable
        raise ScenarioInvalid([*doc.problems, Problem(doc.source, format_path(where), doc.line_of(where), why)])
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise ScenarioInvalid([*doc.problems, *_problems_from(doc, exc)]) from exc
    if doc.problems:
        raise ScenarioInvalid(doc.problems)
    return scenario


def read_text(path: Path) -> str:
    """A scenario file's text, refusing files too big to be a scenario before reading them."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioInvalid([Problem(source, "", None, _too_big_message(size))])
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioInvalid([Problem(source, "", None, "the file is not UTF-8 text; save it as UTF-8")]) from exc
    except OSError as exc:
        raise ScenarioInvalid([Problem(source, "", None, f"cannot read the file: {exc.strerror or exc}")]) from exc


def parse_scenario(text: str, source: str = "<text>") -> Scenario:
    """Validate scenario YAML given as text (an upload, say); ``source`` names it in problems."""
    return validate_document(read_document(text, source))


def load_scenario(path: Path) -> Scenario:
    """Load and validate one scenario file, or raise ``ScenarioInvalid``."""
    return parse_scenario(read_text(path), str(path))
