"""The shape of a bot's policy: it watches events, plans moves at scenario times, and performs them.

A policy never sends anything itself. It keeps an agenda of ``Plan``s (what to do, at which scenario
time); the player asks it for the plans that are due and sends the commands they produce, one at a
time, feeding the resulting events back before the next. Plans decide their commands when they run,
from what the policy knows by then, so a plan made obsolete by events (a call already answered, say)
simply produces nothing.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.bots.catalog import TeamCatalog
from app.bots.situation import Situation
from app.scenario.schema import CatalogAction

Command = dict[str, Any]

MINUTE = 60.0
HOUR = 3600.0


@dataclass(order=True)
class Plan:
    at: float
    order: int
    label: str = field(compare=False)
    run: Callable[[], list[Command]] = field(compare=False)


class Policy:
    """Base class: keeps the situation and the agenda. Subclasses override ``react``."""

    name: ClassVar[str] = ""

    def __init__(self, catalog: TeamCatalog, rng: random.Random, *, tempo: float = 1.0) -> None:
        self.catalog = catalog
        self.rng = rng
        self.tempo = tempo
        """Every delay the policy plans is multiplied by this: the tournament's sensitivity runs vary it."""
        self.situation = Situation(team=catalog.team, other=catalog.other)
        self._agenda: list[Plan] = []
        self._order = itertools.count()

    # --- the player's side ---

    def observe(self, event: dict[str, Any]) -> None:
        """Take in one event (in seq order) and plan whatever it calls for."""
        self.situation.apply(event)
        if self.situation.ended:
            self._agenda.clear()
            return
        self.react(event)

    def next_due(self) -> float | None:
        return self._agenda[0].at if self._agenda else None

    def pop_due(self, now: float) -> Plan | None:
        if self._agenda and self._agenda[0].at <= now:
            return heapq.heappop(self._agenda)
        return None

    # --- for subclasses ---

    def react(self, event: dict[str, Any]) -> None:
        """Plan what ``event`` calls for; the default is to do nothing."""

    def plan(self, delay: float, label: str, run: Callable[[], list[Command]]) -> None:
        """Do ``run`` ``delay`` scenario seconds (times the tempo) after now (before ENDEX, or not at all)."""
        at = self.situation.now + delay * self.tempo
        if at <= self.catalog.end:
            heapq.heappush(self._agenda, Plan(at, next(self._order), label, run))

    def is_from_other(self, event: dict[str, Any]) -> bool:
        return bool(event["actor"].get("team") == self.situation.other)


class NullPolicy(Policy):
    """Joins and does nothing at all: no move, no message, not even answering the hotline."""

    name = "null"


# --- commands (websocket messages; the player adds the id) ---


def take(action: CatalogAction, text: str = "", rationale: str = "") -> Command:
    return {"type": "take_action", "action_id": action.id, "text": text, "rationale": rationale}


def request_call(channel: str) -> Command:
    return {"type": "call_request", "channel": channel}


def accept_call(call_id: str) -> Command:
    return {"type": "call_accept", "call_id": call_id}


def decline_call(call_id: str) -> Command:
    return {"type": "call_decline", "call_id": call_id}


def hang_up(call_id: str) -> Command:
    return {"type": "call_hangup", "call_id": call_id}


def say(
    call_id: str, text: str = "", *, facts: str | None = None, intent: str | None = None, proposal: str | None = None
) -> Command:
    return {
        "type": "call_message",
        "call_id": call_id,
        "text": text,
        "facts": facts,
        "intent": intent,
        "proposal": proposal,
    }


def letter(medium: str, subject: str, *, facts: str | None, intent: str | None, proposal: str | None) -> Command:
    return {
        "type": "send_letter",
        "medium": medium,
        "subject": subject[:200],
        "facts": facts,
        "intent": intent,
        "proposal": proposal,
    }


def cable(subject: str, text: str) -> Command:
    return {"type": "send_cable", "subject": subject[:200], "text": text}


def statement(text: str) -> Command:
    return {"type": "publish_statement", "text": text}


def chat(text: str) -> Command:
    return {"type": "send_chat", "text": text}
