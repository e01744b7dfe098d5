"""``grit``: Osgood's graduated reciprocation in tension reduction.

It communicates like ``tft`` and reciprocates the other side's cooperation, but it does not wait for
it: within an hour of the trigger it starts a series of unilateral conciliatory steps, spread over the
time left (at most three hours apart), each announced in public a quarter of an hour before it is
taken and carried out whatever the other side does: reassurance first, then proposals for preventive
mechanisms (not one the other side has already offered: that one it accepts, and offers another),
then larger de-escalating moves. An escalation gets a measured, non-escalatory reply (a firm public
word, and at most one mild unfriendly move in six hours) together with renewed contact, never an
escalation in return.

It resists domestic pressure: when the pressure on its team rises to 50 or more, it says in public that it
will not be rushed (at most once an hour), and it holds to its course.
"""

from __future__ import annotations

import random
from typing import Any

from app.bots import wording
from app.bots.catalog import ESCALATORY_WEIGHT, TeamCatalog, is_cooperative
from app.bots.policy import HOUR, MINUTE, Command, statement, take
from app.bots.situation import SeenMove
from app.bots.talk import Talker
from app.scenario.schema import ActionTag, CatalogAction

FIRST_STEP_AFTER = 1 * HOUR
LONGEST_INTERVAL = 3 * HOUR
SHORTEST_INTERVAL = 30 * MINUTE
ANNOUNCE_AHEAD = 15 * MINUTE
REPLY_DELAY = 30 * MINUTE
MILD_COOLDOWN = 6 * HOUR
STEADY_AT = 50.0
STEADY_DELAY = 5 * MINUTE
STEADY_INTERVAL = 1 * HOUR
_NOT_A_STEP = frozenset(
    {
        ActionTag.acceptance,
        ActionTag.decision,
        ActionTag.restraint,
        ActionTag.verification,
        ActionTag.deliberation,
        ActionTag.endorsement,
        ActionTag.gratuitous,
    }
)
_STEP_ORDER = (ActionTag.reassurance, ActionTag.preventive, ActionTag.de_escalation)


class Grit(Talker):
    name = "grit"

    def __init__(self, catalog: TeamCatalog, rng: random.Random, *, tempo: float = 1.0) -> None:
        super().__init__(catalog, rng, tempo=tempo)
        self._interval = LONGEST_INTERVAL
        self._series = 0
        """Numbers the announcement schedule, so a step announced out of turn replaces the old schedule."""
        self._steadied: float | None = None
        """When it last told the public it would not be rushed."""

    def react(self, event: dict[str, Any]) -> None:
        super().react(event)
        situation = self.situation
        if (
            event["type"] == "pressure_changed"
            and situation.pressure_rising
            and (situation.pressure or 0.0) >= STEADY_AT
            and self.catalog.can_speak_publicly
            and (self._steadied is None or situation.now - self._steadied >= STEADY_INTERVAL)
        ):
            self._steadied = situation.now
            self.plan(STEADY_DELAY, "hold steady in public", lambda: [statement(wording.hold_steady())])

    def open_crisis(self) -> list[Command]:
        # Spread the series over the time left, so a short exercise still sees the whole of it.
        left = self.catalog.end - self.situation.now
        self._interval = max(SHORTEST_INTERVAL, min(LONGEST_INTERVAL, left / (len(self.steps()) + 1)))
        first = min(FIRST_STEP_AFTER, self._interval)
        self.plan(first, "announce a conciliatory step", lambda: self.announce_step(0))
        return super().open_crisis()

    def steps(self) -> list[CatalogAction]:
        """The conciliatory steps this team can take on its own, smallest first within each kind."""
        chosen: list[CatalogAction] = []
        for tag in _STEP_ORDER:
            kind = [
                a
                for a in self.catalog.plain()
                if tag in a.tags
                and a not in chosen
                and not _NOT_A_STEP & set(a.tags)
                and (is_cooperative(a.weight) or ActionTag.proposal in a.tags)
            ]
            chosen.extend(sorted(kind, key=lambda a: (a.weight, a.id)))
        return chosen

    def announce_step(self, index: int, series: int | None = None) -> list[Command]:
        """Announce the next step from ``index`` on that is still worth taking, and plan the one after."""
        if series is not None and series != self._series:
            return []  # this schedule was replaced by an earlier announcement
        steps = self.steps()
        while index < len(steps) and (steps[index].id in self.situation.taken() or self._already_offered(steps[index])):
            index += 1
        if index >= len(steps):
            return []
        action = steps[index]
        self._series += 1
        current = self._series
        self.plan(ANNOUNCE_AHEAD, "take the announced step", lambda: self.take_step(action, index))
        self.plan(self._interval, "announce a conciliatory step", lambda: self.announce_step(index + 1, current))
        if not self.catalog.can_speak_publicly:
            return []
        return [statement(wording.announce_step(action, first=current == 1))]

    def take_step(self, action: CatalogAction, index: int) -> list[Command]:
        if action.id in self.situation.taken():
            return []
        if self._already_offered(action):
            # They proposed the same thing meanwhile; we accept theirs, and announce a different step now.
            return self.announce_step(index + 1)
        return [
            take(action, text=f"As announced: {action.label}.", rationale="A unilateral step, announced beforehand.")
        ]

    def _already_offered(self, action: CatalogAction) -> bool:
        """The other side has proposed the same mechanism: accepting theirs beats a second proposal."""
        if ActionTag.proposal not in action.tags:
            return False
        ours = self.catalog.acceptance_for(f"{action.id} {action.label}")
        return ours is not None and any(
            ActionTag.proposal.value in move.tags
            and self.catalog.acceptance_for(f"{move.action_id} {move.label}") == ours
            for move in self.situation.their_moves()
        )

    def on_escalation(self, move: SeenMove) -> None:
        self.plan(
            0, "deliberate and renew contact", lambda: self.deliberate() + self.verify(move.at) + self.contact_leader()
        )
        self.plan(REPLY_DELAY, "measured reply", lambda: self.measured_reply(move))

    def measured_reply(self, move: SeenMove) -> list[Command]:
        commands: list[Command] = []
        if self.catalog.can_speak_publicly:
            commands.append(statement(wording.measured_reply(move)))
        mild = [
            a
            for a in self.catalog.plain()
            if ESCALATORY_WEIGHT < a.weight < 0
            and a.band <= move.band
            and not {ActionTag.gratuitous, ActionTag.endorsement} & set(a.tags)
        ]
        recent = [m for m in self.situation.own_moves() if m.weight < 0 and self.situation.now - m.at < MILD_COOLDOWN]
        if mild and not recent:
            action = max(mild, key=lambda a: (a.weight, a.id))
            commands.append(take(action, rationale=f"A measured answer to '{move.label}': firm, not escalatory."))
        return commands
