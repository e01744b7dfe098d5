"""The event model: every thing that happens in an exercise is one immutable ``Event``.

An event carries both clocks, who did it (``Actor``), who may see it (``audience``) and a typed
payload. ``internal`` holds fields that only the actor's own team and the control cell may see (the
rationale behind a public action, say); ``visibility.view_for`` strips it for everyone else.

Audience entries are strings so that they store and filter cheaply:
``all`` (everyone), ``control`` (facilitators and observers only), ``team:<team>`` and
``role:<team>:<role>``. Control and observers always see every event.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.scenario.schema import Attribution, CatalogAction

ALL = "all"
CONTROL = "control"


def team_audience(team: str) -> str:
    return f"team:{team}"


def role_audience(team: str, role: str) -> str:
    return f"role:{team}:{role}"


class EventType(StrEnum):
    exercise_created = "exercise_created"
    lobby_opened = "lobby_opened"
    exercise_started = "exercise_started"
    exercise_paused = "exercise_paused"
    exercise_resumed = "exercise_resumed"
    clock_jumped = "clock_jumped"
    compression_changed = "compression_changed"
    exercise_ended = "exercise_ended"
    inject_released = "inject_released"
    inject_held = "inject_held"
    inject_unheld = "inject_unheld"
    inject_skipped = "inject_skipped"
    seat_issued = "seat_issued"
    seat_revoked = "seat_revoked"
    presence_changed = "presence_changed"
    chat_message = "chat_message"
    action_taken = "action_taken"
    statement_published = "statement_published"
    cable_sent = "cable_sent"
    call_requested = "call_requested"
    call_accepted = "call_accepted"
    call_declined = "call_declined"
    call_missed = "call_missed"
    call_message = "call_message"
    call_ended = "call_ended"
    letter_sent = "letter_sent"
    letter_delivered = "letter_delivered"
    channel_suspended = "channel_suspended"
    channel_restored = "channel_restored"
    channel_refused = "channel_refused"
    observation_added = "observation_added"
    task_rated = "task_rated"
    scores_visibility_changed = "scores_visibility_changed"
    hotwash_submitted = "hotwash_submitted"
    endex_extended = "endex_extended"
    auto_end_changed = "auto_end_changed"
    injects_seen = "injects_seen"
    media_published = "media_published"
    pressure_changed = "pressure_changed"


class ActorKind(StrEnum):
    player = "player"
    observer = "observer"
    facilitator = "facilitator"
    system = "system"


class Actor(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: ActorKind
    team: str | None = None
    role: str | None = None
    seat_id: str | None = None
    account: str | None = None
    """The named account a facilitator or evaluator signed in with; None for the shared secret."""

    @property
    def key(self) -> str:
        """Identifies the sender for command de-duplication: the seat, whatever role it acts in."""
        return f"{self.kind}:{self.seat_id or self.team or ''}"


SYSTEM = Actor(kind=ActorKind.system)
FACILITATOR = Actor(kind=ActorKind.facilitator)


class Event(BaseModel):
    """One record of the exercise log, as stored, exported and sent to consoles."""

    model_config = ConfigDict(frozen=True)

    seq: int = Field(ge=1, description="Dense per exercise, from 1.")
    exercise_id: str
    type: EventType
    wall_time: datetime = Field(description="UTC wall time at which the event was recorded.")
    scenario_time: float = Field(
        ge=0, allow_inf_nan=False, description="Seconds of scenario time since STARTEX (0 before it)."
    )
    actor: Actor
    audience: list[str]
    payload: dict[str, Any] = Field(default_factory=dict)
    internal: dict[str, Any] | None = Field(
        default=None, description="Fields only the actor's team and control may see."
    )
    command_id: str | None = None


class EventDraft(BaseModel):
    """An event the engine wants to record; the store gives it a seq and both times."""

    type: EventType
    actor: Actor
    audience: list[str]
    payload: dict[str, Any] = Field(default_factory=dict)
    internal: dict[str, Any] | None = None


# --- Typed payloads: the contract between the engine, scoring, reports and consoles. ---


class ClockAnchor(BaseModel):
    """Scenario time is ``scenario + (now - wall) * compression`` while running, else ``scenario``."""

    model_config = ConfigDict(frozen=True)

    wall: datetime
    scenario: float = Field(ge=0, allow_inf_nan=False)
    compression: float = Field(gt=0, allow_inf_nan=False)
    running: bool


class NoPayload(BaseModel):
    """For events whose type says it all."""


class ExerciseCreated(BaseModel):
    scenario_id: str
    scenario_title: str
    title: str
    compression: float


class ClockChange(BaseModel):
    clock: ClockAnchor


class ExercisePaused(ClockChange):
    reason: str
    at_endex: bool = Field(default=False, description="Paused by the engine because the planned ENDEX was reached.")


class ClockJumped(ClockChange):
    from_time: float
    to_time: float


class CompressionChanged(ClockChange):
    compression: float


class ExerciseEnded(ClockChange):
    reason: str = ""


class EndexExtended(BaseModel):
    """The facilitator moved the planned ENDEX later (the only way to run or jump past it)."""

    from_time: float
    to_time: float


class AutoEndChanged(BaseModel):
    """Whether the exercise ends by itself at the planned ENDEX (else it pauses and control decides)."""

    enabled: bool


class InjectsSeen(BaseModel):
    """A seat's console showed these injects to its player (read receipts, for the control cell)."""

    inject_ids: list[str]


ReleaseCause = Literal["schedule", "jump", "fire", "contingency", "adhoc"]


class InjectReleased(BaseModel):
    inject_id: str
    title: str
    text: str
    channel: str
    originator: str
    tags: list[str] = Field(default_factory=list)
    due_at: float | None = Field(default=None, description="Planned scenario time (None for ad hoc).")
    late: bool = False
    cause: ReleaseCause = "schedule"
    decision_window: float | None = None
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="language → {title, text, originator}"
    )


class ReleaseInternal(BaseModel):
    """What only the control cell and observers see of a release (``Event.internal``): whose act an ad hoc
    inject reports. A scenario inject's attribution is in the scenario; an ad hoc one's travels here."""

    model_config = ConfigDict(extra="forbid")

    attribution: Attribution | None = None

    @classmethod
    def of(cls, event: Event) -> ReleaseInternal | None:
        """The internal part of a release, or None when it has none (or an unreadable one)."""
        if event.type is not EventType.inject_released or not event.internal:
            return None
        try:
            return cls.model_validate(event.internal)
        except ValueError:
            return None


class InjectRef(BaseModel):
    inject_id: str
    reason: str = ""


class SeatIssued(BaseModel):
    seat_id: str
    kind: Literal["player", "observer"]
    team: str | None = None
    role: str | None = Field(default=None, description="None for a team seat holding every role.")
    label: str


class SeatRevoked(BaseModel):
    seat_id: str


class PresenceChanged(BaseModel):
    seat_id: str
    online: bool
    devices: int | None = Field(default=None, description="Consoles open on this seat (None in older logs).")
    team: str | None = None
    role: str | None = None


class ChatMessage(BaseModel):
    text: str


class ActionTaken(BaseModel):
    action_id: str
    label: str
    weight: float
    band: int
    channel: str
    visibility: Literal["public", "private"]
    tags: list[str] = Field(default_factory=list)
    text: str = ""

    @classmethod
    def of(cls, action: CatalogAction, text: str = "") -> ActionTaken:
        """The move as recorded: the catalog entry as it was when taken, and the player's words."""
        return cls(
            action_id=action.id,
            label=action.label,
            weight=action.weight,
            band=action.band,
            channel=action.channel,
            visibility=action.visibility.value,
            tags=[tag.value for tag in action.tags],
            text=text,
        )


class StatementPublished(BaseModel):
    text: str


class CableSent(BaseModel):
    to_team: str
    subject: str
    text: str


class CallRequested(BaseModel):
    call_id: str
    channel: str
    from_team: str
    to_team: str
    ring_for: float | None = Field(
        default=None, description="Scenario seconds the call rings before it is missed (None: the scenario's)."
    )


class CallRef(BaseModel):
    call_id: str
    channel: str


class Said(BaseModel):
    """Words to the other side: free text, and the three parts that make a contact substantive."""

    text: str = ""
    facts: str | None = None
    intent: str | None = None
    proposal: str | None = None

    @property
    def substantive(self) -> bool:
        return any(field for field in (self.facts, self.intent, self.proposal))


class CallMessage(Said, CallRef):
    pass


class LetterContent(Said):
    """A written message between the leaders: a teletype over the line, or a letter carried by an embassy."""

    letter_id: str
    channel: str
    medium: Literal["teletype", "letter"]
    from_team: str
    to_team: str
    subject: str = ""


class LetterSent(LetterContent):
    """Seen by the sender's side only: the other side learns of the letter when it is delivered."""

    delay: float = Field(description="Seconds of scenario time until it reaches the other side (the medium's).")


class LetterDelivered(LetterContent):
    sent_at: float = Field(description="Scenario time at which it was sent.")
    due_at: float = Field(description="Scenario time at which it was due: the time it counts from.")
    late: bool = Field(default=False, description="Delivered late (the server was down when it fell due).")


class ChannelChange(BaseModel):
    channel: str
    reason: str = ""


class ChannelRefused(BaseModel):
    channel: str
    attempted: str
    reason: str


class ObservationAdded(BaseModel):
    text: str
    author: str
    linked_seqs: list[int] = Field(default_factory=list)
    objective_id: str | None = None
    rating: Literal["P", "S", "M", "U"] | None = None


class TaskRated(BaseModel):
    task_id: str
    team: str | None = None
    rating: Literal["P", "S", "M", "U"]
    rationale: str


class ScoresVisibility(BaseModel):
    visible: bool


class HotwashSubmitted(BaseModel):
    worked: str = ""
    did_not_work: str = ""
    pressure: str = Field(default="", description="How the domestic pressure was felt (scenarios with media).")
    rating: int = Field(ge=1, le=5)
    anonymous: bool = False


class MediaPublished(BaseModel):
    """A post on the social feed or an article on the news site, drawn by a team's public move or its silence."""

    media_id: str = Field(description="Unique in the exercise: the template and the move it answers.")
    kind: Literal["post", "article"]
    cause: Literal["reaction", "silence"]
    template: str | None = None
    source_seq: int | None = Field(default=None, description="The public move or statement it answers.")
    about_team: str
    country: str = Field(description="The team whose country the persona or outlet speaks from.")
    stance: str | None = None
    handle: str | None = None
    name: str = Field(description="The persona's display name, or the outlet's name.")
    verified: bool = False
    language: str = "en"
    headline: str = ""
    text: str
    hashtags: list[str] = Field(default_factory=list)
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="language → {name, headline, text}"
    )
    pressure: dict[str, float] = Field(default_factory=dict, description="team → what it adds to its pressure")
    likes: int = Field(default=0, ge=0, description="Likes it will have gathered in the end.")
    reposts: int = Field(default=0, ge=0)
    half_life: float = Field(default=1800.0, gt=0, description="Scenario seconds to gather half of them.")


class PressureChanged(BaseModel):
    """A team's domestic pressure moved (``app.media.pressure`` folds it from the log; this tells consoles)."""

    team: str
    value: float = Field(ge=0, le=100)
    previous: float = Field(ge=0, le=100)


PAYLOADS: dict[EventType, type[BaseModel]] = {
    EventType.exercise_created: ExerciseCreated,
    EventType.lobby_opened: NoPayload,
    EventType.exercise_started: ClockChange,
    EventType.exercise_paused: ExercisePaused,
    EventType.exercise_resumed: ClockChange,
    EventType.clock_jumped: ClockJumped,
    EventType.compression_changed: CompressionChanged,
    EventType.exercise_ended: ExerciseEnded,
    EventType.inject_released: InjectReleased,
    EventType.inject_held: InjectRef,
    EventType.inject_unheld: InjectRef,
    EventType.inject_skipped: InjectRef,
    EventType.seat_issued: SeatIssued,
    EventType.seat_revoked: SeatRevoked,
    EventType.presence_changed: PresenceChanged,
    EventType.chat_message: ChatMessage,
    EventType.action_taken: ActionTaken,
    EventType.statement_published: StatementPublished,
    EventType.cable_sent: CableSent,
    EventType.call_requested: CallRequested,
    EventType.call_accepted: CallRef,
    EventType.call_declined: CallRef,
    EventType.call_missed: CallRef,
    EventType.call_message: CallMessage,
    EventType.call_ended: CallRef,
    EventType.letter_sent: LetterSent,
    EventType.letter_delivered: LetterDelivered,
    EventType.channel_suspended: ChannelChange,
    EventType.channel_restored: ChannelChange,
    EventType.channel_refused: ChannelRefused,
    EventType.observation_added: ObservationAdded,
    EventType.task_rated: TaskRated,
    EventType.scores_visibility_changed: ScoresVisibility,
    EventType.hotwash_submitted: HotwashSubmitted,
    EventType.endex_extended: EndexExtended,
    EventType.auto_end_changed: AutoEndChanged,
    EventType.injects_seen: InjectsSeen,
    EventType.media_published: MediaPublished,
    EventType.pressure_changed: PressureChanged,
}


def draft(
    event_type: EventType,
    actor: Actor,
    audience: list[str],
    payload: BaseModel | None = None,
    internal: dict[str, Any] | None = None,
) -> EventDraft:
    """Build a draft whose payload has been validated against its type's model."""
    model = PAYLOADS[event_type]
    if payload is None:
        payload = model()
    elif not isinstance(payload, model):
        raise TypeError(f"{event_type} takes a {model.__name__} payload, not {type(payload).__name__}")
    return EventDraft(
        type=event_type,
        actor=actor,
        audience=audience,
        payload=payload.model_dump(mode="json", exclude_none=False),
        internal=internal,
    )
