"""``spammer``: ``tft`` that also rings the hotline every few scenario minutes, needed or not.

It checks that repeated requests earn nothing (only the first contact counts for leader contact) and
cost nothing either: the calls are real and the other side may answer them; when the spammer has nothing new
to say on its own call it simply hangs up.
"""

from __future__ import annotations

from app.bots.policy import MINUTE, Command, request_call
from app.bots.tft import TitForTat

RING_INTERVAL = 20 * MINUTE


class Spammer(TitForTat):
    name = "spammer"

    def open_crisis(self) -> list[Command]:
        self.plan(RING_INTERVAL, "ring the hotline again", self.ring_again)
        return super().open_crisis()

    def speak(self, call_id: str) -> list[Command]:
        call = self.situation.calls.get(call_id)
        if call is not None and call.caller == self.situation.team and not self.situation.has_news_for(call.channel):
            return self.end_call(call_id)
        return super().speak(call_id)

    def ring_again(self) -> list[Command]:
        self.plan(RING_INTERVAL, "ring the hotline again", self.ring_again)
        channel = self.catalog.leader_line
        if channel is None or channel in self.situation.suspended or self.situation.active_call(channel):
            return []
        return [request_call(channel)]
