"""What processes say to each other on the broker (docs/architecture.md, "Fan-out").

One channel per exercise, ``<prefix>:exercise:<id>``: a process subscribes while it has the
exercise loaded. Messages are JSON, and none of them is needed for correctness: a process that
misses one catches up from the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel

from app.cluster.broker import Broker
from app.engine.events import Event
from app.scoring.live import ScoreTexts

MAX_EVENTS_BYTES = 512 * 1024
"""Larger batches are announced by their last seq only; receivers read them from the log."""

MessageKind = Literal["events", "head", "scores", "scores_wanted"]


class BrokerMessage(BaseModel):
    v: Literal[1] = 1
    kind: MessageKind
    sender: str
    """The process that sent it (a process ignores its own messages)."""
    exercise_id: str
    events: list[Event] = []
    """``events``: what the sender just committed, in seq order."""
    seq: int = 0
    """``head``: the newest seq the sender committed; ``scores``: the seq the card is computed at."""
    text: str | None = None
    team_texts: dict[str, str] = {}


def exercise_channel(prefix: str, exercise_id: str) -> str:
    return f"{prefix}:exercise:{exercise_id}"


def events_message(sender: str, exercise_id: str, events: Sequence[Event]) -> str:
    text = BrokerMessage(kind="events", sender=sender, exercise_id=exercise_id, events=list(events)).model_dump_json()
    if len(text) <= MAX_EVENTS_BYTES:
        return text
    return BrokerMessage(kind="head", sender=sender, exercise_id=exercise_id, seq=events[-1].seq).model_dump_json()


class Relay:
    """What this process tells the others about its exercises, on the broker; nothing is encoded when
    certainly no other process listens (one process on ``memory://``)."""

    def __init__(self, broker: Broker, prefix: str, sender: str) -> None:
        self.broker = broker
        self.prefix = prefix
        self.sender = sender

    def channel(self, exercise_id: str) -> str:
        return exercise_channel(self.prefix, exercise_id)

    def follow(self, exercise_id: str, loaded: bool) -> None:
        """Listen to an exercise's channel while this process has it loaded."""
        (self.broker.subscribe if loaded else self.broker.unsubscribe)(self.channel(exercise_id))

    def events(self, exercise_id: str, events: Sequence[Event]) -> None:
        self._send(exercise_id, lambda: events_message(self.sender, exercise_id, events))

    def scores(self, exercise_id: str, texts: ScoreTexts) -> None:
        self._send(
            exercise_id,
            lambda: BrokerMessage(
                kind="scores",
                sender=self.sender,
                exercise_id=exercise_id,
                seq=texts.last_seq,
                text=texts.text,
                team_texts=texts.team_texts,
            ).model_dump_json(),
        )

    def want_scores(self, exercise_id: str) -> None:
        self._send(
            exercise_id,
            lambda: BrokerMessage(kind="scores_wanted", sender=self.sender, exercise_id=exercise_id).model_dump_json(),
        )

    def _send(self, exercise_id: str, message: Callable[[], str]) -> None:
        channel = self.channel(exercise_id)
        if self.broker.wanted(channel):
            self.broker.publish(channel, message())
