"""``hawk``: always one band up, never a word.

Every escalatory inject and every move of the other side (a catalog action it can see; words are not
moves) is answered, quickly and without deliberation, by an escalatory catalog action (weight ≤ −4)
one band above the provocation: above the other side's move, or above the highest band the crisis
has reached for an inject. Among the moves of that band it picks one at random (seeded). It declines
every call and never sends a message. When nothing higher is left it holds.

It gives in to domestic pressure: once the pressure on its team is above 40, it answers within two
minutes, and a rise of the pressure alone (a media storm, a silence post) is enough to make it strike.
"""

from __future__ import annotations

import random
from typing import Any

from app.bots.catalog import TeamCatalog
from app.bots.policy import MINUTE, Command, Policy, decline_call, take

REFLEX_DELAY = 10 * MINUTE
PRESSED_DELAY = 2 * MINUTE
GIVES_IN_ABOVE = 40.0
PROVOKING_INJECT_TAGS = frozenset({"trigger", "military_incident", "encounter", "escalation", "cyber"})


class Retaliation:
    """A hawk's reflex, for any policy: one strike answers everything that provoked it since the last one,
    at the highest band asked for (up to ``ceiling``), ``delay`` after the first provocation."""

    def __init__(self, policy: Policy, delay: float, ceiling: int = 6, pressed_delay: float | None = None) -> None:
        self.policy = policy
        self.delay = delay
        self.pressed_delay = pressed_delay
        """When set: how soon it strikes while the domestic pressure is above ``GIVES_IN_ABOVE``."""
        self.ceiling = ceiling
        self.target: int | None = None
        """The band the pending strike will reach; None when no strike is planned."""
        self.stopped = False

    def stand_down(self) -> None:
        """No more strikes, not even one already planned."""
        self.stopped = True

    def provoked_by(self, event: dict[str, Any]) -> None:
        """Raise the pending strike for a provoking inject or a move of the other side."""
        situation = self.policy.situation
        if event["type"] == "inject_released" and PROVOKING_INJECT_TAGS & situation.injects[-1].tags:
            self.raise_target(situation.level + 1)
        elif event["type"] == "action_taken" and self.policy.is_from_other(event):
            self.raise_target(situation.moves[-1].band + 1)

    def pressed(self) -> bool:
        pressure = self.policy.situation.pressure
        return self.pressed_delay is not None and pressure is not None and pressure > GIVES_IN_ABOVE

    def raise_target(self, band: int) -> None:
        if self.target is None:
            pressed = self.pressed()
            delay = self.pressed_delay if pressed and self.pressed_delay is not None else self.delay
            self.policy.plan(delay, "give in to the pressure" if pressed else "strike back", self.strike)
            self.target = band
        else:
            self.target = max(self.target, band)

    def strike(self) -> list[Command]:
        target, self.target = min(self.target or 1, self.ceiling), None
        if self.stopped:
            return []
        higher = [a for a in self.policy.catalog.escalatory() if target <= a.band <= self.ceiling]
        if not higher:
            return []
        band = min(a.band for a in higher)
        action = self.policy.rng.choice([a for a in higher if a.band == band])
        return [take(action, rationale="They must see that we do not back down.")]


def refuse(policy: Policy, call_id: str) -> list[Command]:
    call = policy.situation.calls.get(call_id)
    return [decline_call(call_id)] if call is not None and call.status == "ringing" else []


class Hawk(Policy):
    name = "hawk"

    def __init__(self, catalog: TeamCatalog, rng: random.Random, *, tempo: float = 1.0) -> None:
        super().__init__(catalog, rng, tempo=tempo)
        self.retaliation = Retaliation(self, REFLEX_DELAY, pressed_delay=PRESSED_DELAY)

    def react(self, event: dict[str, Any]) -> None:
        self.retaliation.provoked_by(event)
        if event["type"] == "pressure_changed" and self.situation.pressure_rising and self.retaliation.pressed():
            self.retaliation.raise_target(self.situation.level + 1)
        if event["type"] == "call_requested" and event["payload"]["to_team"] == self.situation.team:
            call_id = event["payload"]["call_id"]
            self.plan(0, "refuse the call", lambda: refuse(self, call_id))
