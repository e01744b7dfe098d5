"""Every error the REST API answers has one shape, ``ErrorBody``, and is documented in the OpenAPI schema.

``detail`` is Hotline's own sentence (what went wrong, what to do), ``code`` is for programs and
``field`` names the field at fault when there is one. Validation errors, FastAPI's and ours, are
turned into that shape here instead of pydantic's lists of internals.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.guards.validation import describe, problems

log = logging.getLogger(__name__)

CODE_FOR_STATUS = {
    status.HTTP_400_BAD_REQUEST: "bad_request",
    status.HTTP_401_UNAUTHORIZED: "unauthorized",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_413_CONTENT_TOO_LARGE: "too_big",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported",
    status.HTTP_422_UNPROCESSABLE_CONTENT: "invalid",
    status.HTTP_429_TOO_MANY_REQUESTS: "too_many_attempts",
    status.HTTP_503_SERVICE_UNAVAILABLE: "unavailable",
}
DESCRIPTIONS = {
    status.HTTP_400_BAD_REQUEST: "The address holds characters that are not accepted (a NUL).",
    status.HTTP_401_UNAUTHORIZED: "The credentials are missing or wrong.",
    status.HTTP_403_FORBIDDEN: "The credentials do not allow this.",
    status.HTTP_404_NOT_FOUND: "There is no such exercise, seat, scenario or item.",
    status.HTTP_409_CONFLICT: "Not possible in the exercise's current state.",
    status.HTTP_413_CONTENT_TOO_LARGE: "The body is larger than this endpoint accepts.",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "The body is not in a format this endpoint reads.",
    status.HTTP_422_UNPROCESSABLE_CONTENT: "The request is not valid; `field` names what to change.",
    status.HTTP_429_TOO_MANY_REQUESTS: "Too many failed sign-ins from this address; wait `Retry-After` seconds.",
    status.HTTP_503_SERVICE_UNAVAILABLE: "A part of the installation this needs is missing, or the database cannot "
    "be reached right now (nothing was changed; retry after `Retry-After` seconds).",
}


class ErrorBody(BaseModel):
    """The body of every error answer."""

    detail: str = Field(description="What went wrong and what to do, in plain words.")
    code: str = Field(description="For programs: invalid, not_found, unauthorized, invalid_state, …")
    field: str | None = Field(default=None, description="The field at fault, when one is (e.g. 'compression').")


def error_response(
    status_code: int, detail: str, code: str | None = None, field: str | None = None, **headers: str
) -> JSONResponse:
    body = ErrorBody(detail=detail, code=code or CODE_FOR_STATUS.get(status_code, "error"), field=field)
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers or None)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a route or router: these statuses answer with an ``ErrorBody``."""
    return {code: {"model": ErrorBody, "description": DESCRIPTIONS[code]} for code in statuses}


async def _validation_failed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    found = problems(errors, skip=1)  # the first part of a location is 'body', 'query' or 'path'
    field = found[0][0] or None if found else None
    return error_response(
        status.HTTP_422_UNPROCESSABLE_CONTENT, describe(errors, skip=1) or "Invalid request.", field=field
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail: Any = exc.detail
    code = field = None
    if isinstance(detail, dict):
        code, field, detail = detail.get("code"), detail.get("field"), detail.get("message", "")
    headers = dict(exc.headers or {})
    return error_response(exc.status_code, str(detail), code, field, **headers)


async def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    log.error("database error: %s", exc)
    return error_response(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "The database cannot be reached right now; nothing was changed. Try again in a moment.",
        "database_unavailable",
        **{"Retry-After": "2"},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_failed)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_unavailable)
