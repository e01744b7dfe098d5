"""The ``hello`` a joining console gets: its identity and a snapshot of the exercise as its seat sees it.

In a storm, thousands of consoles join on a few seats while the log stands still between two events, and
each used to get its snapshot built and its hello encoded again: a tenth of a join's time on the loop.
The hello depends on the seat, the state (which the log's last seq pins down) and where the console's
replay starts, and on the scenario time now, which moves with the clock. So the text is encoded once per
seat, state and replay position, with a marker where the scenario time goes, and each console gets the
cached text with the time of its own join put in.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field

from app.engine.principal import Principal
from app.engine.runtime import ExerciseRuntime
from app.engine.state import ExerciseState
from app.realtime.protocol import Hello, Identity
from app.realtime.snapshot import snapshot

_NOW = f"hotline-scenario-time-{secrets.token_hex(16)}"
"""Stands in for the scenario time in a cached hello; unguessable, so no text in an exercise can forge it."""
_NOW_JSON = json.dumps(_NOW)


@dataclass
class _Cached:
    state: ExerciseState
    last_seq: int
    texts: dict[tuple[Principal, int], tuple[str, str]] = field(default_factory=dict)


class Greetings:
    """Hellos per exercise, for the log position they were made at; a new event makes new ones."""

    def __init__(self, server_version: str) -> None:
        self.server_version = server_version
        self._cached: dict[str, _Cached] = {}

    def hello(self, runtime: ExerciseRuntime, principal: Principal, last_seq: int) -> str:
        """The hello for a console of ``principal`` that holds the log up to ``last_seq``."""
        state = runtime.state
        replay_from = min(last_seq, state.last_seq)
        cached = self._cached.get(runtime.exercise_id)
        if cached is None or cached.state is not state or cached.last_seq != state.last_seq:
            cached = self._cached[runtime.exercise_id] = _Cached(state, state.last_seq)
        key = (principal, replay_from)
        parts = cached.texts.get(key)
        if parts is None:
            parts = cached.texts[key] = self._encode(runtime, principal, replay_from)
        before, after = parts
        return before + json.dumps(runtime.now()) + after

    def forget(self, exercise_id: str) -> None:
        self._cached.pop(exercise_id, None)

    def _encode(self, runtime: ExerciseRuntime, principal: Principal, replay_from: int) -> tuple[str, str]:
        view = snapshot(runtime, principal)
        view["scenario_time"] = _NOW
        text = Hello(
            server_version=self.server_version,
            exercise_id=runtime.exercise_id,
            you=Identity(
                kind=principal.kind,
                seat_id=principal.seat_id,
                team=principal.team,
                roles=sorted(principal.roles),
                label=principal.label,
            ),
            snapshot=view,
            last_seq=runtime.state.last_seq,
            replay_from=replay_from,
        ).model_dump_json()
        before, after = text.split(_NOW_JSON, 1)
        return before, after
