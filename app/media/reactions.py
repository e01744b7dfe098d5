"""Reactions: what the media say about the teams' public moves, and when.

A public move or statement of a team is matched against the scenario's reaction templates (``on``, tags,
weight, actions, and whether it is the persona's own country or the other that moved); each match falls
due ``delay`` later as one ``media_published`` event. A team whose pressure stays high while it says
nothing in public draws a silence post every silence window. Private moves never draw a reaction: the
public does not know of them.

Everything here is a function of the scenario, the log and the exercise id (the seed): replaying the log
schedules the same reactions, and they come out with the same words, likes and reposts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from app.engine.events import ALL, SYSTEM, ActionTaken, Event, EventDraft, EventType, MediaPublished, draft
from app.media.pressure import PressureBoard, new_board
from app.scenario.media import MediaCast, ReactionTemplate, Stance
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


def reaction_draft(scenario: Scenario, state: MediaState, media_id: str, seed: str) -> EventDraft:
    """The ``media_published`` draft of a reaction that has fallen due."""
    media = scenario.media
    assert media is not None
    due = state.pending[media_id]
    template = media.reactions[due.template]
    voice = due.voice
    country = speaker_country(media, template) or voice.team
    persona = media.persona(template.persona) if template.persona else None
    outlet = media.outlet(template.outlet) if template.outlet else None
    language = persona.language if persona else (outlet.language if outlet else "en")
    name = persona.name if persona else (outlet.name if outlet else "")
    names = persona.names if persona else (outlet.names if outlet else {})
    translations: dict[str, dict[str, str]] = {}
    if template.text.zh is not None:
        zh = {
            "text": _fill(template.text.zh, scenario, "zh", voice.team, voice.label),
            "name": name_in(names, "zh", name),
        }
        if template.headline is not None and template.headline.zh is not None:
            zh["headline"] = _fill(template.headline.zh, scenario, "zh", voice.team, voice.label)
        translations["zh"] = zh
    verified = persona.verified if persona else True
    trending = media.trending.get(country, [])
    hashtags = [trending[_seeded(seed, media_id, "tag", 0, len(trending) - 1)]] if trending and persona else []
    reach = 20 if verified else 1
    published = MediaPublished(
        media_id=media_id,
        kind="post" if persona else "article",
        cause="reaction",
        template=template.id,
        source_seq=voice.seq,
        about_team=voice.team,
        country=country,
        stance=persona.stance.value if persona else None,
        handle=persona.handle if persona else None,
        name=name,
        verified=verified,
        language=language,
        headline=_fill(template.headline.en, scenario, "en", voice.team, voice.label) if template.headline else "",
        text=_fill(template.text.en, scenario, "en", voice.team, voice.label),
        hashtags=[tag if tag.startswith("#") else f"#{tag}" for tag in hashtags],
        translations=translations,
        pressure={country: template.pressure} if template.pressure else {},
        likes=_seeded(seed, media_id, "likes", 40, 2_000) * reach,
        reposts=_seeded(seed, media_id, "reposts", 5, 400) * reach,
        half_life=HALF_LIFE,
    )
    return draft(EventType.media_published, SYSTEM, [ALL], published)


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
    pressure = {team: state.board.params.silence}
    if candidates:
        template = candidates[count % len(candidates)]
        persona = media.persona(template.persona or "")
        assert persona is not None
        text, zh = template.text.en, template.text.zh
        handle, name, stance, verified = persona.handle, persona.name, persona.stance.value, persona.verified
        names, language = persona.names, persona.language
    else:
        trending = media.trending.get(team, [])
        tag = trending[0].lstrip("#") if trending else SILENCE_TAG["en"]
        text, zh = SILENCE_TEXT["en"].replace("{tag}", tag), SILENCE_TEXT["zh"].replace("{tag}", SILENCE_TAG["zh"])
        handle, name, stance, verified, names, language = None, "#" + tag, Stance.hawk.value, False, {}, "en"
    translations = (
        {"zh": {"text": _fill(zh, scenario, "zh", team, ""), "name": name_in(names, "zh", name)}} if zh else {}
    )
    published = MediaPublished(
        media_id=media_id,
        kind="post",
        cause="silence",
        template=candidates[count % len(candidates)].id if candidates else None,
        about_team=team,
        country=team,
        stance=stance,
        handle=handle,
        name=name,
        verified=verified,
        language=language,
        text=_fill(text, scenario, "en", team, ""),
        translations=translations,
        pressure=pressure,
        likes=_seeded(seed, media_id, "likes", 200, 5_000),
        reposts=_seeded(seed, media_id, "reposts", 50, 1_500),
        half_life=HALF_LIFE,
    )
    return draft(EventType.media_published, SYSTEM, [ALL], published)
