"""Facilitation and play as people see them: alerts, the briefing, the jump banner, a revoked seat, the seat
handout, the clock's guard rails, the cockpit and tidying the list of exercises."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

pytestmark = pytest.mark.browser


def joined(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator(".connection")).to_have_attribute("data-state", "open")
    return page


def test_a_player_is_briefed_alerted_and_told_what_changed(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    exercise_id = exercise["id"]
    blue = joined(consoles.open().page, seat_url(exercise, "blue", "leader"))
    red = joined(consoles.open().page, seat_url(exercise, "red", "leader"))

    # The lobby shows the team's briefing, open, with the brief of this seat's role only.
    briefing = blue.locator("#briefing")
    expect(briefing).to_have_attribute("open", "")
    expect(briefing).to_contain_text("the crew is alive and the world is watching")
    expect(briefing.locator(".briefing-objectives li")).to_have_count(2)
    expect(briefing.locator(".role-brief")).to_have_text(re.compile("Your role: President.*hold the hotline"))
    expect(red.locator("#briefing")).not_to_contain_text("the crew is alive"), "the other side's briefing stays secret"

    server.command(exercise_id, "start")
    expect(briefing).not_to_have_attribute("open", "")  # folded in play, one click away
    blue.get_by_role("button", name="Briefing", exact=True).click()
    expect(briefing).to_have_attribute("open", "")

    # An inject arrives: a toast, the All stream, and a count in the title while the player looks away.
    blue.evaluate("() => { document.hasFocus = () => false; }")
    server.command(
        exercise_id,
        "adhoc_inject",
        channel="intel",
        title="Crew seen on deck",
        text="A photo shows them.",
        audience="all",
    )
    expect(blue.locator(".toast.inject", has_text="Crew seen on deck")).to_contain_text("Intelligence")
    expect(blue).to_have_title(re.compile(r"^\([12]\) "))
    expect(blue.locator("#feed-tab-all")).to_have_attribute("aria-selected", "true")
    expect(blue.locator(".feed-item:visible")).to_have_count(2)  # I1 on the news wire and the new one
    blue.get_by_role("tab", name=re.compile("^News")).click()
    expect(blue.locator(".feed-item:visible")).to_have_count(1)

    # The other side's public move without words prints no "null"; its statement raises a toast.
    red.get_by_role("button", name="Take action: Show of force").click()
    red.locator("dialog").get_by_role("button", name="Take escalatory action").click()
    move = blue.locator(".public-move").first
    expect(move).to_contain_text("Show of force")
    assert "null" not in move.inner_text()
    red.locator(".statements-panel").get_by_role("button", name="Publish statement").click()
    expect(red.locator(".statements-panel .form-status")).to_have_text("Write the statement first.")
    statement = red.locator(".statements-panel").get_by_label("Statement", exact=True)
    statement.fill("We ask for calm.")
    expect(red.locator(".statements-panel .counter")).to_have_text("16 / 4000")
    red.locator(".statements-panel").get_by_role("button", name="Publish statement").click()
    expect(red.locator("dialog .statement-preview")).to_have_text("We ask for calm.")
    red.locator("dialog").get_by_role("button", name="Publish statement").click()
    expect(blue.locator(".toast.statement")).to_contain_text("Beijing made a public statement")

    # A jump: the player is told how much time passed, until they dismiss it.
    server.command(exercise_id, "jump", to="T+02:30")
    expect(blue.locator("#jump-banner")).to_contain_text("2 h 30 min later — the scenario clock jumped from T+00:00")
    blue.locator("#jump-banner").get_by_role("button", name="Dismiss").click()
    expect(blue.locator("#jump-banner")).to_have_count(0)

    # The seat is revoked while the console is open: it says so at once and stops.
    seat_id = next(seat["id"] for seat in exercise["seats"] if seat["team"] == "blue" and seat["role"] == "leader")
    server.http.delete(f"/api/exercises/{exercise_id}/seats/{seat_id}").raise_for_status()
    expect(blue.locator("#seat-closed h1")).to_have_text("This seat was revoked")
    expect(blue.locator(".clock .status-badge")).to_have_text("REVOKED")
    frozen = blue.locator(".clock-time").inner_text()
    blue.wait_for_timeout(1200)
    assert blue.locator(".clock-time").inner_text() == frozen, "a revoked console's clock stops"
    assert consoles.problems() == []


def test_the_facilitator_hands_out_links_and_the_clock_has_guard_rails(
    server: HotlineServer, consoles: Consoles
) -> None:
    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}")
    control.locator("input[name=scenario][value=mini]").check()
    control.locator("#compression").fill("1")
    control.get_by_role("button", name="Create exercise").click()

    # Right after creation: every way to hand the links out, and the rule said plainly.
    handout = control.locator("#handout")
    expect(handout).to_contain_text("11 links. Each link is shown only here, in this browser tab")
    with control.expect_download() as download:
        handout.get_by_role("button", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0] == ["seat", "team", "role", "kind", "link"] and len(rows) == 12
    assert rows[1][:3] == ["Washington — whole team", "Washington", "Whole team"]
    assert re.search(r"/play/ex_[0-9a-f]+#token=", rows[1][4])
    handout.get_by_role("button", name="Print seat cards").click()
    cards = control.locator("#seat-cards .seat-card")
    expect(cards).to_have_count(11)
    expect(cards.first.locator(".card-qr")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    expect(cards.first).to_contain_text("Mini crisis")
    control.locator("#seat-cards").get_by_role("button", name="Close").click()
    expect(control.locator("#seat-cards")).to_have_count(0)

    blue_url = control.locator('tr[data-team="blue"][data-role=""] .link-input').input_value()
    blue = joined(consoles.open().page, blue_url)
    second_device = joined(consoles.open().page, blue_url)
    expect(control.locator('tr[data-team="blue"][data-role=""] .presence')).to_contain_text(
        re.compile(r"ONLINE\s*· 2 devices")
    )
    second_device.close()

    # STARTEX with empty seats names the roles nobody holds.
    control.get_by_role("button", name="Start (STARTEX)").click()
    expect(control.locator("dialog .empty-seats li")).to_have_count(4)
    expect(control.locator("dialog .empty-seats")).to_contain_text("Beijing — General Secretary")
    control.locator("dialog").get_by_role("button", name="Start anyway").click()
    expect(control.locator("#next-strip")).to_contain_text(re.compile(r"Next inject: Blue-only report · T\+01:00 · in"))

    # The jump confirmation counts what it releases, and refuses to pass ENDEX without extending it.
    control.get_by_role("button", name="Jump", exact=True).click()
    dialog = control.locator("dialog")
    dialog.get_by_label("Time or duration").fill("T+02:30")
    expect(dialog.locator(".release-count")).to_have_text("2 injects will be released at once.")
    dialog.get_by_label("Time or duration").fill("D+9")
    expect(dialog.locator(".jump-extend")).to_contain_text("Extend ENDEX from T+24:00 to T+216:00 and jump")
    dialog.get_by_role("button", name="Jump", exact=True).click()
    expect(dialog.locator(".form-status")).to_contain_text("goes past the planned ENDEX (T+24:00)")
    dialog.get_by_label("Time or duration").fill("T+02:30")
    expect(dialog.locator(".jump-extend")).to_be_hidden()
    dialog.get_by_role("button", name="Jump", exact=True).click()
    expect(dialog).to_have_count(0)

    # Per inject: who has seen it, and which team moved after it.
    control.get_by_role("tab", name="MSEL").click()
    i2 = control.locator('tr[data-inject="I2"]')
    expect(i2.locator(".seen-by")).to_contain_text("Washington — whole team")
    expect(i2.locator(".acted-after")).to_contain_text("Beijing: no move yet")
    control.get_by_label("One line per event").check()
    expect(control.locator(".timeline .event-list-wrap")).to_have_class(re.compile("compact"))

    # At the planned ENDEX the clock stops and asks: end, or extend and play on.
    exercise_id = re.search(r"exercise=(ex_[0-9a-f]+)", control.url)
    assert exercise_id
    server.command(exercise_id.group(1), "jump", to="T+24:00")
    banner = control.locator("#endex-banner")
    expect(banner).to_contain_text("PLANNED ENDEX T+24:00 REACHED")
    expect(blue.locator("#paused-banner")).to_contain_text("Planned ENDEX (T+24:00) reached")
    banner.get_by_role("button", name="Extend ENDEX").click()
    control.locator("dialog").get_by_label("New ENDEX").fill("T+30:00")
    control.locator("dialog").get_by_role("button", name="Extend ENDEX").click()
    expect(control.locator(".endex-line")).to_have_text("Planned ENDEX T+30:00")
    control.get_by_role("button", name="Resume").click()
    expect(control.locator(".clock .status-badge")).to_have_text("RUNNING")
    control.get_by_role("button", name="End exercise").click()
    control.locator("dialog").get_by_role("button", name="End exercise").click()

    # The list of exercises: clone the settings, archive, delete (ended exercises only, confirmed).
    control.get_by_role("button", name="All exercises").click()
    row = control.locator(f'tr[data-exercise="{exercise_id.group(1)}"]')
    row.get_by_role("button", name=re.compile("^New exercise with the settings of")).click()
    expect(control.locator("#compression")).to_have_value("1")
    expect(control.locator("input[name=scenario][value=mini]")).to_be_checked()
    row.get_by_role("button", name=re.compile("^Archive ")).click()
    expect(row).to_have_count(0)
    control.get_by_label(re.compile("Show archived")).check()
    row.get_by_role("button", name=re.compile("^Delete ")).click()
    expect(control.locator("dialog")).to_contain_text("deleted for good")
    control.locator("dialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)
    assert consoles.problems() == []
