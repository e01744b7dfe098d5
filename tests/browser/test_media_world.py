"""The media world in the browser: the social feed and the news site, reactions to a move, the pressure meter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import Consoles, leader, started
from tests.browser.server import FIXTURES, HotlineServer, seat_url

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HotlineServer]:
    """A server of its own, whose library also holds the mini scenario with a media world."""
    folder = tmp_path_factory.mktemp("hotline-media")
    with HotlineServer(folder, scenario_dirs=[FIXTURES, FIXTURES / "media"]) as running:
        yield running


def test_a_move_draws_posts_and_a_headline_and_the_pressure_meter_rises(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = started(server, "mini-media")
    blue, red = leader(consoles, exercise, "blue"), leader(consoles, exercise, "red")
    meter = blue.locator(".pressure-meter .pressure-gauge")
    expect(meter).to_have_attribute("aria-valuenow", "36")  # 30 at the start, and the trigger was a media inject
    expect(red.locator(".pressure-meter")).to_have_count(1)
    expect(red.locator(".pressure-meter")).to_have_attribute("data-team", "red")  # only its own

    # The news site carries the news injects on the outlets' front pages.
    blue.get_by_role("button", name="News site").click()
    expect(blue.locator(".news-site")).to_contain_text("Collision at sea")

    red.get_by_role("button", name="Take action: Show of force").click()
    red.locator("dialog").get_by_role("button", name="Take escalatory action").click()
    expect(meter).to_have_attribute("aria-valuenow", "50")
    expect(blue.locator(".social-post")).to_have_count(0)
    server.command(exercise["id"], "jump", by="00:25")

    blue.get_by_role("button", name="Social feed").click()
    post = blue.locator(".social-post", has_text="Where is Washington's answer?")
    expect(post).to_contain_text("Eagle Eye")
    expect(post).to_contain_text("@eagle_eye")
    expect(post.locator(".verified")).to_have_count(1)
    expect(post.locator("img.avatar")).to_have_attribute("src", "/api/avatars/eagle_eye.svg")
    expect(post.locator(".likes")).not_to_have_text("♥ 0")
    expect(blue.locator(".trending")).to_contain_text("#StandFirm")
    expect(meter).to_have_attribute("aria-valuenow", "55")
    expect(blue.locator(".pressure-meter")).to_have_attribute("data-level", "rising")

    blue.get_by_role("button", name="News site").click()
    front = blue.locator(".news-front", has_text="The Capital Post")
    expect(front.locator(".headline")).to_have_text("Beijing: Show of force")

    # Reactions are in the log: a console that comes back gets them again, and the meter where it was.
    blue.reload()
    expect(blue.locator(".connection")).to_have_attribute("data-state", "open")
    blue.get_by_role("button", name="Social feed").click()
    expect(blue.locator(".social-post", has_text="Where is Washington's answer?")).to_have_count(1)
    expect(blue.locator(".pressure-meter .pressure-gauge")).to_have_attribute("aria-valuenow", "55")

    # In Chinese the same post reads in Chinese, under the persona's Chinese name.
    blue.get_by_role("group", name="Language").get_by_role("button", name="中文").click()
    blue.get_by_role("button", name="社交媒体").click()
    post = blue.locator(".social-post", has_text="北京竟然这样")
    expect(post.locator(".display-name")).to_have_text("鹰眼")
    expect(post).to_contain_text("华盛顿的回应呢？")
    expect(blue.locator(".pressure-meter")).to_contain_text("华盛顿承受的国内压力")
    assert consoles.problems() == []


def test_a_statement_is_followed_by_its_reactions_and_control_sees_both_meters(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = started(server, "mini-media")
    blue, red = leader(consoles, exercise, "blue"), leader(consoles, exercise, "red")
    blue.locator(".statements-panel").get_by_label("Statement", exact=True).fill("We seek calm and talks.")
    blue.get_by_role("button", name="Publish statement").click()
    blue.locator("dialog").get_by_role("button", name="Publish statement").click()
    expect(blue.locator(".statement-list")).to_contain_text("We seek calm and talks.")
    server.command(exercise["id"], "jump", by="00:16")
    red.get_by_role("button", name="Social feed").click()
    expect(red.locator(".social-post", has_text="Washington speaks; Beijing listens.")).to_contain_text("Dragon Voice")

    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    meters = control.locator("#pressure .pressure-meter")
    expect(meters).to_have_count(2)
    expect(meters.nth(0)).to_contain_text("Washington")
    expect(meters.nth(1)).to_contain_text("Beijing")
    observer = consoles.open().page
    observer.goto(seat_url(exercise, None, None, kind="observer"))
    expect(observer.locator(".watch-console .pressure-meter")).to_have_count(2)

    server.command(exercise["id"], "end")
    question = blue.get_by_label("How did the domestic pressure feel, and when was it hardest?")
    expect(question).to_be_visible()
    question.fill("Hardest after their show of force.")
    blue.locator('input[name="rating"][value="4"]').check()
    blue.get_by_role("button", name="Send to the facilitator").click()
    expect(blue.locator(".hotwash-thanks")).to_be_visible()
    answers = [e for e in server.events(exercise["id"]) if e["type"] == "hotwash_submitted"]
    assert [answer["payload"]["pressure"] for answer in answers] == ["Hardest after their show of force."]
    assert consoles.problems() == []


def test_an_old_format_scenario_shows_no_media_panes_and_no_meter(server: HotlineServer, consoles: Consoles) -> None:
    exercise = started(server)
    blue = leader(consoles, exercise, "blue")
    expect(blue.locator(".feed-item")).not_to_have_count(0)
    expect(blue.get_by_role("button", name="Social feed")).to_have_count(0)
    expect(blue.locator(".pressure-meter")).to_have_count(0)
    assert consoles.problems() == []
