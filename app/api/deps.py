"""Dependencies shared by the routers: the services, facilitator authentication, error mapping."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.engine.commands import CommandError
from app.security import secrets_match
from app.services import Services

bearer = HTTPBearer(auto_error=False, description="The facilitator secret, as 'Authorization: Bearer <secret>'.")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_facilitator(
    services: ServicesDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    if credentials is None or not secrets_match(credentials.credentials, services.secret.value):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "This needs the facilitator secret: send 'Authorization: Bearer <secret>'. "
            "The server printed it at start (or see HOTLINE_SECRET).",
            headers={"WWW-Authenticate": "Bearer"},
        )


Facilitator = Depends(require_facilitator)

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
