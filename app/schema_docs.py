"""The JSON Schemas published in ``docs/``: the scenario format and the websocket protocol.

Authors and client writers in other languages validate against those files, so they must match the
models exactly; a test compares each committed file with ``render``. Regenerate them with
``python -m app.schema_docs`` after changing the models.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.realtime.protocol import protocol_json_schema
from app.scenario.schema import scenario_json_schema

DOCS = Path(__file__).resolve().parents[1] / "docs"
PUBLISHED: dict[str, Callable[[], dict[str, Any]]] = {
    "scenario.schema.json": scenario_json_schema,
    "protocol.schema.json": protocol_json_schema,
}


def render(name: str) -> str:
    """A schema as committed: indented, keys sorted (stable diffs), non-ASCII kept, trailing newline."""
    return json.dumps(PUBLISHED[name](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(name: str, folder: Path = DOCS) -> bool:
    """Write one schema into ``folder``; return whether the file changed."""
    path = folder / name
    text = render(name)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


if __name__ == "__main__":
    for schema_name in PUBLISHED:
        changed = write(schema_name)
        print(f"docs/{schema_name}: {'updated' if changed else 'already up to date'}")
