"""The bounds of every number Hotline accepts, in one place (docs/security.md lists them).

A number from outside (the websocket protocol, the REST API, a scenario file, an imported log) is
refused when it lies outside these bounds, so nothing downstream (the clock, the charts, the
database's integer columns) ever sees a value it cannot represent.
"""

from __future__ import annotations

MIN_COMPRESSION = 0.01
"""Scenario seconds per wall second: at least one scenario second every 100 wall seconds."""
MAX_COMPRESSION = 10_000.0
"""At most about 2.8 scenario hours per wall second."""

MAX_SCENARIO_SECONDS = 10 * 366 * 86_400
"""Ten years of scenario time: any scenario time, duration, jump target or ENDEX."""

MAX_SEQ = 2**31 - 1
"""Event seqs are 32-bit integers in the database; a cursor past this finds nothing anyway."""

MAX_JSON_DEPTH = 16
"""Nesting of a JSON message or body; Hotline's own messages nest at most five levels deep."""

MAX_JSON_BODY_BYTES = 1024 * 1024
"""A REST request body in JSON (commands, exercises, seats, plan items)."""
