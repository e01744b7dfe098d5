"""Interpreter settings for a serving process (``hotline serve`` only; tests and tools keep Python's defaults).

Two things made the event loop wait at thousands of consoles (docs/performance.md, "Where the time goes"):

- **The GIL.** A database thread holds it up to the switch interval (5 ms by default) before the loop
  gets it back; a timer falling due meanwhile waits. The interval is cut to 0.5 ms.
- **Full garbage collections.** With 3,000 consoles connected the heap holds about a million tracked
  objects, and a generation-2 collection walks all of them: 130 ms to 1 s, measured, a timer and every
  console waiting meanwhile. Long-lived objects (the code, connections, the exercises' state and history)
  are moved out of the collector's reach with ``gc.freeze`` at start and four times a second (it only
  splices lists), so a collection walks only what survived since. Cyclic garbage among frozen objects
  (a console that left) is collected at the next full collection, which is let happen once every
  ``FULL_COLLECTION_SECONDS``.
"""

from __future__ import annotations

import gc
import sys
import threading
import time

SWITCH_INTERVAL_SECONDS = 0.0005
FREEZE_SECONDS = 0.25
FULL_COLLECTION_SECONDS = 3600.0


def tune_for_serving() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    gc.freeze()
    threading.Thread(target=_freeze_long_lived, name="gc-freeze", daemon=True).start()


def _freeze_long_lived() -> None:
    unfrozen_at = time.monotonic()
    while True:
        time.sleep(FREEZE_SECONDS)
        if time.monotonic() - unfrozen_at >= FULL_COLLECTION_SECONDS:
            gc.unfreeze()  # the next full collection sees everything once, and frees what left
            unfrozen_at = time.monotonic()
            continue
        gc.freeze()
