"""Fixtures for the real-browser tests: one Hotline server for the session, a headless chromium per module.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's sync API; no browser is downloaded.
Without chromium the browser tests skip, except on CI (CI=true) where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright

from tests.browser.helpers import Consoles
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, HotlineServer
from tests.conftest import skip_or_fail

# Generous waits: on a busy CI machine a page may take seconds to load its modules. Passing tests
# do not wait longer for it; only a real failure takes this long to report.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HotlineServer]:
    with HotlineServer(tmp_path_factory.mktemp("hotline-browser")) as running:
        yield running


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread while it
# is open, and the asyncio tests that run after a browser module need the thread to themselves.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        skip_or_fail(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield launched
    launched.close()


@pytest.fixture
def consoles(browser: Browser) -> Iterator[Consoles]:
    opened = Consoles(browser)
    yield opened
    opened.close()
