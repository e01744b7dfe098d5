"""Written messages between the leaders: a teletype over the line, or a letter an embassy carries.

A letter is sent on a call channel that carries written media (``Scenario.letter_media``). Sending
records ``letter_sent``, seen by the sender's side only; the scheduler releases ``letter_delivered``
at send time plus the medium's delay, and only then does the other side see the letter, whole. The
pending delivery lives in the state folded from the log, so it survives a restart like any inject.
"""

from __future__ import annotations

from app.engine.channels import channel_audience
from app.engine.events import SYSTEM, EventDraft, EventType, LetterDelivered, draft, role_audience
from app.engine.state import ExerciseState
from app.scenario.schema import Scenario


def next_letter_id(state: ExerciseState) -> str:
    return f"letter-{len(state.letters) + 1}"


def sender_audience(scenario: Scenario, channel_id: str, team: str) -> list[str]:
    """Who sees a letter on its way: the roles of the sender's team that hold the channel."""
    return [role_audience(holder, role) for holder, role in scenario.holders(channel_id) if holder == team]


def delivery_draft(scenario: Scenario, state: ExerciseState, letter_id: str, *, late: bool) -> EventDraft:
    """The ``letter_delivered`` draft for a letter that has fallen due: its content, now for both sides."""
    pending = state.letters[letter_id]
    delivered = LetterDelivered(
        **pending.content.model_dump(exclude={"delay"}),
        sent_at=pending.sent_at,
        due_at=pending.deliver_at,
        late=late,
    )
    return draft(EventType.letter_delivered, SYSTEM, channel_audience(scenario, pending.channel), delivered)
