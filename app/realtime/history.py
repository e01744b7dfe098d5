"""The recent log of one exercise, as the hub's consoles need it: events, their messages per view group, frames.

A process-local cache (rebuilt from the log): catch-ups and resumes read from here instead of the
database, and each event is encoded once per view group (and framed once per frame key), however many
consoles join. It holds what the hub published while consoles were connected and what catch-ups read
from the log; anything it does not hold is read from the log again. ``verified_to`` records how far the
log is known to end, so a console that has everything up to it goes live without another read.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from app.engine.events import Event
from app.engine.visibility import Viewer, view_for
from app.realtime.protocol import EventMessage

HISTORY_EVENTS = 20_000
"""Events kept per exercise; older ones are read from the log again when a console needs them."""


def encode_event(event: Event) -> str:
    return EventMessage(event=event).model_dump_json()


class History:
    def __init__(self, limit: int = HISTORY_EVENTS) -> None:
        self.limit = limit
        self.events: dict[int, Event] = {}
        self.texts: dict[tuple[str, int], str | None] = {}
        """The message each view group gets for an event (None: the group may not see it)."""
        self.frames: dict[tuple[Hashable, str, int], bytes] = {}
        self.verified_to: int | None = None
        """The log held nothing after this seq when last read, and every event since was published here."""

    def remember(self, events: Sequence[Event], *, published: bool) -> None:
        """Keep events read from the log or published; a contiguous publish extends ``verified_to``."""
        if not events:
            return
        for event in events:
            self.events[event.seq] = event
        if published and self.verified_to is not None and events[0].seq <= self.verified_to + 1:
            self.verified_to = max(self.verified_to, events[-1].seq)
        if len(self.events) > self.limit:
            self._forget_oldest(len(self.events) - self.limit + self.limit // 10)  # in chunks: sorting is not free

    def log_ends_at(self, seq: int) -> None:
        """A read of the log after ``seq`` came back empty."""
        self.verified_to = seq if self.verified_to is None else max(self.verified_to, seq)

    def after(self, seq: int, limit: int) -> list[Event]:
        """Events seq+1, seq+2, … held here, stopping at the first one that is not."""
        found: list[Event] = []
        events = self.events
        while len(found) < limit:
            event = events.get(seq + 1)
            if event is None:
                break
            found.append(event)
            seq += 1
        return found

    def text(self, viewer: Viewer, event: Event) -> str | None:
        key = (viewer.group, event.seq)
        try:
            return self.texts[key]
        except KeyError:
            visible = view_for(viewer, event)
            text = self.texts[key] = encode_event(visible) if visible is not None else None
            return text

    def frame(self, frame_key: Hashable, group: str, seq: int, text: str, make: Callable[[bytes], bytes]) -> bytes:
        """The frame of this group's message for ``seq`` under ``frame_key``, made once."""
        key = (frame_key, group, seq)
        frame = self.frames.get(key)
        if frame is None:
            frame = self.frames[key] = make(text.encode())
        return frame

    def _forget_oldest(self, count: int) -> None:
        oldest = sorted(self.events)[:count]
        for seq in oldest:
            del self.events[seq]
        floor = oldest[-1]
        self.texts = {key: text for key, text in self.texts.items() if key[1] > floor}
        self.frames = {key: frame for key, frame in self.frames.items() if key[2] > floor}
