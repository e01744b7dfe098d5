"""The report page in a real browser: sign-in, text-only rendering, citations, filters, the plan editor,
reviewer links, live updates, and the hot-wash questionnaire on the team console."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.server import HotlineServer, seat_url
from tests.reports.browser import watch
from tests.reports.conftest import MARKUP, KnownLog

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HotlineServer]:
    with HotlineServer(tmp_path_factory.mktemp("report-pages")) as running:
        yield running


@pytest.fixture(scope="module")
def imported(server: HotlineServer, known: KnownLog) -> str:
    response = server.http.post("/api/exercises/import", content=known.path.read_bytes())
    response.raise_for_status()
    return str(response.json()["id"])


def open_report(chromium: Browser, url: str) -> tuple[Page, list[str]]:
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    problems = watch(page)
    page.goto(url)
    page.wait_for_selector("body[data-ready='yes']", state="attached")
    return page, problems


def test_report_page_shows_the_log_as_text_and_jumps_to_cited_events(
    chromium: Browser,
    server: HotlineServer,
    imported: str,
    known: KnownLog,
) -> None:
    page, problems = open_report(chromium, f"{server.base_url}/report/{imported}#secret={server.secret}")
    assert "#secret" not in page.url  # the secret leaves the address bar at once
    chat = page.locator(f"#event-{known.chat} td").last
    assert chat.text_content() == MARKUP
    assert page.locator("main script, main b, main img").count() == 0
    assert page.locator("#timeline-chart .main-svg").count() > 0
    citation = page.locator(f'#objectives a.cite[href="#event-{known.call_message}"]').first
    page.select_option("#event-filters select[name=category]", "control")  # hides the cited row …
    assert page.locator(f"#event-{known.call_message}").is_hidden()
    citation.click()  # … and following the citation shows it again
    row = page.locator(f"#event-{known.call_message}")
    assert row.is_visible() and "highlight" in (row.get_attribute("class") or "")
    assert page.url.endswith(f"#event-{known.call_message}")
    page.select_option("#event-filters select[name=category]", "action")
    assert page.locator("#event-filters output").text_content() == "1 of 32 events shown"
    page.get_by_role("button", name="中文").click()  # the score card names its metrics in Chinese too
    expect(page.locator("#metric-LC th")).to_contain_text("领导人直接接触")
    expect(page.locator("#metric-LC th")).to_contain_text("危机初期，最高领导人尽早直接沟通")
    assert problems == []
    page.context.close()


def test_facilitator_turns_an_area_for_improvement_into_a_plan_item(
    chromium: Browser,
    server: HotlineServer,
    imported: str,
) -> None:
    page, problems = open_report(chromium, f"{server.base_url}/report/{imported}#secret={server.secret}")
    page.locator("#objectives .add-to-plan").first.click()
    form = page.locator("#plan-form")
    assert "Leaders speak within six hours" in form.locator("textarea[name=issue]").input_value()
    assert form.locator("select[name=objective_id]").input_value() == "OBJ1"
    form.locator("textarea[name=corrective_action]").fill("Rehearse the first call with both leaders' staffs")
    form.locator("input[name=owner]").fill("Crisis staff")
    form.locator("input[name=due_date]").fill("2027-02-01")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#plan table.plan tbody tr")
    assert "Rehearse the first call" in (page.locator("#plan table.plan").text_content() or "")
    stored: list[dict[str, Any]] = server.http.get(f"/api/exercises/{imported}/improvement-plan").json()
    assert [(item["owner"], item["due_date"], item["objective_id"]) for item in stored] == [
        ("Crisis staff", "2027-02-01", "OBJ1")
    ]
    assert problems == []
    page.context.close()


def test_reviewer_link_reads_but_cannot_edit(chromium: Browser, server: HotlineServer, imported: str) -> None:
    link = server.http.get(f"/api/exercises/{imported}/report/link").json()
    page, problems = open_report(chromium, link["url"])
    assert page.locator("#plan-add").count() == 0 and page.locator(".add-to-plan").count() == 0
    assert page.locator("#reviewer-link").is_hidden()
    assert "sign in with the facilitator secret to edit it" in (page.locator("#plan").text_content() or "")
    assert problems == []
    page.context.close()


def test_wrong_secret_asks_to_sign_in_again(chromium: Browser, server: HotlineServer, imported: str) -> None:
    page = chromium.new_context().new_page()
    page.goto(f"{server.base_url}/report/{imported}#secret=not-the-facilitator-secret")
    page.wait_for_selector("#signin:not([hidden])")
    assert "was not accepted" in (page.locator("#notices").text_content() or "")
    page.fill("#signin input[name=secret]", server.secret)
    page.click("#signin button[type=submit]")
    page.wait_for_selector("body[data-ready='yes']", state="attached")
    assert page.locator("#report-title").text_content() == "Known exercise"
    page.context.close()


def test_live_report_follows_the_exercise_as_it_runs(chromium: Browser, server: HotlineServer) -> None:
    exercise = server.create_exercise()
    page, problems = open_report(chromium, f"{server.base_url}/report/{exercise['id']}#secret={server.secret}")
    assert "Live" in (page.locator("#report-status").text_content() or "")
    server.command(exercise["id"], "start")
    page.locator("#events-table tr", has_text="STARTEX").wait_for()
    server.command(exercise["id"], "end")
    page.locator("#report-status", has_text="Final").wait_for()
    assert problems == []
    page.context.close()


def test_players_answer_the_hot_wash_at_endex(
    chromium: Browser,
    server: HotlineServer,
    tmp_path: Path,
) -> None:
    exercise = server.create_exercise()
    server.command(exercise["id"], "start")
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    problems = watch(page)
    page.goto(seat_url(exercise, "red", "leader"))
    assert page.locator(".hotwash-form").count() == 0 or page.locator(".hotwash-form").is_hidden()
    server.command(exercise["id"], "end")
    form = page.locator(".hotwash-form")
    form.wait_for(state="visible")
    form.locator("textarea[name=did_not_work]").fill("We answered the news, not the other side")
    form.locator("input[name=rating][value='3']").check()
    form.locator("input[name=anonymous]").check()
    form.locator("button[type=submit]").click()
    page.locator(".hotwash-thanks").wait_for(state="visible")
    view = server.http.get(f"/api/exercises/{exercise['id']}/report/view").json()
    (answer,) = view["report"]["hotwash"]["answers"]
    assert (answer["anonymous"], answer["who"], answer["team"], answer["rating"]) == (True, None, "red", 3)
    assert answer["did_not_work"] == "We answered the news, not the other side"
    page.reload()
    page.locator(".hotwash-thanks").wait_for(state="visible")  # answered once: the form does not come back
    assert page.locator(".hotwash-form").is_hidden()
    assert problems == []
    page.context.close()
