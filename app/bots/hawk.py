"""``hawk``: always one band up, never a word.

Every escalatory inject and every move of the other side (a catalog action it can see; words are not
moves) is answered, quickly and without deliberation, by an escalatory catalog action (weight ≤ −4)
one band above the provocation: above the other side's move, or above the highest band the crisis
has reached for an inject. Among the moves of that band it picks one at random (seeded). It declines
every call and never sends a message. When nothing higher is left it holds.
"""

from __future__ import annotations

import random
from typing import Any

from app.bots.catalog import TeamCatalog
from app.bots.policy import MINUTE, Command, Policy, decline_call, take

REFLEX_DELAY = 10 * MINUTE
PROVOKING_INJECT_TAGS = frozenset({"trigger", "military_incident", "encounter", "escalation", "cyber"})


class Hawk(Policy):
    name = "hawk"

    def __init__(self, catalog: TeamCatalog, rng: random.Random, *, tempo: float = 1.0) -> None:
        super().__init__(catalog, rng, tempo=tempo)
        self._target: int | None = None
        """The band the pending strike will reach; None when no strike is planned."""

    def react(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "inject_released" and PROVOKING_INJECT_TAGS & self.situation.injects[-1].tags:
            self.raise_target(self.situation.level + 1)
        elif kind == "action_taken" and self.is_from_other(event):
            self.raise_target(self.situation.moves[-1].band + 1)
        elif kind == "call_requested" and event["payload"]["to_team"] == self.situation.team:
            call_id = event["payload"]["call_id"]
            self.plan(0, "refuse the call", lambda: self.refuse(call_id))

    def raise_target(self, band: int) -> None:
        """One strike answers everything that provoked it since the last one, at the highest band asked."""
        if self._target is None:
            self.plan(REFLEX_DELAY, "strike back", self.strike)
            self._target = band
        else:
            self._target = max(self._target, band)

    def refuse(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        return [decline_call(call_id)] if call is not None and call.status == "ringing" else []

    def strike(self) -> list[Command]:
        target, self._target = self._target or 1, None
        higher = [a for a in self.catalog.escalatory() if a.band >= target]
        if not higher:
            return []
        band = min(a.band for a in higher)
        action = self.rng.choice([a for a in higher if a.band == band])
        return [take(action, rationale="They must see that we do not back down.")]
