"""``dove``: concedes everything, at once, and nothing more.

When the crisis breaks (the trigger inject) it apologises in public and takes every conciliatory move
it has (weight ≥ +3), largest first; whenever the other side makes an unfriendly move it apologises
again and makes the biggest concession it has left. It accepts every call and every proposal and
gives in on every decision it can settle with a conciliatory move. It is passive-cooperative, not
skilful: it never checks facts, deliberates, restrains a partner, orders safe encounters or proposes
mechanisms of its own, and what it says on a call is contrition, not facts, intentions or proposals.
"""

from __future__ import annotations

from typing import Any

from app.bots import wording
from app.bots.catalog import is_cooperative
from app.bots.policy import Command, Policy, accept_call, cable, say, statement, take
from app.bots.situation import SeenMove
from app.scenario.schema import ActionTag, CatalogAction

SKILFUL_TAGS = frozenset(
    {
        ActionTag.verification,
        ActionTag.deliberation,
        ActionTag.restraint,
        ActionTag.preventive,
        ActionTag.proposal,
        ActionTag.acceptance,
        ActionTag.cues,
    }
)


class Dove(Policy):
    name = "dove"

    def react(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        payload = event["payload"]
        if kind == "inject_released":
            inject = self.situation.injects[-1]
            if "trigger" in inject.tags:
                self.plan(0, "concede everything", self.concede_all)
            if "decision" in inject.tags:
                self.plan(0, "give in", self.give_in)
        elif kind == "action_taken" and self.is_from_other(event):
            move = self.situation.moves[-1]
            if ActionTag.proposal.value in move.tags:
                self.plan(0, "accept their proposal", lambda: self.accept(move))
            elif move.weight < 0:
                self.plan(0, "appease", self.appease)
        elif kind == "cable_sent" and self.is_from_other(event) and not payload["subject"].startswith("Re:"):
            subject = payload["subject"]
            self.plan(0, "agree", lambda: [cable(f"Re: {subject}", wording.concession())])
        elif kind == "call_requested" and payload["to_team"] == self.situation.team:
            call_id = payload["call_id"]
            self.plan(0, "answer the call", lambda: [accept_call(call_id)] if self._ringing(call_id) else [])
        elif kind == "call_accepted":
            call_id = payload["call_id"]
            self.plan(0, "apologise on the call", lambda: self.contrition(call_id))

    def concessions(self) -> list[CatalogAction]:
        """Every conciliatory move that needs no skill, the biggest first."""
        usable = [
            a
            for a in self.catalog.actions
            if is_cooperative(a.weight)
            and not SKILFUL_TAGS & set(a.tags)
            and a.suspends is None
            and (a.restores is None or a.restores in self.situation.suspended)
        ]
        return sorted(usable, key=lambda a: (-a.weight, a.id))

    def concede_all(self) -> list[Command]:
        commands = [statement(wording.apology())] if self.catalog.can_speak_publicly else []
        return commands + [take(a, rationale="Give them what they want.") for a in self.concessions()]

    def appease(self) -> list[Command]:
        """Apologise again, and make the biggest concession still left (once conceded, always conceded)."""
        commands = [statement(wording.apology())] if self.catalog.can_speak_publicly else []
        left = [a for a in self.concessions() if a.id not in self.situation.taken()]
        return commands + [take(a, rationale="Give in again.") for a in left[:1]]

    def give_in(self) -> list[Command]:
        taken = self.situation.taken()
        choices = [a for a in self.concessions() if ActionTag.decision in a.tags and a.id not in taken]
        return [take(choices[0], rationale="Give in.")] if choices else []

    def accept(self, move: SeenMove) -> list[Command]:
        action = self.catalog.acceptance_for(f"{move.action_id} {move.label}", self.situation.taken())
        return [take(action, rationale="Accept whatever they offer.")] if action else []

    def contrition(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        if call is None or call.status != "connected" or self.situation.team in call.spoke:
            return []
        call.spoke.add(self.situation.team)
        return [say(call_id, wording.apology())]

    def _ringing(self, call_id: str) -> bool:
        call = self.situation.calls.get(call_id)
        return call is not None and call.status == "ringing" and call.channel not in self.situation.suspended
