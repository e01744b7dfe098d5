"""The communicating team that tft, grit and spammer share: contact, verification, calls, decisions.

On the trigger it convenes, checks the facts and calls the other leader; it takes and answers calls
with substantive messages (facts, intent, proposal), and after a refused or unanswered call waits two
hours before ringing again; after a military incident it uses the mil-mil link and orders
safe-encounter procedures (``cues`` actions); it verifies media reports before any public move; it
restrains its partner in private and reassures the other side on third-party injects; and it answers
decision injects inside their window. How it answers the other side's moves is what
the subclasses differ in: ``on_cooperation``, ``on_escalation`` and ``on_friction``.
"""

from __future__ import annotations

from typing import Any

from app.bots import wording
from app.bots.catalog import is_cooperative, is_escalatory
from app.bots.policy import (
    HOUR,
    MINUTE,
    Command,
    Policy,
    accept_call,
    cable,
    chat,
    hang_up,
    request_call,
    say,
    take,
)
from app.bots.situation import SeenInject, SeenMove
from app.scenario.schema import ActionTag, CatalogAction

RECIPROCATE_DELAY = 10 * MINUTE
CALL_CLEANUP_DELAY = 30 * MINUTE
RING_AGAIN_AFTER = 2 * HOUR
DEFAULT_DECISION_DELAY = 30 * MINUTE
ESCALATION_TAGS = frozenset({"escalation", "cyber"})


class Talker(Policy):
    """Reacts to injects and calls like a communicating team; subclasses answer the other's moves."""

    # --- what happens ---

    def react(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        payload = event["payload"]
        if kind == "inject_released":
            self.on_inject(self.situation.injects[-1])
        elif kind == "action_taken" and self.is_from_other(event):
            move = self.situation.moves[-1]
            if is_cooperative(move.weight):
                self.on_cooperation(move)
            elif is_escalatory(move.weight):
                self.on_escalation(move)
            elif move.weight < 0:
                self.on_friction(move)
        elif kind == "call_requested":
            call_id = payload["call_id"]
            if payload["to_team"] == self.situation.team:
                self.plan(0, "answer the call", lambda: self.answer(call_id))
            else:
                self.plan(CALL_CLEANUP_DELAY, "end a call left open", lambda: self.end_call(call_id))
        elif kind == "call_accepted":
            call_id = payload["call_id"]
            self.plan(0, "speak on the call", lambda: self.speak(call_id))
        elif kind == "call_message" and self.is_from_other(event):
            call_id = payload["call_id"]
            self.plan(0, "wrap up the call", lambda: self.wrap_up(call_id))
        elif kind == "cable_sent" and self.is_from_other(event) and not payload["subject"].startswith("Re:"):
            subject = payload["subject"]
            self.plan(0, "answer the cable", lambda: self.answer_cable(subject))
        elif kind == "letter_delivered" and payload.get("from_team") == self.situation.other:
            self.plan(0, "answer the letter", self.answer_letter)

    def answer_letter(self) -> list[Command]:
        """A letter from the other leader: answer it the quickest way, by calling."""
        return self.contact_leader()

    def on_inject(self, inject: SeenInject) -> None:
        tags = inject.tags
        if "trigger" in tags:
            self.plan(0, "open the crisis", self.open_crisis)
        if "military_incident" in tags:
            self.plan(0, "call on the mil-mil link", lambda: self.contact(self.catalog.military_line))
        if "encounter" in tags or ("military_incident" in tags and not self._has_taken(ActionTag.cues)):
            self.plan(0, "order safe encounters", self.order_safe_encounters)
        if "media" in tags:
            self.plan(0, "verify the report", lambda: self.verify(inject.at))
        if "third_party" in tags:
            self.plan(0, "restrain our partner", self.restrain_partner)
        if "decision" in tags:
            window = inject.decision_window
            delay = min(window / 2, HOUR) if window else DEFAULT_DECISION_DELAY
            self.plan(delay, "decide", lambda: self.decide(inject))
        if tags & ESCALATION_TAGS and "trigger" not in tags:
            self.plan(0, "deliberate and renew contact", lambda: self.deliberate() + self.contact_leader())

    def on_cooperation(self, move: SeenMove) -> None:
        """The other side made a cooperative move: accept a proposal, answer anything else in kind."""
        if ActionTag.proposal.value in move.tags:
            self.plan(RECIPROCATE_DELAY, "accept their proposal", lambda: self.accept(move))
        else:
            self.plan(RECIPROCATE_DELAY, "reciprocate", lambda: self.reciprocate(move))

    def on_escalation(self, move: SeenMove) -> None:
        """The other side made an escalatory move."""

    def on_friction(self, move: SeenMove) -> None:
        """The other side made an unfriendly move that is not escalatory: ask what it means."""
        if self.catalog.can_cable:
            self.plan(0, "ask for an explanation", lambda: [cable(f"About {move.label}", wording.protest(move))])

    # --- moves ---

    def open_crisis(self) -> list[Command]:
        return self.deliberate() + self.verify(self.situation.now) + self.contact_leader()

    def deliberate(self) -> list[Command]:
        action = self.catalog.first_tagged(ActionTag.deliberation, avoid=[ActionTag.decision])
        if action is None or self.situation.last_deliberated == self.situation.now:
            return []
        return [take(action, rationale="Weigh the options before anyone answers.")]

    def verify(self, since: float) -> list[Command]:
        action = self.catalog.first_tagged(ActionTag.verification)
        if action is None or self.situation.verified_since(since):
            return []
        return [take(action, rationale="Check the facts before any public move.")]

    def order_safe_encounters(self) -> list[Command]:
        action = self.catalog.first_tagged(ActionTag.cues)
        return [take(action, rationale="Keep encounters at sea and in the air predictable.")] if action else []

    def restrain_partner(self) -> list[Command]:
        commands = []
        restraint = self.catalog.first_tagged(ActionTag.restraint)
        if restraint is not None:
            commands.append(take(restraint, rationale="Hold our partner back, quietly."))
        reassurance = self.catalog.first_tagged(ActionTag.reassurance, avoid=[ActionTag.endorsement])
        if reassurance is not None:
            commands.append(take(reassurance, rationale="Tell the other side our partner does not speak for us."))
        return commands

    def decision_action(self) -> CatalogAction | None:
        """The most cooperative decision not taken yet, else the plainest one (a decision on the record)."""
        choices = [
            a for a in self.catalog.tagged(ActionTag.decision, self.catalog.plain()) if not is_escalatory(a.weight)
        ]
        fresh = [a for a in choices if a.id not in self.situation.taken()]
        if fresh:
            return max(fresh, key=lambda a: (a.weight, a.id))
        return min(choices, key=lambda a: (abs(a.weight), a.id), default=None)

    def decide(self, inject: SeenInject) -> list[Command]:
        action = self.decision_action()
        if action is None:
            return [chat(wording.decision(inject.title))]
        return [take(action, text=wording.decision(inject.title), rationale=f"Answers '{inject.title}'.")]

    def fresh_cooperation(self, weight: float) -> CatalogAction | None:
        """A cooperative public move we have not made yet, as close in weight to ``weight`` as possible."""
        taken = self.situation.taken()
        skip = {ActionTag.proposal, ActionTag.acceptance, ActionTag.decision}
        choices = [
            a
            for a in self.catalog.plain()
            if is_cooperative(a.weight)
            and a.visibility.value == "public"
            and a.id not in taken
            and not skip & set(a.tags)
        ]
        if not choices:
            return None
        best = min(abs(a.weight - weight) for a in choices)
        return self.rng.choice([a for a in choices if abs(a.weight - weight) == best])

    def accept(self, move: SeenMove) -> list[Command]:
        action = self.catalog.acceptance_for(f"{move.action_id} {move.label}", self.situation.taken())
        return [take(action, rationale=f"Accept their offer: {move.label}.")] if action else []

    def reciprocate(self, move: SeenMove) -> list[Command]:
        action = self.fresh_cooperation(move.weight)
        if action is not None:
            return [take(action, rationale=f"Answer '{move.label}' in kind.")]
        if self.catalog.can_cable:
            return [cable(f"Thank you: {move.label}", wording.keep_talking())]
        return []

    # --- talking ---

    def contact_leader(self) -> list[Command]:
        return self.contact(self.catalog.leader_line)

    def contact(self, channel: str | None) -> list[Command]:
        """Get a call going on ``channel``: answer theirs, speak on a live one, or ring (reopening it first)."""
        if channel is None:
            return []
        commands: list[Command] = []
        if channel in self.situation.suspended:
            restorer = self.catalog.restorer(channel)
            if restorer is None:
                return []
            commands.append(take(restorer, rationale="We need this line open."))
        call = self.situation.active_call(channel)
        if call is None:
            return [*commands, request_call(channel)] if self._may_ring(channel) else commands
        if call.status == "ringing" and call.callee == self.situation.team:
            return [accept_call(call.call_id)]
        if call.status == "connected" and self.situation.team not in call.spoke:
            return self.speak(call.call_id)
        return []

    def answer(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        if call is None or call.status != "ringing" or call.channel in self.situation.suspended:
            return []
        return [accept_call(call_id)]

    def speak(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        if call is None or call.status != "connected" or self.situation.team in call.spoke:
            return []
        call.spoke.add(self.situation.team)  # said once per call; the event will confirm it
        if not self.situation.has_news_for(call.channel):
            return [say(call_id, wording.check_in())]
        self.situation.last_said[call.channel] = self.situation.news_count()
        return [
            say(
                call_id,
                facts=wording.facts(self.situation),
                intent=self.intent_text(),
                proposal=wording.keep_talking(),
            )
        ]

    def intent_text(self) -> str:
        return wording.calm_intent()

    def wrap_up(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        if call is None or call.caller != self.situation.team or call.status != "connected":
            return []
        if {self.situation.team, self.situation.other} <= call.spoke:
            return [hang_up(call_id)]
        return []

    def end_call(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        return [hang_up(call_id)] if call is not None and call.status == "connected" else []

    def answer_cable(self, subject: str) -> list[Command]:
        return [cable(f"Re: {subject}", wording.acknowledge(subject))] if self.catalog.can_cable else []

    # --- helpers ---

    def _may_ring(self, channel: str) -> bool:
        """Not again so soon after the other side declined or let our last call ring out."""
        ours = [c for c in self.situation.calls.values() if c.channel == channel and c.caller == self.situation.team]
        if not ours or ours[-1].status not in ("declined", "missed"):
            return True
        return self.situation.now - ours[-1].requested_at >= RING_AGAIN_AFTER

    def _has_taken(self, tag: ActionTag) -> bool:
        return any(tag.value in move.tags for move in self.situation.own_moves())
