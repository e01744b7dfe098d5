"""Bilingual play: every console switches between English and Simplified Chinese at any moment, shows the
scenario's own translations (and the original text where it has none), and loses nothing on the way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.engine.events import EventType
from app.reports.describe import TYPE_NAMES
from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

STATIC = Path(__file__).resolve().parents[2] / "static"
# One entry: 'key': 'text', or "text" when it holds an apostrophe; long texts start on the next line.
PROPER_NAMES = {"app.name", "report.export_md"}  # "Hotline" and "Markdown" are the same in both
ENTRY = re.compile(r"""^\s*'([^']+)':\s*\n?\s*(['"])((?:(?!\2)[^\\]|\\.)*)\2,\s*$""", re.MULTILINE)


def dictionary(name: str) -> dict[str, str]:
    """Key → text of one dictionary in static/i18n/."""
    text = (STATIC / "i18n" / name).read_text(encoding="utf-8")
    return {key: value for key, _, value in ENTRY.findall(text)}


def test_the_chinese_dictionary_has_every_english_string_with_the_same_placeholders() -> None:
    english, chinese = dictionary("en.js"), dictionary("zh-CN.js")
    assert len(english) > 600 and len(chinese) > 600, "every entry is read"
    assert sorted(set(english) - set(chinese)) == [], "every English string has a Chinese one"
    assert sorted(set(chinese) - set(english)) == [], "no Chinese string is left over"

    def filled(text: str) -> list[str]:
        return sorted(re.findall(r"\{\w+\}", text))

    differ = [key for key in english if filled(english[key]) != filled(chinese[key])]
    assert differ == [], "a translation fills in the same values"
    untranslated = [
        key
        for key in english
        if english[key] == chinese[key] and re.search(r"[a-z]{4}", english[key]) and key not in PROPER_NAMES
    ]
    assert untranslated == [], "English words left in the Chinese dictionary"


def test_the_report_names_every_kind_of_event_in_words_in_every_language() -> None:
    """The events table, the Markdown and the report page never show a raw type name like ``letter_sent``."""
    for name in ("en.js", "zh-CN.js"):
        named = {key.removeprefix("report.type.") for key in dictionary(name) if key.startswith("report.type.")}
        assert sorted(kind.value for kind in EventType if kind.value not in named) == [], name
    assert sorted(kind.value for kind in EventType if kind not in TYPE_NAMES) == []


@pytest.mark.browser
def test_a_team_console_switches_to_chinese_and_back_without_losing_anything(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")  # releases I1, which the scenario translates into Chinese
    page = consoles.open().page
    page.goto(seat_url(exercise, "blue", None))
    inject = page.locator('.feed-item[data-inject="I1"]')
    expect(inject.locator(".item-title")).to_have_text("Collision at sea")
    chat = page.locator(".chat-panel")
    chat.get_by_label("Message to your team").fill("Call Beijing before the press conference.")
    switch = page.get_by_role("group", name="Language")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    switch.get_by_role("button", name="中文").click()
    expect(inject.locator(".item-title")).to_have_text("海上相撞")
    expect(inject.locator(".item-text")).to_have_text("一架巡逻机与一架拦截机相撞。")
    expect(inject.locator(".originator")).to_have_text("Wire service")  # no translation: the original text
    expect(page.locator("#feed h2")).to_have_text("情况通报")
    expect(chat.get_by_role("button", name="发送")).to_be_visible()
    expect(page.locator(".clock .status-badge")).to_have_text("进行中")
    expect(page.locator("#exercise-title")).to_have_text("小型危机")  # the scenario's title, translated
    expect(chat.get_by_label("发给本团队的消息")).to_have_value("Call Beijing before the press conference.")
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"

    page.reload()  # the choice is kept in this browser
    expect(inject.locator(".item-title")).to_have_text("海上相撞")
    expect(page.get_by_role("group", name="语言").get_by_role("button", name="中文")).to_have_attribute(
        "aria-pressed", "true"
    )

    # At ENDEX the notice and the hot-wash form are Chinese too, and a half-written answer survives a switch.
    server.command(exercise["id"], "end", reason="ENDEX")
    ended = page.locator("#ended")
    expect(ended).to_contain_text("演练结束（ENDEX）")
    hotwash = page.locator(".hotwash-form")
    expect(hotwash.locator("h3")).to_have_text("即时讲评")
    hotwash.get_by_label("哪些做法有效？").fill("我们先打了热线。")
    page.get_by_role("button", name="English").click()
    expect(hotwash.locator("h3")).to_have_text("Hot wash")
    expect(hotwash.get_by_label("What worked?")).to_have_value("我们先打了热线。")
    expect(inject.locator(".item-title")).to_have_text("Collision at sea")
    expect(ended).to_contain_text("ENDEX — the exercise has ended")
    # On a wide screen the ENDEX notice keeps its height: its form stays clear of the grid below it.
    notice_bottom = ended.evaluate("panel => panel.getBoundingClientRect().bottom")
    grid_top = page.locator(".play-grid").evaluate("grid => grid.getBoundingClientRect().top")
    assert notice_bottom <= grid_top, f"the ENDEX notice ({notice_bottom}) runs under the grid ({grid_top})"
    assert consoles.problems() == []
