"""The facilitator secret, the websocket origin check and the per-connection rate limit."""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from app.config import Settings

SECRET_FILE = "facilitator-secret"


@dataclass(frozen=True)
class FacilitatorSecret:
    value: str
    generated_file: Path | None
    """Where a generated secret is kept; None when it came from configuration."""


def load_or_create_secret(settings: Settings) -> FacilitatorSecret:
    """The configured secret, else the one generated on an earlier start, else a new one (0600 file)."""
    if settings.secret:
        return FacilitatorSecret(settings.secret, None)
    path = settings.data_dir / SECRET_FILE
    if path.exists():
        return FacilitatorSecret(path.read_text(encoding="utf-8").strip(), path)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(24)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return FacilitatorSecret(value, path)


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
