"""The after-action report as data: what the JSON export holds and every renderer reads.

The outline follows the HSEEP after-action report / improvement plan (AAR/IP): an overview, the
analysis of each objective with its P/S/M/U rating, strengths and areas for improvement, the score
card, the dual-clock timeline, the events, evaluator observations, hot-wash answers and the
improvement plan. Every finding cites the seqs of the events behind it, so a reader can check it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from app.scoring.model import ScoreCard, TaskRating

REPORT_FORMAT = 1

Rating = Literal["P", "S", "M", "U"]
EventCategory = Literal[
    "inject", "action", "contact", "message", "chat", "control", "evaluation", "hotwash", "admin", "media"
]

RATING_NAMES: dict[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}


class RoleInfo(BaseModel):
    id: str
    name: str


class TeamInfo(BaseModel):
    id: str
    name: str
    roles: list[RoleInfo]


class Participant(BaseModel):
    """One seat handed out for the exercise, and whether anyone used it."""

    seat_id: str
    label: str
    kind: Literal["player", "observer"]
    team: str | None = None
    role: str | None = Field(default=None, description="None for a team seat holding every role.")
    joined: bool = Field(description="The seat connected at least once.")
    revoked: bool = False
    events: int = Field(description="Events this seat recorded (moves, messages, calls, …).")


class ObjectiveInfo(BaseModel):
    id: str
    title: str
    description: str = ""


class Overview(BaseModel):
    exercise_id: str
    title: str
    scenario_id: str
    scenario_title: str
    scenario_version: int
    scenario_summary: str
    status: str
    imported: bool = False
    created_at: datetime
    startex: datetime | None = Field(description="Wall time of STARTEX; None before it.")
    endex: datetime | None = Field(description="Wall time of ENDEX; None while the exercise runs.")
    wall_duration: float | None = Field(description="Wall seconds from STARTEX to ENDEX (or to the last event).")
    scenario_reached: float = Field(description="Scenario time of the last event.")
    scenario_end: float = Field(description="Planned ENDEX in scenario time.")
    compression: float = Field(description="Compression at launch (scenario seconds per wall second).")
    compressions: list[float] = Field(description="Every compression used, in order.")
    teams: list[TeamInfo]
    participants: list[Participant]
    objectives: list[ObjectiveInfo]
    event_count: int
    counts: dict[str, int] = Field(description="Events per category (inject, action, contact, …).")


class Finding(BaseModel):
    """A strength or an area for improvement, with the events it rests on."""

    text: str
    team: str | None = None
    source: Literal["task", "metric", "observation"]
    evidence: list[int] = Field(default_factory=list)


class TeamTask(TaskRating):
    team: str


class ObjectiveRating(BaseModel):
    team: str | None = Field(description="None for an evaluator's rating of the objective as a whole.")
    rating: Rating | None
    source: Literal["tasks", "evaluator", "none"]
    explanation: str
    evidence: list[int] = Field(default_factory=list)


class Observation(BaseModel):
    seq: int
    wall_time: datetime
    scenario_time: float
    author: str
    text: str
    objective_id: str | None = None
    rating: Rating | None = None
    linked_seqs: list[int] = Field(default_factory=list)


class ObjectiveAnalysis(BaseModel):
    id: str
    title: str
    description: str = ""
    rating: Rating | None = Field(description="The headline rating: the evaluator's if given, else from the tasks.")
    rating_source: Literal["tasks", "evaluator", "none"]
    ratings: list[ObjectiveRating] = Field(description="Per team from its tasks, then the evaluator's if any.")
    tasks: list[TeamTask]
    strengths: list[Finding]
    improvements: list[Finding]
    notes: list[Observation] = Field(default_factory=list, description="Unrated observations on this objective.")


class ExecutiveSummary(BaseModel):
    strengths: list[Finding]
    improvements: list[Finding]


class PauseSpan(BaseModel):
    seq: int
    wall_start: datetime
    wall_end: datetime | None = Field(description="None while still paused.")
    scenario_time: float
    reason: str


class ClockJump(BaseModel):
    seq: int
    wall_time: datetime
    from_time: float
    to_time: float


class CompressionChange(BaseModel):
    seq: int
    wall_time: datetime
    scenario_time: float
    compression: float


class ClockAnchorPoint(BaseModel):
    """From this wall time on, scenario time is ``scenario + (wall' - wall) * compression`` (if running)."""

    seq: int
    wall: datetime
    scenario: float
    compression: float
    running: bool


class ClockRecord(BaseModel):
    anchors: list[ClockAnchorPoint]
    pauses: list[PauseSpan]
    jumps: list[ClockJump]
    compression_changes: list[CompressionChange]


class ReportEvent(BaseModel):
    """One row of the events table and one point of the timeline."""

    seq: int
    type: str
    category: EventCategory
    wall_time: datetime
    scenario_time: float
    team: str | None = None
    who: str
    text: str
    band: int | None = None
    weight: float | None = None
    type_name: str = Field(default="", description="The event type in words: 'Inject released', 'Seat issued'.")
    not_played: Literal["jump", "paused"] | None = Field(
        default=None,
        description="An inject the teams never had time to play: released by a jump, or while the clock was paused.",
    )


class EscalationPoint(BaseModel):
    seq: int
    wall_time: datetime
    scenario_time: float
    band: int
    label: str


class EscalationSeries(BaseModel):
    team: str
    name: str
    points: list[EscalationPoint] = Field(description="The team's moves in order; its band is that of its last move.")
    peak_band: int | None


class PressurePoint(BaseModel):
    scenario_time: float
    value: float = Field(ge=0, le=100)


class PressureSeries(BaseModel):
    team: str
    name: str
    points: list[PressurePoint] = Field(description="Each change of the team's domestic pressure, from STARTEX on.")
    peak: float


class HotwashAnswer(BaseModel):
    seq: int
    team: str | None
    who: str | None = Field(description="The seat that answered; None when the player chose anonymity.")
    anonymous: bool
    rating: int
    worked: str
    did_not_work: str
    pressure: str = Field(default="", description="How the domestic pressure was felt (scenarios with media).")


class Hotwash(BaseModel):
    answers: list[HotwashAnswer]
    mean_rating: float | None
    ratings: dict[str, int] = Field(description="How many answers gave each rating 1–5.")


def _date_text(value: object) -> object:
    """A due date comes as ``YYYY-MM-DD`` text (or a date, from the database); a number is not a date."""
    if value is None or isinstance(value, str | date):
        return value
    raise PydanticCustomError("date_type", "must be a date (YYYY-MM-DD)")


class ImprovementItemIn(BaseModel):
    """What the facilitator writes for one row of the improvement plan (a strict request body)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    issue: str = Field(min_length=1, max_length=2000, description="The area for improvement.")
    corrective_action: str = Field(default="", max_length=4000)
    owner: str = Field(default="", max_length=200, description="Who is responsible (organisation or person).")
    due_date: Annotated[date | None, Field(strict=False), BeforeValidator(_date_text)] = None
    objective_id: str | None = Field(default=None, max_length=64)


class ArchivedPlanItem(ImprovementItemIn):
    """A row of the improvement plan as the JSONL archive keeps it: what was written, and when."""

    model_config = ConfigDict(strict=False, extra="forbid")  # read back from JSON, where times are text

    created_at: datetime
    updated_at: datetime


class ImprovementItem(ImprovementItemIn):
    id: int
    exercise_id: str
    created_at: datetime
    updated_at: datetime


class Report(BaseModel):
    format: int = REPORT_FORMAT
    generated_at: datetime
    final: bool = Field(description="True once the exercise has ended: the report will not change any more.")
    last_seq: int
    overview: Overview
    summary: ExecutiveSummary
    objectives: list[ObjectiveAnalysis]
    scorecard: ScoreCard
    clock: ClockRecord
    escalation: list[EscalationSeries]
    pressure: list[PressureSeries] = Field(
        default_factory=list, description="Each team's domestic pressure; empty without a media world."
    )
    events: list[ReportEvent]
    observations: list[Observation]
    hotwash: Hotwash
    plan: list[ImprovementItem]

    def team_name(self, team: str | None) -> str:
        if team is None:
            return ""
        return next((info.name for info in self.overview.teams if info.id == team), team)
