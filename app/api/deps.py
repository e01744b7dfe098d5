"""Dependencies shared by the routers: the services, sign-in checks, the exercise a path names, error mapping."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.accounts.store import SHARED_SECRET_HOLDER, Identity, identify
from app.engine.commands import CommandError
from app.engine.events import Actor
from app.engine.manager import ExerciseNotFound
from app.engine.principal import Principal, signed_in_principal
from app.guards.text import text_problem
from app.models import ExerciseRow
from app.security import secrets_match
from app.services import Services

bearer = HTTPBearer(auto_error=False, description="The facilitator secret, as 'Authorization: Bearer <secret>'.")
MAX_ID_CHARS = 64
EndpointT = TypeVar("EndpointT", bound=Callable[..., Any])


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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_OPEN_TO_EVALUATORS: set[Callable[..., Any]] = set()


def open_to_evaluators(endpoint: EndpointT) -> EndpointT:
    """Mark a route that changes something as one evaluator accounts may use too (the engine decides the rest)."""
    _OPEN_TO_EVALUATORS.add(endpoint)
    return endpoint


def identity_of(services: Services, credential: str) -> Identity | None:
    if secrets_match(credential, services.secret.value):
        return SHARED_SECRET_HOLDER
    return identify(services.db.engine, credential, time.time())


def signed_in(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Identity:
    """Who sent the request: the shared facilitator secret's holder, or a named account's session (blocking)."""
    found: list[Identity] = []

    def valid() -> bool | None:
        if credentials is None:
            return None
        identity = identity_of(services, credentials.credentials)
        found.extend([identity] if identity else [])
        return identity is not None

    if not check_sign_in(request, services, valid, "facilitator credentials"):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "This needs the facilitator secret or an account's sign-in: send 'Authorization: Bearer <secret or "
            "token>'. The server printed the secret at start ('hotline secret' prints it again); POST "
            "/api/sign-in gives an account's token.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found[0]


def require_facilitator(
    request: Request,
    identity: Annotated[Identity, Depends(signed_in)],
) -> Identity:
    """Facilitators may do anything; an evaluator account reads, and uses only routes open to evaluators."""
    writes = request.method not in SAFE_METHODS
    if identity.role == "evaluator" and writes and request.scope.get("endpoint") not in _OPEN_TO_EVALUATORS:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"'{identity.label}' is an evaluator account: it reads exercises and reports, and records "
            "observations and ratings. Ask a facilitator to do this.",
        )
    return identity


Facilitator = Depends(require_facilitator)


def principal_of(identity: Identity) -> Principal:
    return signed_in_principal(identity.name, identity.role)


def actor_of(identity: Identity) -> Actor:
    """Who the events a request records name: the account, or the facilitator when the shared secret was used."""
    return principal_of(identity).actor()


SignedIn = Annotated[Identity, Depends(require_facilitator)]
"""The identity behind a request that passed the facilitator check (evaluators included where open)."""


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
