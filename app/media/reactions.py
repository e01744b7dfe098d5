"""Reactions: what the media say about the teams' public moves, and when.

A public move or statement of a team is matched against the scenario's reaction templates (``on``, tags,
weight, actions, and whether it is the persona's own country or the other that moved); each match falls
due ``delay`` later as one ``media_published`` event. A team whose pressure stays high while it says
nothing in public draws a silence post every silence window. Private moves never draw a reaction: the
public does not know of them.

Everything here is a function of the scenario, the log and a seed (the engine passes the scenario's id):
replaying the log schedules the same reactions, and they come out with the same words, likes and reposts,
in this run or any other that made the same moves at the same times.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from app.engine.events import ALL, SYSTEM, ActionTaken, Event, EventDraft, EventType, MediaPublished, draft
from app.media.pressure import PressureBoard, new_board
from app.scenario.media import Localized, MediaCast, ReactionTemplate, Stance
from app.scenario.schema import Scenario

SILENCE_TEXT = {
    "en": "Still not a word from {team}. #{tag}",
    "zh": "{team}至今一言不发。#{tag}",
}
SILENCE_TAG = {"en": "WhereIsTheGovernment", "zh": "政府在哪里"}
HALF_LIFE = 1800.0
"""Scenario seconds in which a post gathers half of its likes and reposts."""


@dataclass(frozen=True)
class Voice:
    """A team's public move or statement: what the media may react to."""

    seq: int
    at: float
    team: str
    on: str
    action_id: str = ""
    label: str = ""
    weight: float = 0.0
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PendingReaction:
    media_id: str
    at: float
    order: int
    template: int
    voice: Voice


@dataclass
class MediaState:
    board: PressureBoard
    pending: dict[str, PendingReaction] = field(default_factory=dict)
    published: set[str] = field(default_factory=set)


def new_media_state(scenario: Scenario) -> MediaState | None:
    board = new_board(scenario)
    return None if board is None else MediaState(board=board)


def voice_of(event: Event) -> Voice | None:
    team = event.actor.team
    if team is None:
        return None
    if event.type is EventType.statement_published:
        return Voice(seq=event.seq, at=event.scenario_time, team=team, on="statement")
    if event.type is EventType.action_taken:
        move = ActionTaken.model_validate(event.payload)
        if move.visibility != "public":
            return None
        return Voice(
            seq=event.seq,
            at=event.scenario_time,
            team=team,
            on="action",
            action_id=move.action_id,
            label=move.label,
            weight=move.weight,
            tags=frozenset(move.tags),
        )
    return None


def speaker_country(media: MediaCast, template: ReactionTemplate) -> str | None:
    if template.persona is not None:
        persona = media.persona(template.persona)
        return None if persona is None else persona.country
    outlet = media.outlet(template.outlet) if template.outlet is not None else None
    return None if outlet is None else outlet.country


def matches(media: MediaCast, template: ReactionTemplate, voice: Voice) -> bool:
    rule = template.match
    if voice.on not in rule.kinds:
        return False
    if rule.tags and not set(rule.tags) & voice.tags:
        return False
    if rule.actions and voice.action_id not in rule.actions:
        return False
    if rule.max_weight is not None and (voice.on != "action" or voice.weight > rule.max_weight):
        return False
    if rule.min_weight is not None and (voice.on != "action" or voice.weight < rule.min_weight):
        return False
    country = speaker_country(media, template)
    if country is None:
        return False
    return template.about == "any" or (template.about == "own") == (country == voice.team)


def apply_media(media_state: MediaState, scenario: Scenario, event: Event) -> None:
    """Fold one event: its pressure, the reactions it calls for, the reaction it publishes."""
    media = scenario.media
    assert media is not None
    media_state.board.apply(event)
    if event.type is EventType.media_published:
        media_id = str(event.payload["media_id"])
        media_state.published.add(media_id)
        media_state.pending.pop(media_id, None)
        return
    voice = voice_of(event)
    if voice is None:
        return
    for index, template in enumerate(media.reactions):
        media_id = f"{template.id}@{voice.seq}"
        if media_id not in media_state.published and matches(media, template, voice):
            order = voice.seq * 10_000 + index
            media_state.pending[media_id] = PendingReaction(media_id, voice.at + template.delay, order, index, voice)


def name_in(names: dict[str, str], language: str, default: str) -> str:
    """The name for ``language`` ('zh' matches 'zh-CN'), or ``default``."""
    return next((name for tag, name in names.items() if tag.split("-")[0] == language), default)


def _seeded(seed: str, media_id: str, salt: str, low: int, high: int) -> int:
    digest = hashlib.sha256(f"{seed}|{media_id}|{salt}".encode()).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low + 1)


def _team_names(scenario: Scenario, language: str) -> dict[str, str]:
    names = {team.id: team.name for team in scenario.teams}
    for tag, translation in scenario.translations.items():
        if tag.split("-")[0] == language:
            names.update({team: text.name for team, text in translation.teams.items() if text.name})
    return names


def _fill(text: str, scenario: Scenario, language: str, team: str, label: str) -> str:
    names = _team_names(scenario, language)
    values = {"team": names[team], "other": names[scenario.other_team(team)], "action": label}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


@dataclass(frozen=True)
class Speaker:
    """Who publishes: a persona (a post) or an outlet (an article)."""

    kind: Literal["post", "article"]
    country: str
    name: str
    names: dict[str, str]
    language: str
    verified: bool
    handle: str | None = None
    stance: str | None = None

    @classmethod
    def of(cls, media: MediaCast, template: ReactionTemplate, country: str) -> Speaker:
        persona = media.persona(template.persona) if template.persona else None
        if persona is not None:
            return cls(
                "post",
                country,
                persona.name,
                persona.names,
                persona.language,
                persona.verified,
                persona.handle,
                persona.stance.value,
            )
        outlet = media.outlet(template.outlet or "")
        assert outlet is not None, "the linter refuses a template without a persona or an outlet"
        return cls("article", country, outlet.name, outlet.names, outlet.language, True)


@dataclass(frozen=True)
class Wording:
    """What is said, in English and (when given) Chinese, about ``team`` and its move ``label``."""

    text: Localized
    headline: Localized | None = None
    team: str = ""
    label: str = ""


def _item(
    scenario: Scenario,
    speaker: Speaker,
    wording: Wording,
    *,
    media_id: str,
    cause: Literal["reaction", "silence"],
    seed: str,
    **fields: Any,
) -> EventDraft:
    team, label = wording.team, wording.label
    translations: dict[str, dict[str, str]] = {}
    if wording.text.zh is not None:
        zh = {
            "text": _fill(wording.text.zh, scenario, "zh", team, label),
            "name": name_in(speaker.names, "zh", speaker.name),
        }
        if wording.headline is not None and wording.headline.zh is not None:
            zh["headline"] = _fill(wording.headline.zh, scenario, "zh", team, label)
        translations["zh"] = zh
    reach = 20 if speaker.verified else 1
    published = MediaPublished(
        media_id=media_id,
        kind=speaker.kind,
        cause=cause,
        about_team=team,
        country=speaker.country,
        stance=speaker.stance,
        handle=speaker.handle,
        name=speaker.name,
        verified=speaker.verified,
        language=speaker.language,
        headline=_fill(wording.headline.en, scenario, "en", team, label) if wording.headline else "",
        text=_fill(wording.text.en, scenario, "en", team, label),
        translations=translations,
        likes=_seeded(seed, media_id, "likes", 40, 2_000) * reach,
        reposts=_seeded(seed, media_id, "reposts", 5, 400) * reach,
        half_life=HALF_LIFE,
        **fields,
    )
    return draft(EventType.media_published, SYSTEM, [ALL], published)


def reaction_draft(scenario: Scenario, state: MediaState, media_id: str, seed: str) -> EventDraft:
    """The ``media_published`` draft of a reaction that has fallen due."""
    media = scenario.media
    assert media is not None
    due = state.pending[media_id]
    template = media.reactions[due.template]
    voice = due.voice
    speaker = Speaker.of(media, template, speaker_country(media, template) or voice.team)
    trending = media.trending.get(speaker.country, [])
    hashtags = (
        [trending[_seeded(seed, media_id, "tag", 0, len(trending) - 1)]] if trending and speaker.kind == "post" else []
    )
    return _item(
        scenario,
        speaker,
        Wording(template.text, template.headline, voice.team, voice.label),
        media_id=media_id,
        cause="reaction",
        seed=seed,
        template=template.id,
        source_seq=voice.seq,
        hashtags=[tag if tag.startswith("#") else f"#{tag}" for tag in hashtags],
        pressure={speaker.country: template.pressure} if template.pressure else {},
    )


def silence_draft(scenario: Scenario, state: MediaState, team: str, seed: str) -> EventDraft:
    """The post a team's silence draws: the scenario's own silence template for that country, or a plain one."""
    media = scenario.media
    assert media is not None
    count = state.board.teams[team].silence_posts
    media_id = f"silence:{team}:{count + 1}"
    candidates = [
        template
        for template in media.reactions
        if "silence" in template.match.kinds and template.persona and speaker_country(media, template) == team
    ]
    if candidates:
        template = candidates[count % len(candidates)]
        speaker, text, template_id = Speaker.of(media, template, team), template.text, template.id
    else:
        trending = media.trending.get(team, [])
        tag = trending[0].lstrip("#") if trending else SILENCE_TAG["en"]
        speaker = Speaker("post", team, "#" + tag, {}, "en", False, stance=Stance.hawk.value)
        text = Localized(
            en=SILENCE_TEXT["en"].replace("{tag}", tag), zh=SILENCE_TEXT["zh"].replace("{tag}", SILENCE_TAG["zh"])
        )
        template_id = None
    return _item(
        scenario,
        speaker,
        Wording(text, None, team),
        media_id=media_id,
        cause="silence",
        seed=seed,
        template=template_id,
        pressure={team: state.board.params.silence},
    )
