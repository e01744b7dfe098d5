"""Text that no database can store, or that is not Unicode at all, is refused where it enters.

PostgreSQL refuses NUL characters in text; neither database nor UTF-8 can hold a lone surrogate
(``"\\ud800"`` in JSON). Both would fail only at the commit, after the input was accepted, so every
way text comes in (websocket messages, REST bodies and parameters, uploads, imported logs) checks
it with ``text_problem`` or ``find_text_problem`` first and names the field in its refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")

Path = tuple[str | int, ...]


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, in words; None when it can."""
    if _NUL in text:
        return "contains a NUL character (\\u0000), which cannot be stored; remove it"
    if _SURROGATE.search(text):
        return "contains an unpaired surrogate (\\ud800–\\udfff), which is not valid Unicode text"
    return None


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield path, key
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def first_text_problem(value: Any, path: Path = ()) -> tuple[Path, str] | None:
    """The first string in a parsed document that cannot be stored: (its path, why)."""
    for where, text in _strings(value, path):
        problem = text_problem(text)
        if problem is not None:
            return where, problem
    return None


def find_text_problem(value: Any, path: Path = ()) -> tuple[str, str] | None:
    """``first_text_problem`` with the path written out, e.g. ``injects[3].title``."""
    found = first_text_problem(value, path)
    return None if found is None else (dotted(found[0]), found[1])


def dotted(path: Path) -> str:
    """``("injects", 3, "title")`` → ``injects[3].title``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
