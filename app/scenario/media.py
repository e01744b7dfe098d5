"""The media world of a scenario (``media:``): personas, outlets, trending hashtags, reaction templates and
the parameters of each team's domestic pressure (docs/scenario-format.md, "Media").

A scenario without ``media:`` plays as before: injects on the news and social channels, no reactions and
no pressure. With it, every public move and statement of a team draws the reactions its templates match,
and each team's pressure index moves (``app.media.pressure``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Handle = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9_]{1,30}$",
        description="A social-media handle without the '@': letters, digits and '_'.",
    ),
]
MediaId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
MediaText = Annotated[str, Field(min_length=1, max_length=2000)]
Hashtag = Annotated[str, Field(pattern=r"^#?[^\s#]{1,60}$", description="A hashtag, with or without its '#'.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Stance(StrEnum):
    hawk = "hawk"  # wants a firm answer; pushes its own government to act
    dove = "dove"  # wants calm and talks; relieves the pressure on its own government
    commentator = "commentator"  # the other country's voice, or a neutral analyst


class Persona(_Strict):
    handle: Handle
    name: Annotated[str, Field(min_length=1, max_length=80)] = Field(description="The display name.")
    country: MediaId = Field(description="The team whose country the persona speaks from.")
    stance: Stance
    verified: bool = False
    language: str = Field(default="en", description="The language the persona writes in (BCP 47).")
    names: dict[str, str] = Field(default_factory=dict, description="Language → the display name in it.")


class Outlet(_Strict):
    id: MediaId
    name: Annotated[str, Field(min_length=1, max_length=80)]
    country: MediaId = Field(description="The team whose country the outlet publishes in.")
    language: str = "en"
    names: dict[str, str] = Field(default_factory=dict, description="Language → the outlet's name in it.")


class Localized(_Strict):
    """A text in the scenario's language (``en``) and in Chinese (``zh``); others may follow."""

    en: MediaText
    zh: MediaText | None = None


MoveKind = Literal["action", "statement", "silence"]


def _actions_only() -> list[MoveKind]:
    return ["action"]


class ReactionMatch(_Strict):
    """Which moves a template answers: all conditions must hold."""

    kinds: list[MoveKind] = Field(
        default_factory=_actions_only,
        description="'action' (a catalog move), 'statement' (a free public statement) or 'silence' (the team "
        "has said nothing in public for the silence window while its pressure is high).",
    )
    tags: list[str] = Field(default_factory=list, description="The move carries at least one of these tags.")
    max_weight: float | None = Field(default=None, description="The move's weight is at most this (hostile moves).")
    min_weight: float | None = Field(default=None, description="The move's weight is at least this.")
    actions: list[MediaId] = Field(default_factory=list, description="The move is one of these catalog actions.")


class ReactionTemplate(_Strict):
    """A reaction: a post by a persona or an article by an outlet, ``delay`` after the move it answers."""

    id: MediaId
    about: str = Field(
        default="any",
        description="'own': the team of the persona's or outlet's country moved; 'other': the other team moved; "
        "'any': either.",
        pattern=r"^(own|other|any)$",
    )
    match: ReactionMatch = Field(default_factory=ReactionMatch)
    persona: Handle | None = Field(default=None, description="Posts as this persona (social feed).")
    outlet: MediaId | None = Field(default=None, description="Publishes in this outlet (news site).")
    delay: int = Field(default=600, ge=0, le=7 * 24 * 3600, description="Seconds of scenario time after the move.")
    headline: Localized | None = Field(default=None, description="Articles: the headline.")
    text: Localized = Field(
        description="The post or the article. {team} names the team that moved, {other} the other team, "
        "{action} the move's label.",
    )
    pressure: float = Field(
        default=0.0, ge=-50, le=50, description="Added to the pressure on the persona's or outlet's team."
    )


class PressureParams(_Strict):
    """How each team's domestic pressure (0–100) moves; the defaults are those of docs/scenario-format.md."""

    start: float = Field(default=20.0, ge=0, le=100)
    media_inject: float = Field(default=6.0, ge=0, le=50, description="A media inject that reaches the team.")
    hostile_move: float = Field(
        default=2.0, ge=0, le=20, description="Per point of negative weight of the other side's public move."
    )
    answer: float = Field(
        default=8.0, ge=0, le=50, description="Relief when the team itself answers with a public hostile move."
    )
    calming: float = Field(
        default=6.0, ge=0, le=50, description="Relief for a public move tagged reassurance, restraint or de_escalation."
    )
    statement: float = Field(default=2.0, ge=0, le=50, description="Relief for a free public statement.")
    leader_contact: float = Field(default=8.0, ge=0, le=50, description="Relief, both teams, for a leaders' call.")
    silence_threshold: float = Field(default=60.0, ge=0, le=100)
    silence_window: int = Field(
        default=3600, ge=60, le=7 * 24 * 3600, description="Seconds without a public word while pressure is high."
    )
    silence: float = Field(default=8.0, ge=0, le=50, description="Added each silence window the team stays silent.")


class MediaCast(_Strict):
    personas: list[Persona] = Field(default_factory=list)
    outlets: list[Outlet] = Field(default_factory=list)
    trending: dict[MediaId, list[Hashtag]] = Field(
        default_factory=dict, description="Team id → the hashtags trending in its country."
    )
    reactions: list[ReactionTemplate] = Field(default_factory=list)
    pressure: PressureParams = Field(default_factory=PressureParams)
    social_channel: MediaId = Field(default="social", description="The feed channel the social pane shows.")
    news_channel: MediaId = Field(default="news", description="The feed channel the news site shows.")

    def persona(self, handle: str) -> Persona | None:
        return next((persona for persona in self.personas if persona.handle == handle), None)

    def outlet(self, outlet_id: str) -> Outlet | None:
        return next((outlet for outlet in self.outlets if outlet.id == outlet_id), None)
