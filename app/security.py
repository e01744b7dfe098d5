"""The facilitator secret, the websocket origin check and the per-connection rate limit."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import Engine, select

from app.cluster.tables import ServerSecretRow
from app.config import Settings
from app.db import dialect_insert

SECRET_FILE = "facilitator-secret"
SECRET_NAME = "facilitator"
KEPT_IN_DATABASE = "the database"
_secrets = ServerSecretRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FacilitatorSecret:
    value: str
    kept_in: str | None
    """Where a generated secret is kept ("the database"); None when it came from configuration."""
    created_now: bool = False
    """Generated at this start (the first start on this database)."""


def load_or_create_secret(settings: Settings, engine: Engine) -> FacilitatorSecret:
    """The configured secret, else the one every process shares through the database (generated on the
    first start, or taken over from the file an earlier version kept in the data folder). Blocking."""
    if settings.secret:
        return FacilitatorSecret(settings.secret, None)
    with engine.begin() as connection:
        stored = connection.execute(select(_secrets.c.value).where(_secrets.c.name == SECRET_NAME)).scalar()
        if stored is not None:
            return FacilitatorSecret(stored, KEPT_IN_DATABASE)
    legacy = settings.data_dir / SECRET_FILE
    value = legacy.read_text(encoding="utf-8").strip() if legacy.exists() else secrets.token_urlsafe(24)
    with engine.begin() as connection:
        # Several processes may start at once: the first insert wins and everyone reads the winner.
        connection.execute(
            dialect_insert(connection, _secrets)
            .values(name=SECRET_NAME, value=value, created_at=time.time())
            .on_conflict_do_nothing()
        )
        stored = connection.execute(select(_secrets.c.value).where(_secrets.c.name == SECRET_NAME)).scalar_one()
    return FacilitatorSecret(stored, KEPT_IN_DATABASE, created_now=stored == value and not legacy.exists())


def secrets_match(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing does not reveal how much of a secret was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """Browsers always send Origin; a page from another site must not drive a console (CSWSH).

    Clients that are not browsers (bots, the benchmark) send no Origin and are let through: they
    authenticate with a token like everyone else, and cannot ride a victim's session.
    """
    if origin is None:
        return True
    if origin in allowed:
        return True
    parts = urlsplit(origin)
    return bool(host) and parts.netloc.lower() == (host or "").lower()


@dataclass
class TokenBucket:
    """``rate`` messages per second on average, up to ``burst`` at once."""

    rate: float
    burst: int
    tokens: float = field(init=False)
    updated: float = field(init=False, default=0.0)
    refusals: int = 0

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self, now: float) -> bool:
        if self.updated:
            self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        self.refusals += 1
        return False
