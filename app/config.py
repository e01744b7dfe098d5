"""Every setting Hotline reads, from environment variables prefixed ``HOTLINE_`` (or a ``.env`` file)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_CHARS = 24


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=".env", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port the server listens on (0: any free port).")
    public_url: str | None = Field(
        default=None, description="Base URL players reach the server at, for join links (default: http://host:port)."
    )
    data_dir: Path = Field(default=Path(".hotline"), description="Where the SQLite database is kept.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default sqlite:///<data_dir>/hotline.db. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/db.",
    )
    database_pool_size: int = Field(
        default=5, ge=1, le=100, description="Database connections (and database threads) per server process."
    )
    broker_url: str = Field(
        default="memory://",
        description="How server processes tell each other what they committed: memory:// (one process) or "
        "redis://host:6379/0 (several processes, with PostgreSQL).",
    )
    broker_prefix: str = Field(
        default="hotline",
        min_length=1,
        max_length=100,
        description="Prefix of the broker's channel names, so several deployments can share one Redis.",
    )
    lease_seconds: float = Field(
        default=3.0,
        ge=1.0,
        le=60.0,
        description="How long an exercise's owner may go silent before another process takes it over.",
    )
    workers: int = Field(
        default=1, ge=1, le=64, description="Server processes 'hotline serve' starts on this machine, sharing the port."
    )
    proxy_headers: bool = Field(
        default=False,
        description="Trust X-Forwarded-For and X-Forwarded-Proto from the addresses in forwarded_allow_ips.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Comma-separated addresses (or networks, or *) of proxies whose forwarded headers are trusted.",
    )
    secret: str | None = Field(
        default=None,
        min_length=MIN_SECRET_CHARS,
        description=f"Facilitator secret, at least {MIN_SECRET_CHARS} characters. When unset, one is generated "
        "on the first start, kept in the database so every server process shares it, and printed once "
        "('hotline secret' prints it again).",
    )
    scenario_dirs: list[Path] = Field(
        default_factory=lambda: [PROJECT_ROOT / "injects"],
        description="Folders whose *.yaml scenarios are offered to facilitators.",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Extra browser origins (scheme://host:port) allowed to open websockets; the server's own "
        "(HOTLINE_PUBLIC_URL) always is.",
    )
    max_message_bytes: int = Field(default=65536, ge=1024, description="Largest websocket message accepted.")
    rate_limit_per_second: float = Field(default=20.0, gt=0, description="Sustained messages per connection.")
    rate_limit_burst: int = Field(default=40, ge=1, description="Messages a connection may send in a burst.")
    queue_size: int = Field(
        default=512, ge=8, description="Outgoing messages buffered per console before it is resynced from the log."
    )
    ws_per_message_deflate: bool = Field(
        default=True,
        description="Compress websocket messages (permessage-deflate): about 3x fewer bytes for more server CPU.",
    )
    heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="A console that has heard nothing for this long gets a heartbeat."
    )
    join_timeout_seconds: float = Field(default=10.0, gt=0, description="Time a socket has to send its join message.")
    join_concurrency: int = Field(
        default=16,
        ge=1,
        description="Joins served at once (snapshot, catch-up), and arriving sockets accepted and checked at once; "
        "the rest wait their turn, so a join storm never holds up timers and commands for long.",
    )
    late_after_seconds: float = Field(
        default=5.0, gt=0, description="An inject released this many wall seconds after its time is marked late."
    )
    ring_min_wall_seconds: float = Field(
        default=30.0,
        ge=0,
        description="A hotline call rings at least this many wall seconds, however high the compression.",
    )
    max_consoles_per_seat: int = Field(
        default=8, ge=1, description="Websockets one seat link (or the facilitator secret) may hold open at once."
    )
    max_consoles_per_address: int = Field(
        default=256,
        ge=1,
        description="Websockets one client address may hold open at once (a class behind one NAT shares one).",
    )
    sign_in_failures: int = Field(
        default=20,
        ge=1,
        description="Wrong secrets, seat tokens or reviewer keys one client address may send per minute "
        "before its sign-ins are refused (HTTP 429, close 4429) until the minute has passed.",
    )
    log_level: Literal["critical", "error", "warning", "info", "debug"] = Field(
        default="info", description="Server log level."
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Server log lines: text (readable) or json (one object per line, for log shippers).",
    )
    metrics: Literal["open", "secret", "off"] = Field(
        default="secret",
        description="Who may read /metrics: open (anyone who reaches the server), secret (the facilitator "
        "secret as a bearer token, for a Prometheus scrape job) or off.",
    )

    @field_validator("log_level", "log_format", "metrics", mode="before")
    @classmethod
    def _lower_case_choice(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("public_url", "allowed_origins")
    @classmethod
    def _origins_are_urls(cls, value: str | list[str] | None) -> str | list[str] | None:
        for url in [value] if isinstance(value, str) else value or []:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{url!r} is not an http:// or https:// URL with a host")
        return value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hotline.db'}"

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"
