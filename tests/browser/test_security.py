"""Text from the server and from other players is shown as text, never run as markup; pages send a CSP."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

STATIC = Path(__file__).resolve().parents[2] / "static"
IMG_ATTACK = '<img src=x onerror="window.__pwned = 1; alert(1)">'
SCRIPT_ATTACK = "<script>window.__pwned = 2; alert(2)</script>"
REDOC_LOGO = "Loading the image 'https://cdn.redoc.ly/redoc/logo-mini.svg' violates"


def no_markup_ran(page: Page, dialogs: list[Dialog]) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("() => [...document.scripts].filter(s => !s.src).length") == 0
    assert dialogs == []


@pytest.mark.browser
def test_inject_texts_and_player_messages_show_as_plain_text(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    blue = consoles.open().page
    red = consoles.open().page
    control = consoles.open().page
    dialogs: list[Dialog] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog)
        dialog.dismiss()

    for page in (blue, red, control):
        page.on("dialog", record)
    blue.goto(seat_url(exercise, "blue", None))
    red.goto(seat_url(exercise, "red", "leader"))
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    expect(blue.locator(".connection")).to_have_attribute("data-state", "open")
    expect(red.locator(".connection")).to_have_attribute("data-state", "open")

    server.command(exercise["id"], "adhoc_inject", audience="all", channel="news", title=IMG_ATTACK, text=SCRIPT_ATTACK)
    blue.locator(".chat-panel").get_by_label("Message to your team").fill(IMG_ATTACK)
    blue.locator(".chat-panel").get_by_role("button", name="Send").click()
    red.locator(".statements-panel").get_by_label("Statement", exact=True).fill(SCRIPT_ATTACK)
    red.get_by_role("button", name="Publish statement").click()
    red.locator("dialog").get_by_role("button", name="Publish statement").click()  # confirmed

    blue.get_by_role("tab", name="News").click()
    expect(blue.locator(".feed-item .item-title", has_text=IMG_ATTACK)).to_be_visible()
    expect(blue.locator(".feed-item .item-text", has_text=SCRIPT_ATTACK)).to_be_visible()
    expect(blue.locator(".chat-text")).to_have_text(IMG_ATTACK)
    expect(blue.locator(".public-move .item-text")).to_have_text(SCRIPT_ATTACK)
    expect(red.locator(".feed-item .item-title", has_text=IMG_ATTACK)).to_be_visible()
    expect(control.locator(".event-list")).to_contain_text(IMG_ATTACK)
    expect(control.locator(".event-list")).to_contain_text(SCRIPT_ATTACK)
    for page in (blue, red, control):
        no_markup_ran(page, dialogs)
    assert consoles.problems() == []


@pytest.mark.parametrize("path", ["/control", "/play/ex_any", "/report/ex_any", "/report/compare"])
def test_pages_send_a_strict_content_security_policy(server: HotlineServer, path: str) -> None:
    response = httpx.get(server.base_url + path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-cache"  # an upgraded server never meets stale scripts


@pytest.mark.browser
@pytest.mark.parametrize(("path", "heading"), [("/docs", ".information-container .title"), ("/redoc", "h1")])
def test_the_api_reference_renders_from_this_server_under_its_policy(
    server: HotlineServer, consoles: Consoles, path: str, heading: str
) -> None:
    console = consoles.open()
    elsewhere: list[str] = []
    answered_from = (server.base_url, f"blob:{server.base_url}")  # blob: is ReDoc's search worker, made in the page
    console.page.on(
        "response", lambda answer: None if answer.url.startswith(answered_from) else elsewhere.append(answer.url)
    )
    console.page.goto(server.base_url + path)
    expect(console.page.locator(heading).first).to_contain_text("Hotline")
    # ReDoc always tries to show its maker's logo from its CDN; the policy stops that, and nothing else.
    refused = [problem for problem in consoles.problems() if REDOC_LOGO not in problem]
    assert refused == []  # no script or style of the page refused by the Content-Security-Policy
    assert elsewhere == []  # nothing was fetched from anywhere else


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        if "style" in names:
            self.found.append(f"style= on <{tag}>")
        self.found.extend(f"{name}= on <{tag}>" for name in names if name.startswith("on"))


@pytest.mark.parametrize("page", ["control.html", "play.html", "report/report.html", "report/compare.html"])
def test_pages_have_no_inline_script_or_style(page: str) -> None:
    finder = _InlineFinder()
    finder.feed((STATIC / page).read_text(encoding="utf-8"))
    assert finder.found == []


def test_scripts_never_put_data_into_markup() -> None:
    offenders = [
        f"{path.relative_to(STATIC)}: {needle}"
        for path in STATIC.rglob("*.js")
        for needle in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
