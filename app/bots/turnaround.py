"""``escalate-agree``: escalates first, then turns round and de-escalates by agreement.

Until a third of the way from the trigger to ENDEX it plays the hawk, a little slower and with a
ceiling: every move of the other side and every provoking inject is answered within twenty minutes by
an escalatory action one band up, never above band 4, and calls are declined. Then it turns round: it
lifts what it has left standing (the catalog's ``lifted_by`` actions, a suspended line restored), rings
the other leader, proposes a preventive mechanism and takes a de-escalating step; from then on it plays
``tft``, accepting proposals. Its games climb, peak and come down, which is what the joint score's
recovery term and the middle of RX and OV need to be checked against.
"""

from __future__ import annotations

import random
from typing import Any

from app.bots.catalog import TeamCatalog, is_cooperative
from app.bots.hawk import Retaliation, refuse
from app.bots.policy import MINUTE, Command, take
from app.bots.tft import TitForTat
from app.scenario.schema import ActionTag, CatalogAction

TURN_SHARE = 1 / 3
STRIKE_DELAY = 20 * MINUTE
CEILING = 4


class EscalateThenAgree(TitForTat):
    name = "escalate-agree"

    def __init__(self, catalog: TeamCatalog, rng: random.Random, *, tempo: float = 1.0) -> None:
        super().__init__(catalog, rng, tempo=tempo)
        self._turn: float | None = None
        self.retaliation = Retaliation(self, STRIKE_DELAY, CEILING)

    def turned(self) -> bool:
        return self._turn is not None and self.situation.now >= self._turn

    def react(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "inject_released" and "trigger" in self.situation.injects[-1].tags and self._turn is None:
            self._turn = self.situation.now + TURN_SHARE * (self.catalog.end - self.situation.now)
            self.plan(self._turn - self.situation.now, "turn round", self.turn_round)
        if self.turned():
            super().react(event)
            return
        if kind == "action_taken" and self.is_from_other(event) and is_cooperative(self.situation.moves[-1].weight):
            return  # a friendly move is not a provocation, even for a hawk that means to turn
        self.retaliation.provoked_by(event)
        if kind == "call_requested" and event["payload"]["to_team"] == self.situation.team:
            call_id = event["payload"]["call_id"]
            self.plan(0, "refuse the call", lambda: [] if self.turned() else refuse(self, call_id))

    def turn_round(self) -> list[Command]:
        self.retaliation.stand_down()
        commands: list[Command] = []
        taken = self.situation.taken()
        for action_id in sorted(taken):
            standing = self.catalog.action(action_id)
            lifter = self.catalog.lifter(standing) if standing is not None else None
            if lifter is not None and lifter.id not in taken:
                commands.append(take(lifter, rationale="Lift it: we are ready to talk."))
                taken.add(lifter.id)
        for channel in sorted(self.situation.suspended):
            restorer = self.catalog.restorer(channel)
            if restorer is not None and restorer.id not in taken:
                commands.append(take(restorer, rationale="We need this line open."))
        proposal = self._offer()
        if proposal is not None:
            commands.append(take(proposal, rationale="Offer a way out that both sides can sign."))
        step = self._step_back(taken)
        if step is not None:
            commands.append(take(step, rationale="A first step back."))
        return commands + self.contact_leader()

    def _offer(self) -> CatalogAction | None:
        offers = [
            a
            for a in self.catalog.tagged(ActionTag.proposal, self.catalog.plain())
            if a.id not in self.situation.taken()
        ]
        return min(offers, key=lambda a: (ActionTag.preventive not in a.tags, a.id), default=None)

    def _step_back(self, taken: set[str]) -> CatalogAction | None:
        steps = [
            a
            for a in self.catalog.tagged(ActionTag.de_escalation, self.catalog.plain())
            if a.id not in taken and not {ActionTag.acceptance, ActionTag.decision} & set(a.tags)
        ]
        return min(steps, key=lambda a: (a.weight, a.id), default=None)
