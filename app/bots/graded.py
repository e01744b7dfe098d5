"""Graded teams: ``tft`` with one habit changed, so that scores between the extremes get exercised.

- ``tft-slow`` reacts like ``tft``, but late to every inject and every move or message of the other side:
  by 4% of the time from the trigger to ENDEX (about two hours in a two-day crisis, ten minutes in the
  four-hour tutorial). It still picks up a ringing phone at once: the delay is in deciding, not in the
  switchboard.
- ``writer`` never uses a telephone: its leader writes letters to the other leader instead (the slowest
  medium the hotline carries), with facts, intent and a proposal, at most one every four hours, and
  lets calls ring. Everything else as ``tft``.
- ``refuser`` declines every call and sends no word at all for the first 40% of the time between the
  trigger and ENDEX; then it rings the other leader itself and plays ``tft`` from there on.
- ``noisy`` is ``tft`` with a trembling hand (seeded): each escalation of the other side has a one in
  three chance of a reflexive answer one band up within ten minutes, and each media inject the same
  chance of a public condemnation before anything is checked. Its scores spread over seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.bots import wording
from app.bots.catalog import ESCALATORY_WEIGHT
from app.bots.policy import HOUR, MINUTE, Command, decline_call, letter, take
from app.bots.situation import SeenInject, SeenMove
from app.bots.tft import TitForTat
from app.scenario.schema import ActionTag

REACTION_SHARE = 0.04
LETTER_INTERVAL = 4 * HOUR
TURN_SHARE = 0.4
NOISE = 1 / 3
REFLEX_DELAY = 10 * MINUTE
# What a team that refuses to talk does not send; a call to it is declined instead of taken.
_WORDS = frozenset({"call_request", "call_message", "send_cable", "send_letter", "publish_statement"})
_SLOW_EVENTS = frozenset({"inject_released", "action_taken", "cable_sent", "letter_delivered"})


class SlowTitForTat(TitForTat):
    name = "tft-slow"

    _late = 0.0

    def reaction_delay(self) -> float:
        trigger = self.situation.trigger_time()
        start = self.situation.now if trigger is None else trigger
        return REACTION_SHARE * max(0.0, self.catalog.end - start)

    def react(self, event: dict[str, Any]) -> None:
        self._late = self.reaction_delay() if event["type"] in _SLOW_EVENTS else 0.0
        try:
            super().react(event)
        finally:
            self._late = 0.0

    def plan(self, delay: float, label: str, run: Callable[[], list[Command]]) -> None:
        super().plan(delay + self._late, label, run)


class Writer(TitForTat):
    name = "writer"

    def contact(self, channel: str | None) -> list[Command]:
        if channel is None or channel != self.catalog.leader_line:
            return []  # the mil-mil link carries no letters: the writer's militaries do not call either
        medium = self.catalog.letter_medium("letter")
        wrote = self.situation.last_wrote
        if medium is None or (wrote is not None and self.situation.now - wrote < LETTER_INTERVAL):
            return []
        if wrote is not None and not self.situation.has_news_for(channel):
            return []
        self.situation.last_said[channel] = self.situation.news_count()
        self.situation.last_wrote = self.situation.now
        return [
            letter(
                medium,
                "From our leader",
                facts=wording.facts(self.situation),
                intent=self.intent_text(),
                proposal=wording.keep_talking(),
            )
        ]

    def answer(self, call_id: str) -> list[Command]:
        return []  # lets it ring: the writer answers in writing

    def answer_letter(self) -> list[Command]:
        return self.contact_leader()


class Refuser(TitForTat):
    name = "refuser"

    def turn(self) -> float | None:
        """When it starts talking: 40% of the way from the trigger to ENDEX (None before the trigger)."""
        trigger = self.situation.trigger_time()
        return None if trigger is None else trigger + TURN_SHARE * (self.catalog.end - trigger)

    def talking(self) -> bool:
        turn = self.turn()
        return turn is not None and self.situation.now >= turn

    def on_inject(self, inject: SeenInject) -> None:
        if "trigger" in inject.tags:
            turn = self.turn()
            if turn is not None:
                self.plan(turn - self.situation.now, "start talking", self.contact_leader)
        super().on_inject(inject)

    def plan(self, delay: float, label: str, run: Callable[[], list[Command]]) -> None:
        super().plan(delay, label, lambda: self._silenced(run()))

    def _silenced(self, commands: list[Command]) -> list[Command]:
        if self.talking():
            return commands
        kept: list[Command] = []
        for command in commands:
            if command["type"] == "call_accept":
                kept.append(decline_call(command["call_id"]))
            elif command["type"] not in _WORDS:
                kept.append(command)
        return kept


class NoisyTitForTat(TitForTat):
    name = "noisy"

    def on_escalation(self, move: SeenMove) -> None:
        if self.rng.random() < NOISE:
            self.plan(REFLEX_DELAY, "answer in anger", lambda: self.lash_out(move))
        else:
            super().on_escalation(move)

    def lash_out(self, move: SeenMove) -> list[Command]:
        higher = [a for a in self.catalog.escalatory() if a.band == min(move.band + 1, 6)]
        same = [a for a in self.catalog.escalatory() if a.band == move.band]
        choices = higher or same
        if not choices:
            return []
        action = self.rng.choice(sorted(choices, key=lambda a: a.id))
        return [take(action, rationale="They went too far; answer now.")]

    def on_inject(self, inject: SeenInject) -> None:
        if "media" in inject.tags and self.rng.random() < NOISE:
            self.plan(0, "answer the headlines", self.condemn)
        super().on_inject(inject)

    def condemn(self) -> list[Command]:
        public = [
            a
            for a in self.catalog.plain()
            if a.visibility.value == "public"
            and ESCALATORY_WEIGHT < a.weight < 0
            and ActionTag.endorsement not in a.tags
        ]
        if not public:
            return []
        action = max(public, key=lambda a: (a.weight, a.id))
        return [take(action, rationale="The public expects an answer today.")]
