"""Seat cards: one printable card per seat with its join link as a QR code, made on the server.

The server keeps only a hash of each seat token, so it cannot print links by itself: the control
console sends back the links it was shown when the seats were issued, and the server checks each
against its seats before drawing it. A link that is not a live seat of this exercise is refused, so
this is no general-purpose QR service.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno

from app.engine.seats import SeatStore
from app.models import SeatRow

QR_SCALE = 4


class CardRefused(ValueError):
    """A link that is not a live seat link of this exercise."""


def token_of(url: str, exercise_id: str) -> str:
    parts = urlsplit(url)
    if parts.path.rstrip("/").split("/")[-2:] != ["play", exercise_id] or not parts.fragment.startswith("token="):
        raise CardRefused(f"'{url[:80]}' is not a seat link of this exercise.")
    return parts.fragment.removeprefix("token=")


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as a standalone SVG document (error correction M survives a crease)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=QR_SCALE, border=2, xmldecl=False)
    return buffer.getvalue().decode("ascii")


def checked_seats(seats: SeatStore, exercise_id: str, urls: list[str]) -> list[tuple[SeatRow, str]]:
    """Each link with the live seat it opens; ``CardRefused`` for any link that opens none."""
    found = []
    for url in urls:
        seat = seats.by_token(token_of(url, exercise_id))
        if seat is None or seat.exercise_id != exercise_id:
            raise CardRefused(f"'{url[:80]}' does not open a seat of this exercise (revoked or replaced?).")
        found.append((seat, url))
    return found
