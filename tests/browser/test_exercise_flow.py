"""A facilitator and two team consoles play a short exercise end to end in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import Console, Consoles, SocketCutter, seq_list
from tests.browser.server import HotlineServer

pytestmark = pytest.mark.browser


def sees(audience: list[str], team: str, roles: set[str]) -> bool:
    return any(
        entry in ("all", f"team:{team}") or (entry.startswith(f"role:{team}:") and entry.split(":")[2] in roles)
        for entry in audience
    )


def create_exercise_in_the_control_console(server: HotlineServer, page: Page) -> str:
    page.goto(f"{server.base_url}/control#secret={server.secret}")
    expect(page.locator(".scenario-card")).to_have_count(1)
    assert "secret" not in page.url, "the secret must leave the address bar once read"
    page.locator("input[name=scenario][value=mini]").check()
    page.locator("#compression").fill("1")  # the clock barely moves; the test jumps instead of waiting
    page.get_by_role("button", name="Create exercise").click()
    expect(page.locator("tr[data-seat]")).to_have_count(11)
    match = re.search(r"exercise=(ex_[0-9a-f]+)", page.url)
    assert match, page.url
    return match.group(1)


def seat_link(page: Page, team: str, role: str) -> str:
    return page.locator(f'tr[data-team="{team}"][data-role="{role}"] .link-input').input_value()


def join(console: Console, url: str) -> Page:
    console.page.goto(url)
    expect(console.page.locator(".connection")).to_have_attribute("data-state", "open")
    assert "token" not in console.page.url, "the seat token must leave the address bar once read"
    return console.page


def test_a_short_exercise_from_lobby_to_endex(server: HotlineServer, consoles: Consoles) -> None:
    control = consoles.open().page
    exercise_id = create_exercise_in_the_control_console(server, control)

    blue_console = consoles.open()
    cutter = SocketCutter(blue_console.page)
    blue = join(blue_console, seat_link(control, "blue", ""))  # a team seat: every role of Washington
    red = join(consoles.open(), seat_link(control, "red", "leader"))  # one role: Beijing's leader
    expect(control.locator('tr[data-team="blue"][data-role=""]')).to_have_attribute("data-presence", "online")
    expect(control.locator('tr[data-team="red"][data-role="leader"]')).to_have_attribute("data-presence", "online")
    expect(control.get_by_text("2 of 11 seats joined.")).to_be_visible()
    expect(blue.locator("#banners")).to_contain_text("LOBBY")

    # A team seat shows every panel; a leader's seat only the leader's channels.
    expect(blue.locator(".call-panel")).to_have_count(2)
    expect(blue.locator(".cables-panel")).to_have_count(1)
    expect(red.locator(".call-panel")).to_have_count(1)
    expect(red.locator(".cables-panel")).to_have_count(0)

    control.get_by_role("button", name="Start (STARTEX)").click()
    # Two seats of eleven joined: STARTEX names the roles nobody holds and asks first.
    start = control.locator("dialog")
    expect(start.locator("h2")).to_have_text("Start with 3 roles nobody holds?")
    expect(start.locator(".empty-seats")).to_contain_text("Beijing — Foreign Minister")
    expect(start.locator(".empty-seats")).not_to_contain_text("Washington")  # its team seat holds every role
    start.get_by_role("button", name="Start anyway").click()
    for team_page in (blue, red):
        expect(team_page.locator(".clock .status-badge")).to_have_text("RUNNING")
        expect(team_page.locator('.feed-item[data-inject="I1"]')).to_contain_text("Collision at sea")

    # Jump past I2 (blue defense only) and I3 (red only): each reaches its own team and no one else.
    control.get_by_role("button", name="Jump", exact=True).click()
    dialog = control.locator("dialog")
    dialog.get_by_label("Time or duration").fill("T+02:30")
    expect(dialog).to_contain_text("to T+02:30")
    dialog.get_by_role("button", name="Jump", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(blue.locator(".clock-time")).to_have_text(re.compile(r"T\+02:3\d"))
    blue.get_by_role("tab", name=re.compile("Intelligence")).click()
    expect(blue.locator('.feed-item[data-inject="I2"]')).to_be_visible()
    expect(red.locator('.feed-item[data-inject="I3"]')).to_have_count(1)
    expect(blue.locator('.feed-item[data-inject="I3"]')).to_have_count(0)
    expect(red.locator('.feed-item[data-inject="I2"]')).to_have_count(0)

    # The leaders' hotline: Washington calls, Beijing accepts, messages cross both ways.
    blue_line = blue.locator('.call-panel[data-channel="hotline"]')
    red_line = red.locator('.call-panel[data-channel="hotline"]')
    blue_line.get_by_role("button", name="Request a call").click()
    expect(red.locator(".banner.call")).to_contain_text("INCOMING CALL")
    expect(red_line.locator(".state-badge")).to_have_text("RINGING")
    red_line.get_by_role("button", name="Accept").click()
    expect(blue_line).to_have_attribute("data-state", "connected")
    expect(red_line).to_have_attribute("data-state", "connected")
    blue_line.get_by_label("Facts", exact=True).fill("Our aircraft was in international airspace.")
    blue_line.get_by_label("Intent", exact=True).fill("We will not send more ships.")
    blue_line.get_by_role("button", name="Send on the call").click()
    expect(red_line.locator(".call-log")).to_contain_text("Facts: Our aircraft was in international airspace.")
    red_line.get_by_label("Message", exact=True).fill("We will talk again at noon.")
    red_line.get_by_role("button", name="Send on the call").click()
    expect(blue_line.locator(".call-log")).to_contain_text("We will talk again at noon.")

    # A cooperative move asks without alarm, and Escape backs out of it.
    regret = red.get_by_role("button", name="Take action: Express regret")
    regret.click()
    expect(red.locator("dialog h2")).to_have_text("Take this action?")
    expect(red.locator("dialog .warning")).to_have_count(0)
    red.keyboard.press("Escape")
    expect(red.locator("dialog")).to_have_count(0)
    expect(regret).to_be_focused()

    # An escalatory move asks for confirmation and shows its band and weight.
    red.get_by_role("button", name="Take action: Show of force").click()
    confirm = red.locator("dialog")
    expect(confirm.locator("h2")).to_have_text("Confirm an escalatory action")
    expect(confirm.locator(".warning")).to_contain_text("band 3 (force posture), weight −7.2")
    confirm.get_by_label("Rationale (optional)").fill("They must see we are serious.")
    confirm.get_by_role("button", name="Take escalatory action").click()
    expect(confirm).to_have_count(0)
    expect(red.locator(".moves")).to_contain_text("Show of force")
    expect(red.locator(".moves")).to_contain_text("Why: They must see we are serious.")
    expect(blue.locator(".public-moves")).to_contain_text("Show of force")
    expect(blue.locator(".public-moves")).not_to_contain_text("They must see we are serious.")

    # A pause shows its banner, with the reason, on both consoles.
    control.get_by_role("button", name="Pause").click()
    control.locator("dialog").get_by_label("Reason (shown to everyone)").fill("Coffee break")
    control.locator("dialog").get_by_role("button", name="Pause").click()
    for team_page in (blue, red):
        expect(team_page.locator("#paused-banner")).to_contain_text("PAUSED — Coffee break")
        expect(team_page.locator(".clock .status-badge")).to_have_text("PAUSED")
    control.get_by_role("button", name="Resume").click()
    expect(blue.locator("#paused-banner")).to_have_count(0)

    # Washington loses its connection while things happen; it comes back with no gap and no duplicate.
    before = seq_list(blue, ".feed-item") + seq_list(blue, ".public-move")
    assert before, "the console showed events before the drop"
    cutter.cut()
    expect(blue.locator(".connection")).to_have_attribute("data-state", "reconnecting")
    server.command(
        exercise_id,
        "adhoc_inject",
        audience=[{"team": "blue"}],
        channel="news",
        title="Harbour closed",
        text="The port authority closes the harbour.",
    )
    red.locator(".statements-panel").get_by_label("Statement", exact=True).fill("We ask for calm.")
    red.get_by_role("button", name="Publish statement").click()
    red.locator("dialog").get_by_role("button", name="Publish statement").click()  # confirmed
    expect(red.locator(".statement-list")).to_contain_text("We ask for calm.")
    cutter.restore()
    blue.evaluate("() => window.dispatchEvent(new Event('online'))")  # the network is back: retry now
    expect(blue.locator(".connection")).to_have_attribute("data-state", "open", timeout=30_000)
    assert cutter.joins[-1]["last_seq"] > 0, "the console resumes from the last event it had"
    blue.get_by_role("tab", name=re.compile("News")).click()
    expect(blue.locator(".feed-item", has_text="Harbour closed")).to_have_count(1)
    expect(blue.locator(".public-move", has_text="We ask for calm.")).to_have_count(1)

    events: list[dict[str, Any]] = server.events(exercise_id)
    blue_roles = {"leader", "defense", "diplomacy", "press"}
    injects_for_blue = [
        e["seq"] for e in events if e["type"] == "inject_released" and sees(e["audience"], "blue", blue_roles)
    ]
    red_public = [
        e["seq"]
        for e in events
        if e["actor"].get("team") == "red"
        and (
            e["type"] == "statement_published"
            or (e["type"] == "action_taken" and e["payload"]["visibility"] == "public")
        )
    ]
    feed = seq_list(blue, ".feed-item")
    public = seq_list(blue, ".public-move")
    assert len(feed) == len(set(feed)) and len(public) == len(set(public)), "no event is shown twice"
    assert sorted(feed) == injects_for_blue, "every inject for Washington is shown: no gap"
    assert sorted(public) == red_public
    assert set(before) <= set(feed) | set(public)

    # ENDEX: both consoles say the exercise has ended.
    control.get_by_role("button", name="End exercise").click()
    control.locator("dialog").get_by_role("button", name="End exercise").click()
    for team_page, line in ((blue, blue_line), (red, red_line)):
        expect(team_page.locator("#ended")).to_be_visible()
        expect(team_page.locator("#ended")).to_contain_text("ENDEX — the exercise has ended")
        expect(line.get_by_role("button", name="Request a call")).to_be_disabled()
        expect(team_page.locator("#after-action form")).to_be_visible()  # the hot-wash questionnaire
    expect(control.locator(".clock .status-badge")).to_have_text("ENDED")
    assert consoles.problems() == []
