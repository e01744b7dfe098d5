"""Commands survive a lost acknowledgement, and refusals are explained where the player acted."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

pytestmark = pytest.mark.browser


class AckSwallower:
    """Passes a console's websocket traffic through, but swallows the first ``ack`` the server sends."""

    def __init__(self, page: Page) -> None:
        self.swallowed: list[dict[str, object]] = []
        self.commands: list[dict[str, object]] = []
        page.route_web_socket(re.compile(r".*/ws/.*"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()

        def to_server(message: str | bytes) -> None:
            if isinstance(message, str) and '"send_chat"' in message:
                self.commands.append(json.loads(message))
            server.send(message)

        def to_page(message: str | bytes) -> None:
            ids = {command["id"] for command in self.commands}
            if isinstance(message, str) and '"type":"ack"' in message and not self.swallowed:
                ack = json.loads(message)
                if ack["id"] in ids:  # the chat's ack, not that of a read receipt the console sent by itself
                    self.swallowed.append(ack)
                    return
            socket.send(message)

        socket.on_message(to_server)
        server.on_message(to_page)


def test_a_command_whose_ack_is_lost_is_resent_with_its_id_and_applied_once(
    server: HotlineServer, consoles: Consoles
) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    page = consoles.open().page
    swallower = AckSwallower(page)
    page.goto(seat_url(exercise, "blue", None))
    chat = page.locator(".chat-panel")
    chat.get_by_label("Message to your team").fill("Only once, please.")
    chat.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-message")).to_have_count(1)  # the event arrives even though the ack was lost
    expect(chat.locator(".form-status")).to_have_text("", timeout=20_000)  # resent; the second ack arrives
    assert len(swallower.commands) >= 2, "the command was sent again"
    assert len({command["id"] for command in swallower.commands}) == 1, "always with the same id"
    assert [e["payload"]["text"] for e in server.events(exercise["id"]) if e["type"] == "chat_message"] == [
        "Only once, please."
    ]
    expect(page.locator(".chat-message")).to_have_count(1)
    assert consoles.problems() == []


def test_a_refused_move_is_explained_next_to_the_form(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    server.command(exercise["id"], "suspend_channel", channel="public", reason="Media blackout")
    page = consoles.open().page
    page.goto(seat_url(exercise, "red", "press"))
    statements = page.locator(".statements-panel")
    expect(statements).to_contain_text("SUSPENDED: this channel cannot be used now. Media blackout")
    statements.get_by_label("Statement", exact=True).fill("We have nothing to add.")
    statements.get_by_role("button", name="Publish statement").click()
    page.locator("dialog").get_by_role("button", name="Publish statement").click()  # confirmed
    # The refusal is explained where the player is looking: in the confirmation, which stays open.
    expect(page.locator("dialog .form-status")).to_have_text("The public channel is suspended: Media blackout")
    expect(page.locator(".statement-list .statement")).to_have_count(0)
    assert consoles.problems() == []
