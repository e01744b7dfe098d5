"""The control console in a real browser: signing in, the exercise list, the MSEL, seats and channels."""

from __future__ import annotations

import contextlib
import re
import time

import pytest
from playwright.sync_api import expect

from app.accounts.store import AccountProblem, create_account
from app.db import make_engine
from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

pytestmark = pytest.mark.browser


def test_sign_in_keeps_the_secret_in_the_tab_and_reopens_an_exercise(server: HotlineServer, consoles: Consoles) -> None:
    earlier = server.create_exercise("mini", title="Tuesday group", seats=False)  # a draft, made by the API
    console = consoles.open()
    page = console.page
    page.goto(f"{server.base_url}/control")
    page.get_by_label("Facilitator secret").fill("not-the-right-secret-at-all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("That facilitator secret is not right")
    console.problems.clear()  # chromium logs the expected 401 as a failed resource

    page.get_by_label("Facilitator secret").fill(server.secret)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="New exercise")).to_be_visible()
    assert server.secret not in page.url
    assert page.evaluate("() => sessionStorage.getItem('hotline.secret')") == server.secret

    page.get_by_role("button", name="Open Tuesday group").click()
    expect(page.locator("#exercise-name")).to_have_text("Tuesday group")
    assert earlier["id"] in page.url
    page.reload()  # the tab keeps both the secret and the open exercise
    expect(page.locator("#exercise-name")).to_have_text("Tuesday group")
    expect(page.get_by_text("Scores appear once the exercise is running.")).to_be_visible()

    expect(page.locator(".clock .status-badge")).to_have_text("DRAFT")
    page.get_by_role("button", name="Open the lobby").click()
    expect(page.locator(".clock .status-badge")).to_have_text("LOBBY")
    expect(page.get_by_role("button", name="Start (STARTEX)")).to_be_visible()
    page.get_by_label("Add a seat").select_option(label="Beijing — Spokesperson")
    page.get_by_role("button", name="Issue link").click()
    seat = page.locator('tr[data-team="red"][data-role="press"]')
    expect(seat.locator(".link-input")).to_have_value(re.compile(rf"/play/{earlier['id']}#token=.{{40,}}"))
    page.get_by_role("button", name="All exercises").click()
    expect(page.get_by_role("heading", name="Exercises")).to_be_visible()
    assert consoles.problems() == []


def test_msel_shows_statuses_and_fire_hold_skip_work(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    page = consoles.open().page
    page.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    page.get_by_role("tab", name="MSEL").click()
    row = {inject: page.locator(f'tr[data-inject="{inject}"]') for inject in ("I1", "I2", "I3", "I4", "C1")}
    expect(row["I2"]).to_have_attribute("data-status", "pending")
    expect(row["C1"]).to_contain_text("If no substantive contact on the Hotline by T+03:00")
    row["I2"].get_by_text("Text and controller notes").click()
    expect(row["I2"]).to_contain_text("Controller notes: Secret to blue.")

    row["I2"].get_by_role("button", name="Hold “Blue-only report”").click()
    expect(row["I2"]).to_have_attribute("data-status", "held")
    expect(row["I2"].locator(".inject-status")).to_have_text("HELD")
    row["I3"].get_by_role("button", name="Skip “Red-only report”").click()
    page.locator("dialog").get_by_role("button", name="Skip").click()
    expect(row["I3"]).to_have_attribute("data-status", "skipped")

    page.get_by_role("button", name="Start (STARTEX)").click()
    page.locator("dialog").get_by_role("button", name="Start anyway").click()  # nobody has joined
    expect(row["I1"]).to_have_attribute("data-status", "released")
    expect(row["I1"]).to_contain_text("released T+00:00")
    row["I4"].get_by_role("button", name="Fire “Leaders under pressure” now").click()
    expect(row["I4"]).to_have_attribute("data-status", "released")
    # Held injects stay back when their time passes, until the hold is lifted.
    page.get_by_role("button", name="Jump", exact=True).click()
    page.locator("dialog").get_by_label("forward by a duration").check()
    page.locator("dialog").get_by_label("Time or duration").fill("01:30")
    page.locator("dialog").get_by_role("button", name="Jump", exact=True).click()
    expect(page.locator(".clock-time")).to_have_text("T+01:30")
    expect(row["I2"]).to_have_attribute("data-status", "held")
    row["I2"].get_by_role("button", name="Lift the hold on “Blue-only report”").click()
    expect(row["I2"]).to_have_attribute("data-status", "late")  # released now, after its planned time
    expect(row["I2"].locator(".inject-status")).to_have_text("LATE")
    expect(row["I2"]).to_contain_text("released T+01:30")
    expect(page.get_by_text("3 of 8 injects released.")).to_be_visible()

    # A refused command says why, where the facilitator made it, and changes nothing.
    page.get_by_role("button", name="Jump", exact=True).click()
    page.locator("dialog").get_by_label("Time or duration").fill("T+00:10")
    page.locator("dialog").get_by_role("button", name="Jump", exact=True).click()
    expect(page.locator("dialog").get_by_role("alert")).to_contain_text("A jump moves forward")
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    expect(page.locator(".clock-time")).to_have_text("T+01:30")

    # Channels: suspend the mil-mil link for both sides, then restore it.
    channels = page.locator("#channels")
    channels.get_by_role("button", name="Suspend the Mil-mil link").click()
    page.locator("dialog").get_by_label("Reason").fill("Talks broken off")
    page.locator("dialog").get_by_role("button", name="Suspend").click()
    milmil = channels.locator('[data-channel="milmil"]')
    expect(milmil.locator(".state-badge")).to_have_text("SUSPENDED")
    expect(milmil).to_contain_text("Talks broken off")
    channels.get_by_role("button", name="Restore the Mil-mil link").click()
    expect(milmil.locator(".state-badge")).to_have_text("IDLE")
    assert consoles.problems() == []


def test_seat_links_can_be_reissued_and_revoked(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini")
    player = consoles.open().page
    player.goto(seat_url(exercise, "red", "press"))
    expect(player.locator(".connection")).to_have_attribute("data-state", "open")

    page = consoles.open().page
    page.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    seat = page.locator('tr[data-team="red"][data-role="press"]')
    expect(seat).to_have_attribute("data-presence", "online")
    expect(seat).to_contain_text("Shown once, when it was issued, in the tab that issued it")  # not this tab

    seat.get_by_role("button", name="Reissue the link for Beijing — Spokesperson").click()
    page.locator("dialog").get_by_role("button", name="Reissue link").click()
    expect(seat.locator(".link-input")).to_be_visible()
    new_link = seat.locator(".link-input").input_value()
    assert new_link.startswith(f"{server.base_url}/play/{exercise['id']}#token=")
    expect(player.locator(".banner.alert")).to_contain_text("This link no longer works")
    expect(player.locator(".connection")).to_have_attribute("data-state", "failed")

    player.goto(new_link)
    expect(player.locator(".connection")).to_have_attribute("data-state", "open")
    expect(seat).to_have_attribute("data-presence", "online")
    seat.get_by_role("button", name="Revoke Beijing — Spokesperson").click()
    page.locator("dialog").get_by_role("button", name="Revoke").click()
    expect(seat).to_have_attribute("data-presence", "revoked")
    expect(player.locator(".banner.alert")).to_contain_text("Ask the facilitator for a new link.")
    assert consoles.problems() == []


def test_an_exercise_links_to_its_report_which_opens_signed_in(server: HotlineServer, consoles: Consoles) -> None:
    server.create_exercise("mini", title="Earlier run", seats=False)
    exercise = server.create_exercise("mini", title="Report drill", seats=False)
    server.command(exercise["id"], "open_lobby")
    console = consoles.open()
    page = console.page
    page.context.on("console", lambda message: message.type == "error" and console.problems.append(message.text))
    page.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    compare = page.get_by_role("link", name=re.compile(r"Compare the \d+ runs of this scenario"))
    expect(compare).to_have_attribute("href", "/report/compare?scenario=mini")  # it has run more than once
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="After-action report of Report drill (opens in a new tab)").click()
    report = opened.value
    report.wait_for_selector("body[data-ready='yes']", state="attached")  # rendered, charts drawn
    expect(report.locator("#report-title")).to_have_text("Report drill")
    expect(report.locator("#signin")).to_be_hidden()  # the console's sign-in holds in the new tab
    expect(report.locator("#report-status")).to_contain_text("Live: follows the exercise (lobby")
    assert report.url == f"{server.base_url}/report/{exercise['id']}", "no secret in the address"

    report.get_by_role("button", name="中文").click()  # the report page switches language too
    expect(report.locator("#overview-title")).to_have_text("演练概况")
    expect(report.locator("#report-status")).to_contain_text("实时：随演练更新（候场")
    expect(report.locator("#toc")).to_contain_text("改进计划")
    report.get_by_role("button", name="English").click()
    expect(report.locator("#overview-title")).to_have_text("Exercise overview")
    assert consoles.problems() == []


def test_a_named_account_signs_in_and_an_evaluator_is_told_what_it_may_do(
    server: HotlineServer, consoles: Consoles
) -> None:
    engine = make_engine(f"sqlite:///{server.data_dir / 'hotline.db'}")
    try:
        for name, role in (("dana", "facilitator"), ("eli", "evaluator")):
            with contextlib.suppress(AccountProblem):  # the server is shared by the session's tests
                create_account(engine, name, role, "dana and eli's password", time.time())  # type: ignore[arg-type]
    finally:
        engine.dispose()
    console = consoles.open()
    page = console.page
    page.goto(f"{server.base_url}/control")
    page.get_by_label("Account name").fill("dana")
    page.get_by_label("Password or facilitator secret").fill("not dana's password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong account name or password")
    console.problems.clear()  # chromium logs the expected 401 as a failed resource

    page.get_by_label("Password or facilitator secret").fill("dana and eli's password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="New exercise")).to_be_visible()
    expect(page.locator("#nav-who")).to_have_text("Signed in as dana")
    assert "dana and eli" not in (page.evaluate("() => sessionStorage.getItem('hotline.secret')") or "")
    page.get_by_role("button", name="Sign out").click()

    page.get_by_label("Account name").fill("eli")
    page.get_by_label("Password or facilitator secret").fill("dana and eli's password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#nav-who")).to_have_text("Signed in as eli (evaluator)")
    expect(page.locator("#evaluator-banner")).to_contain_text("record observations and ratings")
    exercise = server.create_exercise("mini", title="Evaluated run", seats=False)
    page.goto(f"{server.base_url}/control#exercise={exercise['id']}")  # the tab keeps eli's session
    expect(page.locator("#exercise-name")).to_have_text("Evaluated run")
    page.get_by_role("button", name="Open the lobby").click()
    expect(page.get_by_text("Only the control cell can do that.")).to_be_visible()
    assert exercise["id"] in page.url
    assert consoles.problems() == []
