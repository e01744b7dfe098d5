"""Pydantic's validation errors in Hotline's own words: ``field: what is wrong``, a few at most.

Pydantic's messages name its internals ("1 validation error for tagged-union[SendChat,…]"); a
facilitator or a client author needs the field and what to send instead, in one short line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.guards.text import dotted

MAX_SHOWN = 3
_ID_HINT = "must be an id: letters, digits, '.', '_' or '-', starting with a letter or digit (at most 64)"

_PLAIN = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this message; remove it",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "datetime_type": "must be a date and time (ISO 8601)",
    "datetime_parsing": "must be a date and time (ISO 8601)",
    "json_invalid": "is not valid JSON",
    "json_type": "must be JSON",
}


def _expected(context: dict[str, Any]) -> str:
    return str(context.get("expected", "")).replace("'", '"')


def _text(error: ErrorDetails) -> str:
    kind = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in _PLAIN:
        return _PLAIN[kind]
    bounds = {
        "greater_than": "must be greater than {gt}",
        "greater_than_equal": "must be at least {ge}",
        "less_than": "must be less than {lt}",
        "less_than_equal": "must be at most {le}",
        "string_too_long": "must have at most {max_length} characters",
        "too_long": "must have at most {max_length} items",
        "too_short": "must have at least {min_length} items",
    }
    if kind in bounds:
        return bounds[kind].format(**context)
    if kind == "string_too_short":
        minimum = context.get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"must have at least {minimum} characters"
    if kind == "string_pattern_mismatch":
        return _ID_HINT if "A-Za-z0-9_.-" in str(context.get("pattern", "")) else "does not have the expected form"
    if kind in ("literal_error", "enum"):
        return f"must be one of {_expected(context)}"
    if kind == "value_error":
        return str(context.get("error", error["msg"]))
    message = str(error["msg"])
    return message[:1].lower() + message[1:]


def problems(errors: Sequence[ErrorDetails], *, skip: int = 0) -> list[tuple[str, str]]:
    """(field, what is wrong) for each error; ``skip`` drops leading location parts (a union tag, 'body')."""
    return [(dotted(tuple(error["loc"][skip:])), _text(error)) for error in errors]


def describe(errors: Sequence[ErrorDetails], *, skip: int = 0) -> str:
    """One line naming each field, e.g. ``visible: must be true or false``."""
    found = problems(errors, skip=skip)
    shown = [f"{field}: {text}" if field else text for field, text in found[:MAX_SHOWN]]
    more = len(found) - MAX_SHOWN
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def describe_exception(exc: ValidationError, *, skip: int = 0) -> str:
    return describe(exc.errors(include_url=False, include_input=False), skip=skip)
