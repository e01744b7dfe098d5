"""Avatars for personas: a symmetric 5×5 identicon drawn as SVG from a hash of the handle.

Generated on the server so that consoles load no image from anywhere else; the same handle always
gives the same picture.
"""

from __future__ import annotations

import hashlib
import re

HANDLE = re.compile(r"^[A-Za-z0-9_]{1,30}$")
GRID = 5
CELL = 8
MARGIN = 4


def identicon_svg(handle: str) -> str:
    """The SVG of ``handle``'s avatar; raises ValueError for what is not a handle."""
    if not HANDLE.match(handle):
        raise ValueError("a handle is 1 to 30 letters, digits or '_'")
    digest = hashlib.sha256(handle.casefold().encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    colour = f"hsl({hue} 55% 45%)"
    size = GRID * CELL + 2 * MARGIN
    cells: list[str] = []
    half = (GRID + 1) // 2
    for row in range(GRID):
        for column in range(half):
            if digest[2 + row * half + column] % 2 == 0:
                continue
            for x in {column, GRID - 1 - column}:
                cells.append(
                    f'<rect x="{MARGIN + x * CELL}" y="{MARGIN + row * CELL}" width="{CELL}" height="{CELL}"/>'
                )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-label="@{handle}">'
        f'<rect width="{size}" height="{size}" fill="hsl({hue} 40% 92%)"/>'
        f'<g fill="{colour}">{"".join(cells)}</g></svg>'
    )
