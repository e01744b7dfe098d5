"""The facilitator secret, private files, the websocket origin check and the per-connection rate limit."""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine, select

from app.cluster.tables import ServerSecretRow
from app.config import Settings

SECRET_FILE = "facilitator-secret"
"""Where versions before the database kept a generated secret (taken over at the first start)."""
SECRET_NAME = "facilitator"
KEPT_IN_DATABASE = "the database"
_secrets = ServerSecretRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class FacilitatorSecret:
    value: str
    kept_in: str | None
    """Where a generated secret is kept ("the database"); None when it came from configuration."""
    created: bool = False
    """True on the start that generated it: the only time it is printed."""


def private_folder(path: Path) -> None:
    """Create ``path`` readable by this user only (0700). An existing folder is left as its owner set it."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask; this is not


def private_file(path: Path) -> None:
    """Make ``path`` readable by this user only (0600), creating it empty if it does not exist."""
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(descriptor)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)


def load_or_create_secret(settings: Settings, engine: Engine) -> FacilitatorSecret:
    """The configured secret, else the one every server process shares through the database: generated
    on the first start (or taken over from the file an earlier version kept in the data folder). Blocking."""
    if settings.secret:
        return FacilitatorSecret(settings.secret, None)
    with engine.begin() as connection:
        stored = connection.execute(select(_secrets.c.value).where(_secrets.c.name == SECRET_NAME)).scalar()
    if stored is not None:
        return FacilitatorSecret(stored, KEPT_IN_DATABASE)
    from app.db import dialect_insert  # app.db needs this module's private_file: import at use

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
    return FacilitatorSecret(stored, KEPT_IN_DATABASE, created=stored == value and not legacy.exists())


def secrets_match(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing does not reveal how much of a secret was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


Origin = tuple[str, str, int]
"""(scheme, host, port) as a browser's ``Origin`` header carries them."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})


def parse_origin(text: str) -> Origin | None:
    """``https://Example.org`` → ``("https", "example.org", 443)``; None for anything else."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme]


def own_origins(settings: Settings) -> set[Origin]:
    """The origins the consoles are served from: HOTLINE_PUBLIC_URL's, plus HOTLINE_ALLOWED_ORIGINS.

    Without a public URL the server's own address is used; listening on loopback (or on every
    address) also admits the other loopback names, so ``localhost`` and ``127.0.0.1`` both work.
    """
    origins = {origin for origin in map(parse_origin, settings.allowed_origins) if origin is not None}
    public = parse_origin(settings.public_url) if settings.public_url else None
    if public is not None:
        origins.add(public)
        return origins
    names = {settings.host.lower().strip("[]")}
    if names & (_LOOPBACK | _ANY_ADDRESS):
        names |= _LOOPBACK
    origins.update(("http", name, settings.port) for name in names)
    return origins


def _is_address_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def origin_allowed(origin: str | None, host_header: str | None, settings: Settings) -> bool:
    """Whether a websocket opened by a page from ``origin`` may reach a console (CSWSH, DNS rebinding).

    The Origin is compared, scheme, host and port, with the server's own origins, never with the
    Host header a rebinding attacker controls. One exception, without a configured public URL: a page
    loaded from this server by IP address (``http://192.0.2.7:8000``), whose Origin and Host name the
    same address. An address literal cannot be rebound, so it can only be this server.

    Clients that are not browsers (bots, the benchmark) send no Origin and are let through: they
    authenticate with a token like everyone else, and cannot ride a victim's session.
    """
    if origin is None:
        return True
    parsed = parse_origin(origin)
    if parsed is None:
        return False
    if parsed in own_origins(settings):
        return True
    if settings.public_url or parsed[0] != "http" or not _is_address_literal(parsed[1]):
        return False
    return parse_origin(f"http://{host_header}") == parsed if host_header else False


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
