"""A leader writes to the other leader, who reads it only once it arrives; an evaluator overrides a task."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import Consoles, leader, started
from tests.browser.server import HotlineServer

pytestmark = pytest.mark.browser


def send_teletype(page: Page, facts: str, **more: str) -> Locator:
    """Write to the other leader by teletype from the hotline panel; returns the panel's letters."""
    hotline = page.locator(".channel-hotline .letters")  # the call's own form has a Facts field too
    hotline.get_by_text("Write to their leader").click()  # the form folds away under its title
    hotline.get_by_label("Send as").select_option("teletype")
    expect(hotline.get_by_label("Send as")).to_contain_text("teletype: arrives 5 min after sending")
    for label, text in {**more, "Facts": facts}.items():
        hotline.get_by_label(label).fill(text)
    hotline.get_by_role("button", name="Send to their leader").click()
    expect(hotline.get_by_text("Sent: on its way.")).to_be_visible()
    return hotline


def test_a_teletype_reaches_the_other_leader_only_when_it_arrives(server: HotlineServer, consoles: Consoles) -> None:
    exercise = started(server)
    blue, red = leader(consoles, exercise, "blue"), leader(consoles, exercise, "red")
    hotline = send_teletype(
        blue,
        "Our crew is alive and unharmed.",
        **{"Subject (optional)": "The collision", "Proposal": "Let our envoys meet tomorrow."},
    )
    ours = hotline.locator(".letter.mine")
    expect(ours).to_have_class("letter mine in-transit")
    expect(ours).to_contain_text("To Beijing, by teletype")
    expect(ours).to_contain_text("on its way: arrives T+00:05")

    expect(red.locator(".letter")).to_have_count(0)
    expect(red.locator("body")).not_to_contain_text("Our crew is alive")

    server.command(exercise["id"], "jump", by="00:10")
    theirs = red.locator(".channel-hotline .letter.theirs")
    expect(theirs).to_contain_text("From Washington, by teletype")
    expect(theirs).to_contain_text("Our crew is alive and unharmed.")
    expect(theirs).to_contain_text("arrived T+00:05")
    expect(ours).to_have_class("letter mine delivered")
    expect(ours).to_contain_text("arrived T+00:05")
    assert consoles.problems() == []


def test_the_scoreboard_shows_how_each_task_was_rated_and_an_evaluator_overrides_it(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = started(server)
    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    board = control.locator("#scores")
    task = board.locator('tr[data-task="T1"][data-team="red"]')
    expect(task).to_contain_text("still open: the log will decide")

    task.get_by_role("button", name="Rate").click()
    dialog = control.locator("dialog")
    dialog.get_by_label("Rating").select_option("S")
    dialog.get_by_label("Rationale").fill("They spoke through intermediaries, not directly.")
    dialog.get_by_role("button", name="Save the rating").click()
    expect(dialog).to_have_count(0)
    expect(task.locator(".rating")).to_have_text("S")
    expect(task).to_contain_text("by an evaluator")
    expect(board.locator('tr[data-task="T1"][data-team="blue"]')).to_contain_text("still open")

    # In Chinese the scoreboard names the metrics and the scenario's tasks in Chinese, as the scenario wrote them.
    control.get_by_role("button", name="中文").click()
    expect(task.locator("th")).to_have_text("领导人在六小时内通话")
    expect(board.locator('tr[data-metric="LC"] .metric-name')).to_have_text("LC · 领导人直接接触")
    expect(board.locator('tr[data-metric="LC"] .metric-theme')).to_have_text("危机初期，最高领导人尽早直接沟通")
    assert consoles.problems() == []


def test_the_jump_confirmation_says_which_letters_arrive_and_which_calls_go_unanswered(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = started(server)
    blue = leader(consoles, exercise, "blue")
    send_teletype(blue, "Our crew is alive.")
    blue.locator('.call-panel[data-channel="hotline"]').get_by_role("button", name="Request a call").click()
    expect(blue.locator('.call-panel[data-channel="hotline"]')).to_have_attribute("data-state", "ringing")

    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    control.get_by_role("button", name="Jump", exact=True).click()
    dialog = control.locator("dialog")
    dialog.get_by_label("Time or duration").fill("T+01:00")
    expect(dialog.locator(".release-count")).to_have_text("1 inject will be released at once.")
    expect(dialog.locator(".release-letters")).to_have_text(
        "A letter on its way arrives meanwhile: it is delivered at the jump."
    )
    expect(dialog.locator(".release-missed")).to_have_text("A ringing call will be marked missed.")
    dialog.get_by_label("Time or duration").fill("T+00:02")  # before the letter arrives and the call times out
    expect(dialog.locator(".release-count")).to_have_text("0 injects will be released at once.")
    expect(dialog.locator(".release-letters")).to_have_count(0)
    expect(dialog.locator(".release-missed")).to_have_count(0)
    expect(dialog.locator(".jump-release")).to_have_text("0 injects will be released at once.")  # and nothing else
    assert consoles.problems() == []
