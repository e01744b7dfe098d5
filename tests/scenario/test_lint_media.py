"""Lint rules of the media world: each points at the line of the mistake and says what to write."""

from __future__ import annotations

import pytest

from tests.scenario.helpers import FIXTURES, problem_at, problems_in, variant

MEDIA_TEXT = (FIXTURES / "media" / "mini-media.yaml").read_text(encoding="utf-8")


def test_the_fixture_is_clean() -> None:
    assert problems_in(MEDIA_TEXT) == []


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        (
            "      persona: eagle_eye\n",
            "      persona: eagle_eyes\n",
            "media.reactions[0].persona",
            "there is no persona 'eagle_eyes'; did you mean 'eagle_eye'?",
        ),
        (
            "      outlet: capital-post\n",
            "      outlet: capitol-post\n",
            "media.reactions[3].outlet",
            "there is no outlet 'capitol-post'",
        ),
        (
            "      persona: calm_waters\n",
            "      persona: calm_waters\n      outlet: capital-post\n",
            "media.reactions[1]",
            "name exactly one",
        ),
        (
            '      headline: {en: "{team}: {action}", zh: "{team}：{action}"}\n',
            "",
            "media.reactions[3].headline",
            "an article needs a headline",
        ),
        (
            'text: {en: "Washington speaks; Beijing listens.", zh: "华盛顿发声，北京在听。"}',
            'text: {en: "Washington speaks; Beijing listens."}',
            "media.reactions[2].text",
            "give this text in 'zh' too",
        ),
        (
            "{handle: calm_waters, name: Calm Waters, country: blue",
            "{handle: calm_waters, name: Calm Waters, country: green",
            "media.personas[1].country",
            "there is no team 'green'",
        ),
        (
            "{type: pressure_reached, team: blue, at_least: 60}",
            "{type: pressure_reached, team: bleu, at_least: 60}",
            "injects[8].condition.team",
            "there is no team 'bleu'",
        ),
        (
            "  pressure:\n    start: 30",
            "  news_channel: wire\n  pressure:\n    start: 30",
            "media.news_channel",
            "there is no feed channel 'wire'",
        ),
    ],
)
def test_media_mistakes_are_pointed_out(old: str, new: str, path: str, message: str) -> None:
    problem = problem_at(variant(old, new, MEDIA_TEXT), path)
    assert message in problem.message


def test_pressure_condition_without_a_media_world_is_refused() -> None:
    text = MEDIA_TEXT[: MEDIA_TEXT.index("\nmedia:\n")] + "\n"
    assert "needs a media world" in problem_at(text, "injects[8].condition").message
