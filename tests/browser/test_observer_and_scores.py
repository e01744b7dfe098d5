"""Observers watch both teams and record observations; the facilitator can show the scores to teams."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

pytestmark = pytest.mark.browser


def test_observer_watches_both_teams_and_records_a_linked_observation(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    observer = consoles.open().page
    observer.goto(seat_url(exercise, None, None, kind="observer"))
    red = consoles.open().page
    red.goto(seat_url(exercise, "red", "leader"))
    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")

    expect(observer.locator(".watch-team")).to_have_count(2)
    expect(observer.locator(".actions-panel")).to_have_count(0)  # read-only: no moves, no chat
    expect(observer.locator(".chat-panel")).to_have_count(0)
    red.locator(".chat-panel").get_by_label("Message to your team").fill("Hold the line until we know more.")
    red.locator(".chat-panel").get_by_role("button", name="Send").click()
    beijing = observer.locator(".watch-team.team-1")
    washington = observer.locator(".watch-team.team-0")
    note = beijing.locator(".event", has_text="Hold the line until we know more.")
    expect(note).to_be_visible()
    expect(washington).not_to_contain_text("Hold the line")
    seq = note.get_attribute("data-seq")

    note.click()  # links the event to the observation being written
    expect(note.get_by_role("button", name=f"Link event #{seq}", exact=False)).to_have_attribute("aria-pressed", "true")
    composer = observer.locator("#observe")
    expect(composer.locator(".chip")).to_contain_text(f"#{seq}")
    composer.get_by_label("What did you observe?").fill("Beijing deliberates before acting.")
    composer.get_by_label("Rating").select_option("S")
    composer.get_by_role("button", name="Record observation").click()
    expect(composer.get_by_text("Observation recorded.")).to_be_visible()
    expect(composer.locator(".chip")).to_have_count(0)

    recorded = control.locator("#observe .observation")
    expect(recorded).to_contain_text("Beijing deliberates before acting.")
    expect(recorded).to_contain_text(f"About #{seq}")
    expect(recorded).to_contain_text("S — performed with some challenges")
    assert consoles.problems() == []


def test_scores_reach_teams_only_when_the_facilitator_shows_them(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    blue = consoles.open().page
    blue.goto(seat_url(exercise, "blue", None))
    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    expect(blue.locator(".connection")).to_have_attribute("data-state", "open")
    expect(blue.locator(".scores-panel")).to_be_hidden()
    blue.locator(".chat-panel").get_by_label("Message to your team").fill("Scoring starts now.")
    blue.locator(".chat-panel").get_by_role("button", name="Send").click()

    board = control.locator("#scores")
    expect(board.locator(".score-total")).to_have_count(3)  # both teams and the joint score
    expect(board.locator(".score-table tbody tr")).not_to_have_count(0)
    control.get_by_label("Show scores to teams").check()
    expect(board.get_by_text("Teams now see the scores.")).to_be_visible()
    expect(blue.locator(".scores-panel")).to_be_visible()
    expect(blue.locator(".scores-panel .score-total")).to_have_count(3)
    control.get_by_label("Show scores to teams").uncheck()
    expect(blue.locator(".scores-panel")).to_be_hidden()
    assert consoles.problems() == []
