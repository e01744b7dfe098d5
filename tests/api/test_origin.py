"""The websocket origin check compares scheme, host and port with the server's own origins, never with Host."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.security import origin_allowed

LOCAL = Settings(host="127.0.0.1", port=8000, secret="x" * 24)
PUBLIC = Settings(
    public_url="https://exercises.example.org", allowed_origins=["http://lab.example:9000"], secret="x" * 24
)


@pytest.mark.parametrize(
    ("settings", "origin", "host", "allowed"),
    [
        (LOCAL, None, "127.0.0.1:8000", True),  # not a browser: no Origin, authenticated by its token
        (LOCAL, "http://127.0.0.1:8000", "127.0.0.1:8000", True),
        (LOCAL, "http://localhost:8000", "localhost:8000", True),
        (LOCAL, "https://127.0.0.1:8000", "127.0.0.1:8000", False),  # another scheme is another origin
        (LOCAL, "http://127.0.0.1:8001", "127.0.0.1:8000", False),
        (LOCAL, "http://rebound.example:8000", "rebound.example:8000", False),  # DNS rebinding
        (LOCAL, "http://192.0.2.7:8000", "192.0.2.7:8000", True),  # this server, by address: cannot be rebound
        (LOCAL, "http://192.0.2.7:8000", "192.0.2.8:8000", False),
        (LOCAL, "null", "127.0.0.1:8000", False),
        (LOCAL, "not a url", "127.0.0.1:8000", False),
        (PUBLIC, "https://exercises.example.org", "exercises.example.org", True),
        (PUBLIC, "https://exercises.example.org:443", "anything", True),
        (PUBLIC, "http://exercises.example.org", "exercises.example.org", False),
        (PUBLIC, "https://exercises.example.org:8443", "exercises.example.org:8443", False),
        (PUBLIC, "http://lab.example:9000", "exercises.example.org", True),
        (PUBLIC, "http://127.0.0.1:8000", "127.0.0.1:8000", False),  # a public URL is set: only it counts
        (PUBLIC, "http://192.0.2.7:8000", "192.0.2.7:8000", False),
    ],
)
def test_origins(settings: Settings, origin: str | None, host: str, allowed: bool) -> None:
    assert origin_allowed(origin, host, settings) is allowed


def test_a_public_url_or_origin_that_is_not_an_http_url_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="not an http:// or https:// URL"):
        Settings(public_url="exercises.example.org", secret="x" * 24)
