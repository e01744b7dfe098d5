"""JSON from outside, parsed with bounded nesting and checked for text no database can store.

The nesting is measured on the raw text before anything is parsed (a fast scan that skips string
contents), so ``[[[[…]]]]`` twenty thousand deep is refused in microseconds instead of driving a
recursive parser to its limit. Numbers such as ``NaN``, ``Infinity`` or a 5,000-digit integer are
refused as well: JSON has no such values and no model of Hotline accepts them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.guards.text import find_text_problem
from app.limits import MAX_JSON_DEPTH

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonRefused(ValueError):
    """JSON that is not accepted; ``code`` is ``invalid_json`` or ``invalid``, the message says why."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def too_deep(text: str, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels deep in the JSON ``text``."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _no_constant(name: str) -> Any:
    raise JsonRefused("invalid_json", f"Not valid JSON: {name} is not a JSON number.")


def parse_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse ``text`` with bounded nesting; raise ``JsonRefused`` for anything that is not plain JSON."""
    if too_deep(text, max_depth):
        raise JsonRefused("invalid", f"JSON nested more than {max_depth} levels deep is not accepted.")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise JsonRefused("invalid_json", f"Not valid JSON ({exc.msg} at character {exc.pos}).") from None
    except JsonRefused:
        raise
    except RecursionError:  # cannot happen below the depth limit; kept so no input can raise it
        raise JsonRefused("invalid", f"JSON nested more than {max_depth} levels deep is not accepted.") from None
    except ValueError:  # an integer with thousands of digits
        raise JsonRefused("invalid_json", "Not valid JSON: a number has more digits than any value accepts.") from None
    return data


def check_text(data: Any) -> None:
    """Raise ``JsonRefused`` naming the first string in ``data`` that no database can store."""
    problem = find_text_problem(data)
    if problem is not None:
        where, why = problem
        raise JsonRefused("invalid", f"{where or 'The message'}: {why}.", where or None)


def load_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``parse_json``, then ``check_text``: JSON that is safe to validate and to store."""
    data = parse_json(text, max_depth=max_depth)
    check_text(data)
    return data
