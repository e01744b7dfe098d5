"""The scenario format: pydantic models that validate a scenario file and publish its JSON Schema.

A scenario is a template: two teams with their roles, the channels they talk on, the action catalog,
the MSEL (timed and contingency injects), objectives with their tasks, scoring parameters and optional
translations. Cross-references (an inject naming an unknown team, say) are checked by ``linter``;
these models check the shape and the value ranges of each field.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema, model_validator

from app.guards.text import find_text_problem
from app.limits import MAX_COMPRESSION, MAX_SCENARIO_SECONDS, MIN_COMPRESSION
from app.scenario.media import MediaCast
from app.scenario.timefmt import TimeFormatError, format_scenario_time, parse_scenario_time

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        description="An id: letters, digits, '.', '_' or '-', starting with a letter or digit.",
    ),
]


def _to_seconds(value: object) -> int:
    try:
        return parse_scenario_time(value)
    except TimeFormatError as exc:
        raise ValueError(str(exc)) from exc


ScenarioTime = Annotated[
    int,
    BeforeValidator(_to_seconds),
    PlainSerializer(lambda seconds: format_scenario_time(seconds, with_seconds=seconds % 60 != 0), when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {
                    "type": "string",
                    "pattern": r"^\s*(T\s*\+\s*)?\d{1,4}:[0-5]\d(:[0-5]\d)?\s*$",
                    "description": "T+HH:MM, T+HH:MM:SS or HH:MM",
                },
                {
                    "type": "string",
                    "pattern": r"^\s*([DdHhMmSs]\s*\+?\s*\d+\s*)+$",
                    "description": "D+1 H+3 M+45",
                },
                {"type": "number", "minimum": 0, "maximum": MAX_SCENARIO_SECONDS // 60, "description": "minutes"},
            ],
            "description": "A scenario time or duration: 'T+01:30', '01:30', 'D+1 H+3 M+45' or minutes.",
        }
    ),
]
"""Seconds of scenario time; written in files as ``T+HH:MM`` (see ``timefmt``)."""

Text = Annotated[str, Field(min_length=1, max_length=8000)]
Label = Annotated[str, Field(min_length=1, max_length=200)]


LEADER_ROLE = "leader"
"""Every team has one role with this id; the call channel it holds is the hotline."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChannelKind(StrEnum):
    feed = "feed"  # one-way inject feed: intelligence, news, social media, military reports
    call = "call"  # two-way live link between one role on each side: hotline, mil-mil
    cable = "cable"  # asynchronous diplomatic messages between the two sides
    statement = "statement"  # public statements, seen by both teams and the media
    chat = "chat"  # a team's internal chat


class Visibility(StrEnum):
    public = "public"
    private = "private"


class ActionTag(StrEnum):
    gratuitous = "gratuitous"
    cues = "cues"
    restraint = "restraint"
    reassurance = "reassurance"
    preventive = "preventive"
    verification = "verification"
    deliberation = "deliberation"
    endorsement = "endorsement"  # an unconditional public endorsement of a third party
    de_escalation = "de_escalation"  # a step towards jointly agreed de-escalation
    proposal = "proposal"  # proposes a mechanism the other side may accept
    acceptance = "acceptance"  # accepts a proposal of the other side
    decision = "decision"  # records a team decision that answers a decision inject


class InjectTag(StrEnum):
    trigger = "trigger"
    military_incident = "military_incident"
    encounter = "encounter"
    media = "media"
    third_party = "third_party"
    decision = "decision"
    escalation = "escalation"
    cyber = "cyber"


class Role(Strict):
    id: Identifier
    name: Label
    description: str = ""
    channels: list[Identifier] = Field(
        default_factory=list,
        description="Channel ids this role may use: the call, cable and statement channels it holds. "
        "Every role may use its team's chat.",
    )


class Team(Strict):
    id: Identifier
    name: Label = Field(description="What players see, e.g. 'Washington'.")
    description: str = ""
    roles: list[Role] = Field(min_length=1)


class WrittenMedium(StrEnum):
    teletype = "teletype"  # a written message over the line itself: arrives in seconds or minutes
    letter = "letter"  # a personal letter carried by an embassy: arrives in hours


class LetterDelays(Strict):
    """Written messages a channel carries between the two sides, each medium with its transmission delay."""

    teletype: ScenarioTime | None = Field(default=None, description="Delay of a teletype message; None: not offered.")
    letter: ScenarioTime | None = Field(default=None, description="Delay of a letter; None: not offered.")

    def media(self) -> dict[str, int]:
        """Medium → delay in seconds, for the media offered."""
        return {medium.value: delay for medium in WrittenMedium if (delay := getattr(self, medium.value)) is not None}


DEFAULT_LETTERS = LetterDelays(teletype="00:05", letter="12:00")
"""What the leaders' call channel carries when the scenario does not say (docs/scenario-format.md)."""


class Channel(Strict):
    id: Identifier
    name: Label
    kind: ChannelKind
    description: str = ""
    letters: LetterDelays | None = Field(
        default=None,
        description="Call channels only: written messages it also carries, with each medium's delay. "
        "Unset on the leaders' call channel: a 5-minute teletype and a 12-hour letter; {} offers none.",
    )


class CatalogAction(Strict):
    id: Identifier
    label: Label
    description: str = ""
    weight: float = Field(ge=-10, le=10, description="Goldstein-style weight: negative is conflict.")
    band: int = Field(ge=0, le=6, description="Escalation band 0 (cooperative) … 6 (nuclear).")
    channel: Identifier = Field(description="The channel through which the move is made or announced.")
    visibility: Visibility
    tags: list[ActionTag] = Field(default_factory=list)
    roles: list[Identifier] = Field(default_factory=list, description="Roles that may take it; empty: all.")
    teams: list[Identifier] = Field(default_factory=list, description="Teams that may take it; empty: both.")
    cameo: str | None = Field(default=None, max_length=16, description="CAMEO event code it is modelled on.")
    suspends: Identifier | None = Field(default=None, description="Channel this action suspends.")
    restores: Identifier | None = Field(default=None, description="Channel this action restores.")
    duration: ScenarioTime | None = Field(
        default=None, description="A standing measure: in force for this long after it is taken."
    )
    lifted_by: list[Identifier] = Field(
        default_factory=list,
        description="A standing measure: in force until the same team takes one of these actions (or ENDEX).",
    )

    @property
    def standing(self) -> bool:
        return self.duration is not None or bool(self.lifted_by)


class AudienceTarget(Strict):
    team: Identifier
    role: Identifier | None = None


def _normalise_audience(value: object) -> object:
    if value == "all" or value is None:
        return "all"
    if isinstance(value, str):
        return [{"team": value}]
    if isinstance(value, dict):
        return [value]
    return value


Audience = Annotated[Literal["all"] | list[AudienceTarget], BeforeValidator(_normalise_audience)]


class NoContact(Strict):
    """Fires at ``by`` if no substantive contact has happened on ``channel`` by then."""

    type: Literal["no_contact"]
    channel: Identifier = "hotline"
    by: ScenarioTime


class ActionTaken(Strict):
    """Fires ``delay`` after ``team`` (either team when omitted) first takes ``action``."""

    type: Literal["action_taken"]
    action: Identifier
    team: Identifier | None = None
    delay: ScenarioTime = 0


class InjectReleased(Strict):
    """Fires ``delay`` after inject ``inject`` is released."""

    type: Literal["inject_released"]
    inject: Identifier
    delay: ScenarioTime = 0


class BandReached(Strict):
    """Fires ``delay`` after ``team`` (either team if omitted) first takes an action of ``band`` or above."""

    type: Literal["band_reached"]
    band: int = Field(ge=0, le=6)
    team: Identifier | None = None
    delay: ScenarioTime = 0


class PressureReached(Strict):
    """Fires ``delay`` after the domestic pressure on ``team`` first reaches ``at_least`` (needs ``media:``)."""

    type: Literal["pressure_reached"]
    team: Identifier
    at_least: float = Field(ge=0, le=100)
    delay: ScenarioTime = 0


Condition = Annotated[
    NoContact | ActionTaken | InjectReleased | BandReached | PressureReached, Field(discriminator="type")
]


class Attribution(Strict):
    """An inject that reports an act of one side (a collision, a strike, an intrusion): scored as that side's move."""

    side: Identifier = Field(description="The team whose act the inject reports.")
    band: int = Field(ge=0, le=6, description="Escalation band of the act, as for a catalog action.")
    weight: float = Field(ge=-10, le=10, description="Goldstein-style weight of the act: negative is conflict.")
    duration: ScenarioTime | None = Field(default=None, description="A standing act: in force for this long.")
    lifted_by: list[Identifier] = Field(
        default_factory=list, description="A standing act: in force until that side takes one of these actions."
    )


class Inject(Strict):
    id: Identifier
    at: ScenarioTime | None = Field(default=None, description="Scenario time of release (timed injects).")
    condition: Condition | None = Field(default=None, description="Release condition (contingency injects).")
    audience: Audience = Field(description="'all', a team id, {team, role}, or a list of those.")
    channel: Identifier
    originator: Label
    title: Label
    text: Text = Field(description="What the players read.")
    notes: str = Field(default="", description="Controller notes: never shown to players.")
    expected_actions: list[Identifier] = Field(default_factory=list, description="Never shown to players.")
    objective: Identifier | None = None
    tags: list[InjectTag] = Field(default_factory=list)
    decision_window: ScenarioTime | None = Field(
        default=None, description="For decision injects: how long the team has to decide."
    )
    attribution: Attribution | None = Field(
        default=None, description="Whose act this inject reports, scored as that side's move. Never shown to players."
    )


class TaskCheck(Strict):
    """How a task is rated automatically from the log; ``evaluator`` means a person rates it."""

    kind: Literal[
        "leader_contact",
        "channel_contact",
        "action_taken",
        "tag_used",
        "no_band_above",
        "message_parts",
        "avoided",
        "evaluator",
    ]
    within: ScenarioTime | None = Field(default=None, description="Deadline measured from T0 (the trigger).")
    channel: Identifier | None = None
    actions: list[Identifier] = Field(default_factory=list)
    tag: ActionTag | None = None
    band: int | None = Field(default=None, ge=0, le=6)
    by: Literal["each", "either"] = Field(
        default="each",
        description="For action_taken and tag_used: 'each' team must take the move itself, or 'either' "
        "team's move counts for both (an agreement is made when one side accepts the other's proposal).",
    )
    parts: list[Literal["facts", "intent", "proposal"]] = Field(
        default_factory=list,
        description="For message_parts: what the team must have told the other side on the channel (calls and "
        "letters); all three when empty.",
    )


class Task(Strict):
    id: Identifier
    title: Label
    team: Identifier | Literal["both"] = "both"
    critical: bool = True
    check: TaskCheck = Field(default_factory=lambda: TaskCheck(kind="evaluator"))


class Objective(Strict):
    id: Identifier
    title: Label
    description: str = ""
    tasks: list[Task] = Field(default_factory=list)


METRIC_IDS = ("LC", "MM", "RX", "OV", "MR", "AP", "GO", "TP", "PC", "OBJ")
"""The scoring metrics, as a scenario's ``scoring.weights`` names them (docs/scoring.md)."""


class Curve(Strict):
    """100 at once, 95 at ``a``, 50 at ``b``, 10 at ``c``, then ever closer to 0 (docs/scoring.md)."""

    a: ScenarioTime
    b: ScenarioTime
    c: ScenarioTime


class ScoringParams(Strict):
    """Scoring parameters (the defaults of docs/scoring.md); any may be overridden by a scenario."""

    # Written as durations: a bare number would be read as minutes by ScenarioTime. None: the default
    # curve, with c stretched to ENDEX in scenarios longer than it (app.scoring.rules.contact_curve).
    leader_contact: Curve | None = None
    milmil_contact: Curve | None = None
    reflex_window: ScenarioTime = 3600
    media_window: ScenarioTime = 3600
    third_party_window: ScenarioTime = 6 * 3600
    escalatory_weight: float = -4.0
    cooperative_weight: float = 3.0
    media_weight: float = -2.0
    gratuitous_limit: int = 3
    preventive_target: int = 3
    early_contact_bonus_window: ScenarioTime = 12 * 3600
    letter_weight: float = Field(default=0.8, ge=0, le=1, description="A letter's LC credit relative to a call.")
    listening_share: float = Field(
        default=0.4, ge=0, le=1, description="LC and MM credit for only hearing the other side's substance."
    )
    refusal_factor: float = Field(
        default=0.5, ge=0, le=1, description="What remains of LC's reach half after declining a call first."
    )
    peak_recovery: Curve = Curve(a="01:00", b="12:00", c="48:00")
    weights: dict[str, float] = Field(
        default_factory=lambda: {
            "LC": 0.15,
            "MM": 0.10,
            "RX": 0.10,
            "OV": 0.10,
            "MR": 0.10,
            "AP": 0.05,
            "GO": 0.05,
            "TP": 0.05,
            "PC": 0.05,
            "OBJ": 0.25,
        }
    )


class Reading(Strict):
    """Background a player may read: a short text, a link, or both."""

    title: Label
    text: str = Field(default="", max_length=8000)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", max_length=500, description="http(s) only.")


class RoleBriefing(Strict):
    """What one role is told before STARTEX, on top of its team's briefing."""

    brief: Text = Field(description="The role's own brief: who they are, what they hold, what they may not do.")
    objectives: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(default_factory=list)
    reading: list[Reading] = Field(default_factory=list)


class TeamBriefing(Strict):
    """A team's briefing, shown in the lobby and kept at hand during play; the other team never sees it."""

    situation: Text = Field(description="The situation as this team knows it at STARTEX.")
    objectives: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=list, description="What the team's government wants from the crisis."
    )
    reading: list[Reading] = Field(default_factory=list, description="Optional background.")
    roles: dict[Identifier, RoleBriefing] = Field(default_factory=dict, description="role id → that role's brief")


class ReadingText(Strict):
    title: str | None = None
    text: str | None = None


class RoleBriefingText(Strict):
    brief: str | None = None
    objectives: list[str] | None = None
    reading: list[ReadingText] | None = None


class TeamBriefingText(Strict):
    situation: str | None = None
    objectives: list[str] | None = None
    reading: list[ReadingText] | None = Field(default=None, description="In the order of the original's reading.")
    roles: dict[str, RoleBriefingText] = Field(default_factory=dict)


class ChannelText(Strict):
    name: str | None = None
    description: str | None = None


class TeamText(Strict):
    name: str | None = None
    description: str | None = None
    roles: dict[str, str] = Field(default_factory=dict, description="role id → translated role name")


class LabelText(Strict):
    label: str | None = None
    description: str | None = None


class InjectText(Strict):
    title: str | None = None
    text: str | None = None
    originator: str | None = None


class TitleText(Strict):
    title: str | None = None
    description: str | None = None


class Translation(Strict):
    title: str | None = None
    summary: str | None = None
    teams: dict[str, TeamText] = Field(default_factory=dict)
    channels: dict[str, str | ChannelText] = Field(
        default_factory=dict, description="channel id → its translated name, or {name, description}"
    )
    actions: dict[str, LabelText] = Field(default_factory=dict)
    injects: dict[str, InjectText] = Field(default_factory=dict)
    objectives: dict[str, TitleText] = Field(default_factory=dict)
    tasks: dict[str, str] = Field(default_factory=dict)
    briefings: dict[str, TeamBriefingText] = Field(default_factory=dict)


class Scenario(Strict):
    id: Identifier = Field(description="Scenario id, unique in the library; uploads are stored as <id>.yaml.")
    version: int = Field(default=1, ge=1, description="Raise it when the scenario changes, so runs can be compared.")
    title: Label
    summary: Text = Field(description="What the facilitator reads when choosing a scenario.")
    language: str = Field(default="en", description="Language of the texts in this file (BCP 47).")
    default_compression: float = Field(
        default=12.0,
        ge=MIN_COMPRESSION,
        le=MAX_COMPRESSION,
        description="Scenario seconds per wall second proposed at launch.",
    )
    end: ScenarioTime = Field(description="ENDEX: the scenario time at which the exercise is planned to end.")
    ring_timeout: ScenarioTime = Field(default=600, description="How long a call may ring before it is marked missed.")
    teams: list[Team] = Field(min_length=2, max_length=2, description="The two parties; each has one 'leader' role.")
    channels: list[Channel] = Field(min_length=1)
    actions: list[CatalogAction] = Field(min_length=1, description="The action catalog both teams choose from.")
    injects: list[Inject] = Field(min_length=1, description="The MSEL: timed and contingency injects.")
    objectives: list[Objective] = Field(default_factory=list)
    briefings: dict[Identifier, TeamBriefing] = Field(
        default_factory=dict, description="team id → the team's briefing (situation, objectives, reading, roles)."
    )
    scoring: ScoringParams = Field(default_factory=ScoringParams)
    translations: dict[str, Translation] = Field(
        default_factory=dict, description="Language tag (e.g. 'zh-CN') → translated texts."
    )
    media: MediaCast | None = Field(
        default=None, description="Personas, outlets, reaction templates and pressure; none: media are injects only."
    )

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        """Every way a scenario comes in checks its texts first; this stops any other way too."""
        problem = find_text_problem(data)
        if problem is not None:
            raise ValueError(f"{problem[0]}: {problem[1]}")
        return data

    def team(self, team_id: str) -> Team:
        return next(team for team in self.teams if team.id == team_id)

    def other_team(self, team_id: str) -> str:
        return next(team.id for team in self.teams if team.id != team_id)

    def action(self, action_id: str) -> CatalogAction | None:
        return next((action for action in self.actions if action.id == action_id), None)

    def inject(self, inject_id: str) -> Inject | None:
        return next((inject for inject in self.injects if inject.id == inject_id), None)

    def channel(self, channel_id: str) -> Channel | None:
        return next((channel for channel in self.channels if channel.id == channel_id), None)

    def role(self, team_id: str, role_id: str) -> Role | None:
        team = next((team for team in self.teams if team.id == team_id), None)
        if team is None:
            return None
        return next((role for role in team.roles if role.id == role_id), None)

    def channels_of_kind(self, kind: ChannelKind) -> list[Channel]:
        return [channel for channel in self.channels if channel.kind is kind]

    def holders(self, channel_id: str) -> list[tuple[str, str]]:
        """(team, role) pairs whose role may use ``channel_id``, in file order."""
        return [(team.id, role.id) for team in self.teams for role in team.roles if channel_id in role.channels]

    def letter_media(self, channel_id: str) -> dict[str, int]:
        """Medium → delay in seconds of the written messages ``channel_id`` carries; empty for most channels."""
        channel = self.channel(channel_id)
        if channel is None or channel.kind is not ChannelKind.call:
            return {}
        if channel.letters is not None:
            return channel.letters.media()
        leaders_line = any(role == LEADER_ROLE for _, role in self.holders(channel_id))
        return DEFAULT_LETTERS.media() if leaders_line else {}


def scenario_json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://hotline.example/scenario.schema.json"
    schema["title"] = "Hotline scenario"
    return schema
