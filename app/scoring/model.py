"""The score card: what scoring returns, what the live scoreboard shows and what the report cites.

Every metric is a value 0–100 or None (N/A: its trigger never happened), a one-line explanation in
plain words, the essay theme it stands for, and the seqs of the events behind it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class MetricResult(BaseModel):
    id: str = Field(description="LC, MM, RX, OV, MR, AP, GO, TP, PC or OBJ.")
    name: str = Field(description="e.g. 'Leader contact'.")
    theme: str = Field(description="The essay theme it stands for, e.g. 'leaders in direct contact early'.")
    value: float | None = Field(description="0–100, or None when not applicable.")
    explanation: str = Field(description="One line in plain words.")
    evidence: list[int] = Field(default_factory=list, description="Seqs of the events behind the value.")


class TaskRating(BaseModel):
    """One scenario task (or a decision inject's implied task) as rated for one team."""

    task_id: str = Field(description="The scenario task id, or 'decision:<inject id>' for a decision inject.")
    title: str
    objective_id: str | None = None
    critical: bool = Field(description="Only critical tasks and decisions count towards OBJ.")
    rating: Literal["P", "S", "M", "U"] | None = Field(
        description="None: not rated yet (still open, or awaiting an evaluator)."
    )
    value: float | None = Field(description="P/S/M/U = 100/70/35/0; None when not rated.")
    source: Literal["log", "evaluator", "decision"] = Field(
        description="Rated automatically from the log, by an evaluator, or from a decision window."
    )
    automatic: bool = Field(
        default=False,
        description="The log can decide this task: it is rated automatically unless an evaluator overrides.",
    )
    from_log: Literal["P", "S", "M", "U"] | None = Field(
        default=None, description="When an evaluator overrode an automatic rating: what the log said."
    )
    explanation: str
    rationale: str | None = Field(default=None, description="The evaluator's written rationale.")
    evidence: list[int] = Field(default_factory=list)


class TeamScore(BaseModel):
    team: str
    score: float = Field(description="Weighted team score 0–100 (N/A weights spread pro rata).")
    gate: float = Field(description="Activity gate G in [0, 1] applied to RX, OV, MR and GO.")
    metrics: dict[str, MetricResult]
    indicators: dict[str, Any] = Field(
        default_factory=dict, description="Shown but not scored: Richardson reactivity, restraint, public threats."
    )
    tasks: list[TaskRating] = Field(default_factory=list, description="Every task behind OBJ, rated for this team.")


class JointScore(BaseModel):
    value: float
    phi: float = Field(description="Factor from the peak band reached by anyone.")
    peak_band: int
    jt: float = Field(description="100·(1 − spiral turns / exchanges).")
    spiral_turns: int
    exchanges: int
    bonus: float
    explanation: str
    evidence: list[int] = Field(default_factory=list)
    left_peak_at: float | None = Field(
        default=None, description="Scenario time the crisis first came down from its peak band; None if it never did."
    )
    final_band: int = Field(default=0, description="The level of the crisis at the newest event.")


class ScoreCard(BaseModel):
    scenario_id: str
    last_seq: int = Field(description="The newest event the card reflects.")
    scenario_time: float = Field(description="Scenario time of that event.")
    teams: dict[str, TeamScore]
    joint: JointScore
    resolution_time: float | None = Field(
        default=None,
        description="Scenario time of the first hour in which both sides' cooperation outnumbered coercion.",
    )
