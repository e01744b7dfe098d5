"""Debian's chromium through Playwright for the report's browser tests; never a downloaded browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import skip_or_fail


@pytest.fixture(scope="module")  # not session: an open sync Playwright blocks later asyncio tests
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        skip_or_fail(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def watch(page: Page) -> list[str]:
    """Script errors and policy violations the page logs: a report page must have none."""
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems
