"""Screenshots of the consoles with a few moves played: ``python -m tests.browser.screenshots [--out DIR]``.

Starts a server on a free port (bundled scenarios, SQLite in a temporary folder), creates an exercise
in the control console, joins both teams, plays a few moves and saves PNGs of each console into
``screenshots/`` (git-ignored), or into ``--out DIR`` (e.g. ``docs/images``): the control console and a
team console at 1280×800, the same team console in Chinese, the team console at tablet width 768, the
escalation dialog, the scenario upload panel showing a file's problems, the observers' watch view, the
console after ENDEX, the after-action report, and the leaders' hotline panel with letters.

Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei or fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, FIXTURES, PROJECT, HotlineServer

OUT = PROJECT / "screenshots"
LANGUAGE_KEY = "hotline.language"  # where the consoles keep the reader's language (static/js/i18n.js)
WIDE: ViewportSize = {"width": 1280, "height": 800}
TABLET: ViewportSize = {"width": 768, "height": 1024}


def open_page(browser: Browser, viewport: ViewportSize, *, language: str | None = None) -> Page:
    context = browser.new_context(viewport=viewport)
    if language:
        context.add_init_script(f"localStorage.setItem('{LANGUAGE_KEY}', '{language}')")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def shown(path: Path) -> str:
    return str(path.relative_to(PROJECT)) if path.is_relative_to(PROJECT) else str(path)


def shoot(page: Page, name: str, *, full_page: bool = False) -> None:
    # Typing scrolls panels to the field; show each panel from its top, as a person arriving would.
    page.evaluate(
        "() => document.querySelectorAll('*').forEach(el => {"
        " if (el.classList.contains('chat-log')) el.scrollTop = el.scrollHeight;"
        " else if (el.scrollTop) el.scrollTop = 0; })"
    )
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"  {shown(path)}")


def shoot_element(page: Page, selector: str, name: str) -> None:
    path = OUT / f"{name}.png"
    page.locator(selector).screenshot(path=str(path))
    print(f"  {shown(path)}")


def show_upload_problems(control: Page, scenario: str) -> None:
    """Pick a scenario file with two mistakes (an empty title, a band past 6) in the start page's upload panel."""
    source = PROJECT / "injects" / f"{scenario}.yaml"
    text = source.read_text(encoding="utf-8") if source.exists() else (FIXTURES / "mini.yaml").read_text()
    text = re.sub(r"^id: .*$", "id: my-crisis", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^(\s+)title: .*$", r"\1title: ''", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^(\s+)band: 3$", r"\1band: 8", text, count=1, flags=re.MULTILINE)
    control.get_by_label("Choose a file").set_input_files(
        files=[{"name": "my-crisis.yaml", "mimeType": "application/yaml", "buffer": text.encode("utf-8")}]
    )
    expect(control.locator("#upload .upload-problems")).to_be_visible()
    control.locator("#upload .problem-place").first.click()
    shoot_element(control, "#upload", "control-upload-problems")


def create_exercise(server: HotlineServer, control: Page) -> str:
    """Create the exercise through the start page; returns the scenario it uses."""
    control.goto(f"{server.base_url}/control#secret={server.secret}")
    expect(control.locator(".scenario-card").first).to_be_visible()
    bundled = control.locator("input[name=scenario][value=incident-at-sea]")
    scenario = "incident-at-sea" if bundled.count() else "mini"
    control.locator(f"input[name=scenario][value={scenario}]").check()
    control.locator("#compression").fill("4")
    control.get_by_label("Title (optional)").fill("Staff college — group A")
    shoot(control, "control-start")
    show_upload_problems(control, scenario)
    control.get_by_role("button", name="Create exercise").click()
    expect(control.locator("tr[data-seat]").first).to_be_visible()
    assert re.search(r"exercise=ex_[0-9a-f]+", control.url), control.url
    shoot(control, "control-handout")
    control.get_by_role("button", name="Print seat cards").click()
    expect(control.locator("#seat-cards .seat-card").first).to_be_visible()
    shoot(control, "seat-cards")
    control.locator("#seat-cards").get_by_role("button", name="Close").click()
    return scenario


def link(control: Page, team: str, role: str, kind: str = "player") -> str:
    return control.locator(f'tr[data-kind="{kind}"][data-team="{team}"][data-role="{role}"] .link-input').input_value()


def play(server: HotlineServer, browser: Browser) -> None:
    control = open_page(browser, WIDE)
    scenario = create_exercise(server, control)
    team_ids = [team["id"] for team in server.http.get(f"/api/scenarios/{scenario}").json()["teams"]]
    blue_id, red_id = team_ids
    blue = open_page(browser, WIDE)
    blue.goto(link(control, blue_id, "leader"))
    expect(blue.locator("#briefing")).to_have_attribute("open", "")
    shoot(blue, "team-briefing")
    red = open_page(browser, WIDE)
    red.goto(link(control, red_id, "leader"))
    observer = open_page(browser, WIDE)
    observer.goto(link(control, "", "", kind="observer"))
    expect(control.get_by_text("3 of", exact=False)).to_be_visible()
    shoot(control, "control-lobby")

    control.get_by_role("button", name="Start (STARTEX)").click()
    expect(control.locator("dialog .empty-seats")).to_be_visible()
    shoot(control, "control-start-empty-seats")
    control.locator("dialog").get_by_role("button", name="Start anyway").click()
    control.get_by_role("button", name="Jump", exact=True).click()
    control.locator("dialog").get_by_label("Time or duration").fill("T+01:10")
    expect(control.locator("dialog .release-count")).to_be_visible()
    shoot(control, "control-jump")
    control.locator("dialog").get_by_role("button", name="Jump").click()
    expect(control.locator("dialog")).to_have_count(0)

    blue_chat = blue.locator(".chat-panel")
    blue_chat.get_by_label("Message to your team").fill(
        "Before we say anything in public, let us confirm where the crew is."
    )
    blue_chat.get_by_role("button", name="Send").click()
    red.locator(".chat-panel").get_by_label("Message to your team").fill(
        "Our pilot is still missing. The people expect an answer."
    )
    red.locator(".chat-panel").get_by_role("button", name="Send").click()
    blue_chat.get_by_label("Message to your team").fill("Agreed. Request the call with Beijing now.")
    blue_chat.get_by_role("button", name="Send").click()

    blue_line = blue.locator('.call-panel[data-channel="hotline"]')
    red_line = red.locator('.call-panel[data-channel="hotline"]')
    blue_line.get_by_role("button", name="Request a call").click()
    expect(red.locator(".banner.call")).to_be_visible()
    shoot(red, "team-console-incoming-call")
    red_line.get_by_role("button", name="Accept").click()
    expect(blue_line).to_have_attribute("data-state", "connected")
    blue_line.get_by_label("Facts", exact=True).fill("Our aircraft was over international waters; the crew is unhurt.")
    blue_line.get_by_label("Intent", exact=True).fill("We will not move more ships into the area while we talk.")
    blue_line.get_by_label("Proposal", exact=True).fill("Our defense ministers speak on the direct link today.")
    blue_line.get_by_role("button", name="Send on the call").click()
    red_line.get_by_label("Message", exact=True).fill("We need to know what happened to our pilot first.")
    red_line.get_by_role("button", name="Send on the call").click()
    expect(blue_line.locator(".call-log")).to_contain_text("our pilot first")

    escalatory = red.locator(".action.escalatory .action-take").first
    escalatory.click()
    expect(red.locator("dialog")).to_be_visible()
    red.locator("dialog").get_by_label("Rationale (optional)").fill("Public pressure at home is rising by the hour.")
    shoot(red, "team-escalation-dialog")
    red.locator("dialog").get_by_role("button", name="Take escalatory action").click()
    expect(red.locator("dialog")).to_have_count(0)

    statements = blue.locator(".statements-panel")
    statements.get_by_label("Statement", exact=True).fill(
        "We regret the loss of the pilot and are in contact with Beijing."
    )
    statements.get_by_role("button", name="Publish statement").click()
    blue.locator("dialog").get_by_role("button", name="Publish statement").click()  # confirmed
    expect(blue.locator(".statement-list .statement")).to_have_count(1)
    expect(blue.locator(".public-moves .public-move").first).to_be_visible()
    shoot(blue, "team-console")  # the All stream, newest first, with the toasts of what just arrived
    chinese = open_page(browser, WIDE, language="zh-CN")
    chinese.goto(link(control, blue_id, "leader"))
    expect(chinese.locator(".connection")).to_have_attribute("data-state", "open")
    shoot(chinese, "team-console-zh")
    chinese.get_by_role("button", name="简报").click()
    shoot(chinese, "team-briefing-zh")
    chinese_control = open_page(browser, WIDE, language="zh-CN")
    chinese_control.goto(control.url.replace("#", f"#secret={server.secret}&"))
    expect(chinese_control.locator(".next-strip")).to_be_visible()
    shoot(chinese_control, "control-running-zh")

    control.get_by_role("tab", name="MSEL").click()
    note = control.locator(".timeline .event", has_text="in team chat").first
    note.click()
    control.locator("#observe").get_by_label("What did you observe?").fill(
        "Washington checks the facts before it speaks."
    )
    shoot(control, "control-running")
    observer.locator(".watch-team .event").first.click()
    shoot(observer, "observer-watch")

    control.get_by_role("button", name="Pause").click()
    control.locator("dialog").get_by_label("Reason (shown to everyone)").fill("Plenary discussion, back in 10 minutes")
    control.locator("dialog").get_by_role("button", name="Pause").click()
    tablet = open_page(browser, TABLET)
    tablet.goto(link(control, blue_id, ""))
    tablet_control = open_page(browser, TABLET)
    tablet_control.goto(control.url.replace("#", f"#secret={server.secret}&"))
    expect(tablet_control.locator(".next-strip")).to_be_visible()
    shoot(tablet_control, "control-tablet")
    expect(tablet.locator("#paused-banner")).to_be_visible()
    shoot(tablet, "team-console-tablet")
    shoot(tablet, "team-console-tablet-full", full_page=True)

    control.get_by_role("button", name="End exercise").click()
    control.locator("dialog").get_by_role("button", name="End exercise").click()
    expect(blue.locator("#ended")).to_be_visible()
    shoot(blue, "team-console-ended")

    exercise_id = re.search(r"exercise=(ex_[0-9a-f]+)", control.url)
    assert exercise_id, control.url
    report = open_page(browser, WIDE)
    report.goto(f"{server.base_url}/report/{exercise_id.group(1)}#secret={server.secret}")
    report.wait_for_selector("body[data-ready='yes']", state="attached")
    shoot(report, "report")
    report.locator("#timeline").scroll_into_view_if_needed()
    shoot_element(report, "#timeline", "report-timeline")


def letters(server: HotlineServer, browser: Browser) -> None:
    """The leaders' hotline panel with a letter that took ten hours and a teletype that took five minutes."""
    exercise = server.create_exercise("incident-at-sea", compression=1)
    server.command(exercise["id"], "start")
    seats = {(seat["team"], seat["role"]): seat["url"] for seat in exercise["seats"] if seat["kind"] == "player"}
    blue, red = open_page(browser, {"width": 1280, "height": 1600}), open_page(browser, WIDE)
    blue.goto(seats[("blue", "leader")])
    red.goto(seats[("red", "leader")])
    red_letter = {
        "Facts": "Our pilot is still missing. Your crew is safe and being treated well.",
        "Intent": "We will not put the crew on trial while the search goes on.",
    }
    blue_teletype = {
        "Facts": "Our aircraft was in international airspace on autopilot.",
        "Proposal": "A joint look at the flight data, and a call between us today.",
    }
    for page, medium, subject, words, at in (
        (red, "letter", "The crew and the pilot", red_letter, "T+00:30"),
        (blue, "teletype", "The collision", blue_teletype, "T+10:05"),
    ):
        form = page.locator(".channel-hotline .letters")
        form.get_by_text("Write to their leader").click()
        form.get_by_label("Send as").select_option(medium)
        form.get_by_label("Subject (optional)").fill(subject)
        for label, text in words.items():
            form.get_by_label(label).fill(text)
        form.get_by_role("button", name="Send to their leader").click()
        expect(form.get_by_text("Sent: on its way.")).to_be_visible()
        server.command(exercise["id"], "jump", to=at)
    expect(blue.locator(".letter.theirs")).to_have_count(1)
    blue.locator(".channel-hotline summary").click()  # fold the form away again
    shoot_element(blue, ".channel-hotline", "team-letters")


README_PICTURES = (
    "control-running",
    "team-console",
    "team-letters",
    "team-console-zh",
    "team-briefing",
    "seat-cards",
    "control-jump",
    "report-timeline",
)
"""The PNGs the README shows (in docs/images): ``--readme DIR`` copies them there after a run."""


def main(argv: list[str] | None = None) -> int:
    global OUT
    parser = argparse.ArgumentParser(description="Save PNGs of the consoles and the report with a few moves played.")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (default: screenshots/)")
    parser.add_argument("--readme", type=Path, default=None, help="also copy the README's pictures into this folder")
    arguments = parser.parse_args(argv)
    OUT = arguments.out.resolve()
    if not CHROMIUM.exists():
        print(f"Debian's chromium is missing at {CHROMIUM}; install it with: apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"Saving screenshots into {shown(OUT)}/")
    with (
        tempfile.TemporaryDirectory(prefix="hotline-shots-") as data,
        HotlineServer(Path(data), scenario_dirs=[PROJECT / "injects", FIXTURES]) as server,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            play(server, browser)
            letters(server, browser)
        finally:
            browser.close()
    if arguments.readme is not None:
        arguments.readme.mkdir(parents=True, exist_ok=True)
        for name in README_PICTURES:
            shutil.copyfile(OUT / f"{name}.png", arguments.readme / f"{name}.png")
        print(f"README pictures copied into {shown(arguments.readme.resolve())}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
