"""Commands: what a console may ask the engine to do. Each is also a websocket message (``type``).

Every command carries ``id``, a client-made id: a command sent twice with the same id is applied once
and acknowledged again. Player commands may name the ``team`` and ``role`` they act as; the engine
refuses any the seat does not hold.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from app.limits import MAX_COMPRESSION, MAX_SEQ, MIN_COMPRESSION
from app.scenario.schema import Attribution, Audience, Identifier, InjectTag, ScenarioTime

CommandId = Annotated[str, Field(min_length=1, max_length=80, description="Client-made id, unique per sender.")]
ShortText = Annotated[str, Field(max_length=2000)]
LongText = Annotated[str, Field(min_length=1, max_length=4000)]
Rating = Literal["P", "S", "M", "U"]
Seq = Annotated[int, Field(ge=1, le=MAX_SEQ)]


class CommandBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: CommandId


class PlayerCommand(CommandBase):
    team: Identifier | None = Field(default=None, description="Team to act as; must be the seat's own.")
    role: Identifier | None = Field(default=None, description="Role to act as; must be one the seat holds.")


class SendChat(PlayerCommand):
    type: Literal["send_chat"]
    text: LongText


class TakeAction(PlayerCommand):
    type: Literal["take_action"]
    action_id: Identifier
    text: ShortText = Field(default="", description="Free text shown with the move.")
    rationale: ShortText = Field(default="", description="Why: seen by the own team and control only.")


class RequestCall(PlayerCommand):
    type: Literal["call_request"]
    channel: Identifier = "hotline"


class AcceptCall(PlayerCommand):
    type: Literal["call_accept"]
    call_id: Identifier


class DeclineCall(PlayerCommand):
    type: Literal["call_decline"]
    call_id: Identifier


class Substance(PlayerCommand):
    """What a call message and a letter share: free text and the three parts that make contact substantive."""

    what: ClassVar[str] = "a message"

    text: ShortText = ""
    facts: ShortText | None = Field(default=None, description="What we know.")
    intent: ShortText | None = Field(default=None, description="What we mean to do and not do.")
    proposal: ShortText | None = Field(default=None, description="What we propose the two sides do.")

    @model_validator(mode="after")
    def _not_empty(self) -> Substance:
        if not any(part and part.strip() for part in (self.text, self.facts, self.intent, self.proposal)):
            raise ValueError(f"{self.what} needs text or one of facts, intent, proposal")
        return self


class SendCallMessage(Substance):
    what: ClassVar[str] = "a call message"

    type: Literal["call_message"]
    call_id: Identifier


class SendLetter(Substance):
    """A written message to the other leader, delivered after the medium's delay (docs/protocol.md)."""

    what: ClassVar[str] = "a letter"

    type: Literal["send_letter"]
    channel: Identifier = "hotline"
    medium: Literal["teletype", "letter"] = Field(description="One of the media the channel carries.")
    subject: Annotated[str, Field(max_length=200)] = ""


class HangUp(PlayerCommand):
    type: Literal["call_hangup"]
    call_id: Identifier


class SendCable(PlayerCommand):
    type: Literal["send_cable"]
    subject: Annotated[str, Field(min_length=1, max_length=200)]
    text: LongText


class PublishStatement(PlayerCommand):
    type: Literal["publish_statement"]
    text: LongText


class SubmitHotwash(PlayerCommand):
    type: Literal["submit_hotwash"]
    worked: ShortText = ""
    did_not_work: ShortText = ""
    pressure: ShortText = Field(default="", description="How the domestic pressure was felt (media scenarios).")
    rating: int = Field(ge=1, le=5)
    anonymous: bool = False


class AddObservation(CommandBase):
    type: Literal["add_observation"]
    text: LongText
    linked_seqs: list[Seq] = Field(default_factory=list, max_length=50)
    objective_id: Identifier | None = None
    rating: Rating | None = None


class RateTask(CommandBase):
    type: Literal["rate_task"]
    task_id: Identifier
    team: Identifier | None = None
    rating: Rating
    rationale: LongText


class OpenLobby(CommandBase):
    type: Literal["open_lobby"]


class Start(CommandBase):
    type: Literal["start"]


class Pause(CommandBase):
    type: Literal["pause"]
    reason: Annotated[str, Field(min_length=1, max_length=300)] = "Paused by the facilitator"


class Resume(CommandBase):
    type: Literal["resume"]


def _one_target(command: Any) -> Any:
    """A clock command names a scenario time (``to``) or a duration (``by``), never both or neither."""
    if (command.to is None) == (command.by is None):
        raise ValueError("give exactly one of 'to' (a scenario time) or 'by' (a duration)")
    return command


class Jump(CommandBase):
    type: Literal["jump"]
    to: ScenarioTime | None = Field(default=None, description="Scenario time to jump to.")
    by: ScenarioTime | None = Field(default=None, description="Or: how far to jump forward.")

    _one_target = model_validator(mode="after")(lambda self: _one_target(self))


class SetCompression(CommandBase):
    type: Literal["set_compression"]
    compression: float = Field(ge=MIN_COMPRESSION, le=MAX_COMPRESSION)


class End(CommandBase):
    type: Literal["end"]
    reason: Annotated[str, Field(max_length=300)] = "ENDEX"


class FireInject(CommandBase):
    type: Literal["fire_inject"]
    inject_id: Identifier


class HoldInject(CommandBase):
    type: Literal["hold_inject"]
    inject_id: Identifier


class UnholdInject(CommandBase):
    type: Literal["unhold_inject"]
    inject_id: Identifier


class SkipInject(CommandBase):
    type: Literal["skip_inject"]
    inject_id: Identifier


class AdhocInject(CommandBase):
    type: Literal["adhoc_inject"]
    audience: Audience = "all"
    channel: Identifier
    originator: Annotated[str, Field(min_length=1, max_length=200)] = "Control"
    title: Annotated[str, Field(min_length=1, max_length=200)]
    text: LongText
    tags: list[InjectTag] = Field(default_factory=list)
    attribution: Attribution | None = Field(
        default=None,
        description='Whose act the inject reports ("the other side rammed our ship"): scored as that side\'s '
        "move, as a scenario inject's attribution is. Seen by control and observers, never by players.",
    )


class SuspendChannel(CommandBase):
    type: Literal["suspend_channel"]
    channel: Identifier
    reason: Annotated[str, Field(max_length=300)] = ""


class RestoreChannel(CommandBase):
    type: Literal["restore_channel"]
    channel: Identifier
    reason: Annotated[str, Field(max_length=300)] = ""


class ExtendEndex(CommandBase):
    type: Literal["extend_endex"]
    to: ScenarioTime | None = Field(default=None, description="The new planned ENDEX (a scenario time).")
    by: ScenarioTime | None = Field(default=None, description="Or: how much later than the current one.")

    _one_target = model_validator(mode="after")(lambda self: _one_target(self))


class SetAutoEnd(CommandBase):
    type: Literal["set_auto_end"]
    enabled: bool = Field(description="End by itself at the planned ENDEX instead of pausing there.")


class MarkSeen(PlayerCommand):
    type: Literal["mark_seen"]
    inject_ids: list[Identifier] = Field(min_length=1, max_length=200, description="Injects shown to the player.")


class SetScoresVisible(CommandBase):
    type: Literal["set_scores_visible"]
    visible: bool


PlayerCommands = (
    SendChat
    | TakeAction
    | RequestCall
    | AcceptCall
    | DeclineCall
    | SendCallMessage
    | HangUp
    | SendLetter
    | SendCable
    | PublishStatement
    | SubmitHotwash
    | MarkSeen
)
EvaluatorCommands = AddObservation | RateTask
ControlCommands = (
    OpenLobby
    | Start
    | Pause
    | Resume
    | Jump
    | SetCompression
    | End
    | FireInject
    | HoldInject
    | UnholdInject
    | SkipInject
    | AdhocInject
    | SuspendChannel
    | RestoreChannel
    | SetScoresVisible
    | ExtendEndex
    | SetAutoEnd
)
Command = Annotated[PlayerCommands | EvaluatorCommands | ControlCommands, Field(discriminator="type")]
command_adapter: TypeAdapter[Any] = TypeAdapter(Command)
"""Any command from its JSON form (REST bodies, and the commands benchmarks and tests make)."""


def _types(union: object) -> frozenset[str]:
    """The ``type`` values of the command models in a union."""
    return frozenset(model.model_fields["type"].annotation.__args__[0] for model in union.__args__)  # type: ignore[attr-defined]


EVALUATOR_TYPES = _types(EvaluatorCommands)
CONTROL_TYPES = _types(ControlCommands)


class CommandError(Exception):
    """A command the engine refuses; nothing was changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
