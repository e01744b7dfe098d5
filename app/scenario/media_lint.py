"""Cross-reference checks of a scenario's media world (``media:``), for ``app.scenario.linter``.

Personas and outlets speak from one of the two teams' countries; trending tags belong to a team; every
reaction template names exactly one persona or outlet that exists, an article has a headline, and the
texts come in every language the scenario is translated into (English and Chinese for the bundled ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.scenario.loader import Loc
from app.scenario.media import MediaCast
from app.scenario.schema import ChannelKind, PressureReached, Scenario

Add = Callable[[Loc, str], None]
Ref = Callable[[Loc, str, str | None, Iterable[str]], None]
Unique = Callable[[str, Iterable[tuple[Loc, str]]], None]


def check_media(scenario: Scenario, add: Add, ref: Ref, unique: Unique) -> None:
    media = scenario.media
    teams = {team.id for team in scenario.teams}
    if media is None:
        for i, inject in enumerate(scenario.injects):
            if isinstance(inject.condition, PressureReached):
                add(("injects", i, "condition"), "pressure_reached needs a media world: add 'media:' to the scenario")
        return
    _check_cast(scenario, media, teams, add, ref, unique)
    _check_templates(scenario, media, add, ref, unique)


def _check_cast(scenario: Scenario, media: MediaCast, teams: set[str], add: Add, ref: Ref, unique: Unique) -> None:
    loc: Loc = ("media",)
    feeds = {channel.id for channel in scenario.channels_of_kind(ChannelKind.feed)}
    for name in ("social_channel", "news_channel"):
        ref((*loc, name), "feed channel", getattr(media, name), feeds)
    unique("persona", (((*loc, "personas", i, "handle"), p.handle) for i, p in enumerate(media.personas)))
    unique("outlet", (((*loc, "outlets", i, "id"), o.id) for i, o in enumerate(media.outlets)))
    for i, persona in enumerate(media.personas):
        ref((*loc, "personas", i, "country"), "team", persona.country, teams)
    for i, outlet in enumerate(media.outlets):
        ref((*loc, "outlets", i, "country"), "team", outlet.country, teams)
    for team in media.trending:
        ref((*loc, "trending", team), "team", team, teams)


def _check_templates(scenario: Scenario, media: MediaCast, add: Add, ref: Ref, unique: Unique) -> None:
    handles = {persona.handle for persona in media.personas}
    outlets = {outlet.id for outlet in media.outlets}
    actions = {action.id for action in scenario.actions}
    chinese = any(language.split("-")[0] == "zh" for language in scenario.translations)
    unique("reaction", ((("media", "reactions", i, "id"), t.id) for i, t in enumerate(media.reactions)))
    for i, template in enumerate(media.reactions):
        loc: Loc = ("media", "reactions", i)
        if (template.persona is None) == (template.outlet is None):
            add(loc, "a reaction is either a post by a 'persona' or an article in an 'outlet': name exactly one")
        ref((*loc, "persona"), "persona", template.persona, handles)
        ref((*loc, "outlet"), "outlet", template.outlet, outlets)
        if template.outlet is not None and template.headline is None:
            add((*loc, "headline"), "an article needs a headline")
        if "silence" in template.match.kinds and template.persona is None:
            add((*loc, "match", "kinds"), "silence is answered by a persona's post, not by an article")
        for j, action in enumerate(template.match.actions):
            ref((*loc, "match", "actions", j), "action", action, actions)
        if chinese:
            for part in ("text", "headline"):
                text = getattr(template, part)
                if text is not None and text.zh is None:
                    add((*loc, part), "the scenario is translated into Chinese: give this text in 'zh' too")
