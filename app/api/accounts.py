"""Signing in with a named account: a facilitator's or an evaluator's name and password for a session token.

The token then goes wherever the shared secret goes ('Authorization: Bearer …', the control socket's
join), and every control action it sends names the account in the log. Accounts are made and changed
with ``hotline accounts`` on the server (docs/security.md, "Accounts").
"""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from app.accounts.store import Identity, SessionGranted, sign_in, sign_out
from app.api.deps import ServicesDep, SignedIn, bearer, check_sign_in, open_to_evaluators
from app.api.errors import documented
from app.api.guard import GuardedRoute
from app.models import StrictInput

router = APIRouter(prefix="/api", tags=["accounts"], route_class=GuardedRoute)


class SignIn(StrictInput):
    name: str = Field(min_length=1, max_length=64, description="The account's name.")
    password: str = Field(min_length=1, max_length=1024)


class Whoami(BaseModel):
    name: str | None = Field(description="The account's name; null when signed in with the shared secret.")
    role: Literal["facilitator", "evaluator"]
    label: str = Field(description="How the consoles and the log name who is signed in.")


class SignedInSession(Whoami):
    token: str = Field(description="Send it as 'Authorization: Bearer <token>' and in the control socket's join.")
    expires_at: float = Field(description="When the session ends (seconds since the epoch); sign in again then.")


def _whoami(identity: Identity) -> Whoami:
    return Whoami(name=identity.name, role=identity.role, label=identity.label)


@router.post("/sign-in", response_model=SignedInSession, responses=documented(400, 401, 413, 422, 429))
def sign_in_with_account(body: SignIn, request: Request, services: ServicesDep) -> SignedInSession:
    """A session for a named account (wrong names and passwords count against the address like wrong secrets)."""
    granted: list[SessionGranted] = []

    def valid() -> bool:
        session = sign_in(services.db.engine, body.name, body.password, time.time())
        granted.extend([session] if session else [])
        return session is not None

    if not check_sign_in(request, services, valid, "account password"):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Wrong account name or password, or the account is disabled. Ask whoever runs the server "
            "('hotline accounts list' shows the accounts).",
        )
    session = granted[0]
    return SignedInSession(**_whoami(session.identity).model_dump(), token=session.token, expires_at=session.expires_at)


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT, responses=documented(401, 429))
@open_to_evaluators
def sign_out_of_account(
    identity: SignedIn,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """End this session on every server process (the shared secret cannot be signed out of: change it instead)."""
    if identity.name is not None and credentials is not None:
        sign_out(services.db.engine, credentials.credentials)


@router.get("/whoami", response_model=Whoami, responses=documented(401, 429))
def whoami(identity: SignedIn) -> Whoami:
    """Who the credentials sent belong to, so a console can say who is signed in and what they may do."""
    return _whoami(identity)
