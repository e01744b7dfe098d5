"""``tft``: tit-for-tat that also communicates.

Nice first (it never escalates first), it answers a cooperative move with cooperation (and accepts
proposals), and an escalation with a proportionate reply: an escalatory move of the same band, never
higher, with the weight nearest the provocation's. The reply is never reflexive: first it deliberates,
checks the facts and talks to the other leader, and only half an hour later does it act, and not at
all if the other side has turned cooperative meanwhile (tit-for-tat forgives at once). It answers one
level of pressure once: a further provocation in the same band or lower within six hours gets words,
not another move, so two tit-for-tat players never lock into an endless echo. It does not follow the
other side beyond force posture (band 3): against coercive or armed force it holds there and keeps
talking.
"""

from __future__ import annotations

import random

from app.bots import wording
from app.bots.catalog import TeamCatalog, is_cooperative, is_escalatory
from app.bots.policy import HOUR, MINUTE, Command, cable, take
from app.bots.situation import SeenMove
from app.bots.talk import Talker
from app.scenario.schema import ActionTag, CatalogAction

REPLY_DELAY = 30 * MINUTE
REPLY_COOLDOWN = 6 * HOUR
MAX_MIRROR_BAND = 3


class TitForTat(Talker):
    name = "tft"

    def __init__(self, catalog: TeamCatalog, rng: random.Random, *, tempo: float = 1.0) -> None:
        super().__init__(catalog, rng, tempo=tempo)
        self._last_answer: tuple[float, int] | None = None
        """(when we last answered in kind, the band of the move we answered)."""

    def on_escalation(self, move: SeenMove) -> None:
        self.plan(0, "deliberate before answering", lambda: self.deliberate_on(move))
        self.plan(REPLY_DELAY, "answer in proportion", lambda: self.answer_in_kind(move))

    def deliberate_on(self, move: SeenMove) -> list[Command]:
        """Slow down before answering: convene, check, and tell the other side where we stand."""
        warning = [cable(f"About {move.label}", wording.firm_intent(move))] if self.catalog.can_cable else []
        return self.deliberate() + self.verify(move.at) + warning + self.contact_leader()

    def intent_text(self) -> str:
        escalations = [m for m in self.situation.their_moves() if is_escalatory(m.weight)]
        return wording.firm_intent(escalations[-1]) if escalations else wording.calm_intent()

    def answer_in_kind(self, move: SeenMove) -> list[Command]:
        later = [m for m in self.situation.their_moves() if m.seq > move.seq]
        if later and is_cooperative(later[-1].weight):
            return []  # they have turned: tit-for-tat forgives
        if self._last_answer is not None:
            when, band = self._last_answer
            if move.band <= band and self.situation.now - when < REPLY_COOLDOWN:
                return []  # this level of pressure has had its answer; do not feed the spiral
        action = self.proportionate(move)
        if action is None:
            return []
        self._last_answer = (self.situation.now, move.band)
        return [take(action, rationale=f"A proportionate answer to '{move.label}', after checking the facts.")]

    def proportionate(self, move: SeenMove) -> CatalogAction | None:
        """An escalatory move in the provocation's band (or the nearest band below), nearest in weight."""
        ceiling = min(move.band, MAX_MIRROR_BAND)
        choices = [
            a
            for a in self.catalog.plain()
            if is_escalatory(a.weight) and a.band <= ceiling and ActionTag.gratuitous not in a.tags
        ]
        if not choices:
            return None
        band = max(a.band for a in choices)
        in_band = [a for a in choices if a.band == band]
        nearest = min(abs(a.weight - move.weight) for a in in_band)
        return self.rng.choice([a for a in in_band if abs(a.weight - move.weight) == nearest])
