"""The consoles at tablet width and with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

pytestmark = pytest.mark.browser


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"the page is {width}px wide"


def test_both_consoles_fit_a_tablet(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    team = consoles.open(width=768, height=1024).page
    team.goto(seat_url(exercise, "blue", None))
    expect(team.locator(".connection")).to_have_attribute("data-state", "open")
    for panel in (".feed-panel", ".actions-panel", ".chat-panel", ".call-channel"):
        expect(team.locator(panel).first).to_be_attached()
    expect(team.locator(".clock-time")).to_be_visible()
    assert_no_sideways_scroll(team)

    control = consoles.open(width=768, height=1024).page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    expect(control.locator("tr[data-seat]")).to_have_count(11)
    assert_no_sideways_scroll(control)
    control.get_by_role("tab", name="MSEL").click()
    assert_no_sideways_scroll(control)
    assert consoles.problems() == []


def test_keyboard_reaches_actions_and_dialogs_keep_focus(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    page = consoles.open().page
    page.goto(seat_url(exercise, "red", "leader"))
    expect(page.locator(".connection")).to_have_attribute("data-state", "open")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the main content")).to_be_focused()
    take = page.get_by_role("button", name="Take action: Blockade")
    for _ in range(40):
        page.keyboard.press("Tab")
        if take.evaluate("button => button === document.activeElement"):
            break
    expect(take).to_be_focused()
    outline = take.evaluate("button => getComputedStyle(button).outlineStyle")
    assert outline != "none", "the focused button shows where the focus is"

    page.keyboard.press("Enter")
    dialog = page.locator("dialog")
    expect(dialog).to_contain_text("band 4 (coercive force), weight −9.5")
    for _ in range(8):
        page.keyboard.press("Tab")
        assert dialog.evaluate("d => d.contains(document.activeElement)"), "focus stays in the open dialog"
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(take).to_be_focused()
    expect(page.locator(".moves .move")).to_have_count(0)  # Escape took no action
    assert consoles.problems() == []


def test_the_language_switch_hook_rebuilds_the_console_without_losing_anything(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    page = consoles.open().page
    page.goto(seat_url(exercise, "blue", None))
    chat = page.locator(".chat-panel")
    chat.get_by_label("Message to your team").fill("Draft the statement first.")
    chat.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-message")).to_have_count(1)
    before = page.locator(".feed-item").count()

    rebuilt = page.evaluate(
        """async () => {
            const marker = document.querySelector('.team-console');
            const i18n = await import('/static/js/i18n.js');
            await i18n.setLanguage('en');
            return document.querySelector('.team-console') !== marker;
        }"""
    )
    assert rebuilt, "a language change renders the console again"
    expect(page.locator(".chat-message")).to_have_count(1)
    expect(page.locator(".chat-text")).to_have_text("Draft the statement first.")
    assert page.locator(".feed-item").count() == before
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert consoles.problems() == []
