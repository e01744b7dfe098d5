"""Helpers for the browser tests: consoles in their own browser contexts, a websocket cutter, seq lists."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, WebSocketRoute, expect

from tests.browser.server import HotlineServer, seat_url


@dataclass
class Console:
    """One browser tab with what it logged: pages must run without script errors or CSP violations."""

    page: Page
    problems: list[str] = field(default_factory=list)

    def watch(self) -> Console:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        return self

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(message.text)


@dataclass
class Consoles:
    """Opens each console in its own browser context (its own sessionStorage, like its own device)."""

    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    opened: list[Console] = field(default_factory=list)

    def open(self, width: int = 1280, height: int = 800) -> Console:
        context = self.browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        console = Console(context.new_page()).watch()
        self.opened.append(console)
        return console

    def problems(self) -> list[str]:
        return [problem for console in self.opened for problem in console.problems]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


class SocketCutter:
    """Routes a page's websockets through Playwright so a test can cut them as a network failure would.

    While ``blocked``, new connections are refused, so the console stays offline and keeps retrying.
    Playwright's sync API runs the route handler only while the test is inside a Playwright call.
    """

    def __init__(self, page: Page) -> None:
        self.blocked = False
        self.routes: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        self.joins: list[dict[str, Any]] = []
        page.route_web_socket(re.compile(r".*/ws/.*"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        if self.blocked:
            socket.close(code=1013, reason="offline")
            return
        server_side = socket.connect_to_server()

        def forward(message: str | bytes) -> None:
            if isinstance(message, str) and '"join"' in message:
                self.joins.append(json.loads(message))
            server_side.send(message)

        socket.on_message(forward)
        self.routes.append((socket, server_side))

    def cut(self) -> None:
        """Drop every open connection and refuse new ones."""
        self.blocked = True
        for page_side, server_side in self.routes:
            server_side.close()
            page_side.close(code=1012, reason="network lost")
        self.routes.clear()

    def restore(self) -> None:
        self.blocked = False


def seq_list(page: Page, selector: str) -> list[int]:
    """The seqs of the items a list shows, in page order."""
    values: list[Any] = page.eval_on_selector_all(selector, "items => items.map(item => Number(item.dataset.seq))")
    return [int(value) for value in values]


def started(server: HotlineServer, scenario_id: str = "mini") -> dict[str, Any]:
    """A running exercise whose clock barely moves (compression 1): the tests jump."""
    exercise = server.create_exercise(scenario_id, compression=1)
    server.command(exercise["id"], "start")
    return exercise


def leader(consoles: Consoles, exercise: dict[str, Any], team: str) -> Page:
    """The team leader's console, connected."""
    page = consoles.open().page
    page.goto(seat_url(exercise, team, "leader"))
    expect(page.locator(".connection")).to_have_attribute("data-state", "open")
    return page
