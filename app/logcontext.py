"""What a log line is about: the exercise, the event seq, the seat and the command id.

Kept in context variables, so every line logged while a request, a console's session, a command or a
timer is handled carries them without being passed along: each websocket session and each request runs
in its own task, and a task sees only the values set in it (or before it was created).
``app.logsetup`` adds them to every record.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

FIELDS = ("exercise_id", "seq", "seat", "command_id")

_vars: dict[str, ContextVar[Any]] = {name: ContextVar(f"hotline_log_{name}", default=None) for name in FIELDS}


def bind(**fields: str | int | None) -> None:
    """Set fields for the rest of the current task (a console's session, say)."""
    for name, value in fields.items():
        _vars[name].set(value)


@contextmanager
def about(**fields: str | int | None) -> Iterator[None]:
    """Set fields for the lines logged inside the block, then put back what was there."""
    tokens: list[tuple[ContextVar[Any], Token[Any]]] = [(_vars[name], _vars[name].set(v)) for name, v in fields.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def current() -> dict[str, Any]:
    """The fields set now (only those that are)."""
    values = {name: variable.get() for name, variable in _vars.items()}
    return {name: value for name, value in values.items() if value is not None}
