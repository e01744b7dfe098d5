"""The facilitator improvises "the other side rammed our ship" and says whose act it was: scored as that
side's move, shown on the control timeline, never to the players; the MSEL follows who has read it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import Consoles
from tests.browser.server import HotlineServer, seat_url

pytestmark = pytest.mark.browser


def test_an_improvised_provocation_is_attributed_in_the_composer(server: HotlineServer, consoles: Consoles) -> None:
    exercise = server.create_exercise("mini", compression=1)
    server.command(exercise["id"], "start")
    control = consoles.open().page
    control.goto(f"{server.base_url}/control#secret={server.secret}&exercise={exercise['id']}")
    blue = consoles.open().page
    blue.goto(seat_url(exercise, "blue", None))
    expect(blue.locator(".connection")).to_have_attribute("data-state", "open")

    control.get_by_role("tab", name="Ad-hoc inject").click()
    composer = control.locator(".adhoc")
    expect(composer.get_by_label("Escalation band")).to_be_hidden()  # nobody's act unless the facilitator says so
    composer.get_by_label("Title").fill("Cutter rams our trawler")
    composer.get_by_label("Text").fill("A Beijing coast guard cutter rammed one of our trawlers at dawn.")
    composer.get_by_label("Whose act does it report?").select_option(label="Beijing’s act")
    composer.get_by_label("Escalation band").select_option("3")
    composer.get_by_label("Weight").fill("")
    composer.get_by_role("button", name="Release inject").click()
    expect(composer.locator(".form-status")).to_have_text("Give the act a weight from −10 to +10.")
    composer.get_by_label("Weight").fill("-7")
    composer.get_by_label("In force for (optional)").fill("06:00")
    expect(composer.locator(".attribution-summary")).to_have_text(
        "Scored as Beijing’s act: band 3 (force posture), weight −7.0, in force for 6 h."
    )
    composer.get_by_role("button", name="Release inject").click()
    expect(composer.locator(".form-status")).to_have_text("Released.")
    expect(composer.get_by_label("Whose act does it report?")).to_have_value("")  # ready for the next one

    released = [e for e in server.events(exercise["id"]) if e["payload"].get("cause") == "adhoc"]
    assert [e["internal"] for e in released] == [
        {"attribution": {"side": "red", "band": 3, "weight": -7.0, "duration": "T+06:00", "lifted_by": []}}
    ]
    item = control.locator(".timeline .event", has_text="Cutter rams our trawler")
    expect(item).to_contain_text("Scored as Beijing’s act: band 3 (force posture), weight −7.0, in force for 6 h.")
    expect(blue.locator(".feed-item", has_text="Cutter rams our trawler")).to_be_visible()
    expect(blue.locator("body")).not_to_contain_text("Scored as")

    # The MSEL lists the improvised inject once released, with its read receipts, also after a reload.
    control.get_by_role("tab", name="MSEL").click()
    row = control.locator('tr[data-inject="adhoc-1"]')
    expect(row.locator(".planned")).to_have_text("Ad hoc")
    expect(row.locator(".seen-by")).to_contain_text("Washington — whole team")
    control.reload()
    control.get_by_role("tab", name="MSEL").click()
    expect(row.locator(".seen-by")).to_contain_text("Washington — whole team")
    expect(row.get_by_role("button", name="Fire")).to_be_hidden()
    control.get_by_role("tab", name="Ad-hoc inject").click()

    control.get_by_role("button", name="中文").click()
    expect(control.locator(".adhoc legend")).to_have_text("计为一方的行动")
    expect(item).to_contain_text("计为Beijing的行为：3 级（军事态势），权重 −7.0，持续6 小时。")  # mini has no zh names
    assert consoles.problems() == []
