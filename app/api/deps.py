"""Dependencies shared by the routers: the services, sign-in checks, the exercise a path names, error mapping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.engine.commands import CommandError
from app.engine.manager import ExerciseNotFound
from app.guards.text import text_problem
from app.models import ExerciseRow
from app.security import secrets_match
from app.services import Services

bearer = HTTPBearer(auto_error=False, description="The facilitator secret, as 'Authorization: Bearer <secret>'.")
MAX_ID_CHARS = 64


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_sign_in(request: Request, services: Services, valid: Callable[[], bool | None], what: str) -> bool:
    """Whether the request's credentials are right, refusing (429) an address that failed too often.

    ``valid`` returns True (right), False (wrong: counted against the address) or None (none sent).
    """
    address = client_address(request)
    wait = services.perimeter.sign_ins.retry_after(address)
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"Too many failed sign-ins from this address; try again in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    verdict = valid()
    if verdict is False:
        services.perimeter.sign_ins.failed(address, what)
    return bool(verdict)


def require_facilitator(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    def valid() -> bool | None:
        return None if credentials is None else secrets_match(credentials.credentials, services.secret.value)

    if not check_sign_in(request, services, valid, "facilitator secret"):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "This needs the facilitator secret: send 'Authorization: Bearer <secret>'. "
            "The server printed it at start (or see HOTLINE_SECRET).",
            headers={"WWW-Authenticate": "Bearer"},
        )


Facilitator = Depends(require_facilitator)


async def exercise_row(services: Services, exercise_id: str) -> ExerciseRow:
    """The exercise a path names, or 404 (an id no exercise can have is not even looked up)."""
    return await services.db.run(exercise_row_now, services, exercise_id)


def exercise_row_now(services: Services, exercise_id: str) -> ExerciseRow:
    """``exercise_row`` for code already off the event loop (the routes FastAPI runs on threads)."""
    missing = HTTPException(status.HTTP_404_NOT_FOUND, f"There is no exercise '{exercise_id[:MAX_ID_CHARS]}'.")
    if len(exercise_id) > MAX_ID_CHARS or text_problem(exercise_id) is not None:
        raise missing
    try:
        return services.manager.row_now(exercise_id)
    except ExerciseNotFound:
        raise missing from None


_STATUS_FOR_CODE = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "read_only": status.HTTP_409_CONFLICT,
    "invalid_state": status.HTTP_409_CONFLICT,
    "busy": status.HTTP_409_CONFLICT,
    "channel_suspended": status.HTTP_409_CONFLICT,
    "not_running": status.HTTP_409_CONFLICT,
    "paused": status.HTTP_409_CONFLICT,
    "not_ended": status.HTTP_409_CONFLICT,
}


def command_http_error(error: CommandError) -> HTTPException:
    return HTTPException(
        _STATUS_FOR_CODE.get(error.code, status.HTTP_422_UNPROCESSABLE_CONTENT),
        {"code": error.code, "message": error.message},
    )
