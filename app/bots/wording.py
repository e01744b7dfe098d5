"""What bots say: short, generic texts built from what the team has seen, for any scenario.

Substantive call messages carry the structured fields of docs/protocol.md (facts, intent, proposal), so
the other side and the scoring can tell real contact from small talk.
"""

from __future__ import annotations

from app.bots.situation import SeenMove, Situation
from app.scenario.schema import CatalogAction


def facts(situation: Situation) -> str:
    titles = situation.recent_titles()
    if not titles:
        return "We have no new reports beyond what both sides already know."
    return "What we know so far: " + "; ".join(titles) + ". We are still checking the details."


def calm_intent() -> str:
    return "We do not intend to escalate. Nothing we do in the next hours is aimed at your forces or your people."


def firm_intent(move: SeenMove) -> str:
    return (
        f"We have seen '{move.label}'. We will answer in proportion and no further, and we will tell you before we act."
    )


def keep_talking() -> str:
    return "Let us keep this line open, check the facts together, and say nothing in public that we have not checked."


def check_in() -> str:
    return "Checking that the line works. Nothing new on our side."


def acknowledge(subject: str) -> str:
    return f"We have received your message ({subject}). Our leader has read it and we will answer through the hotline."


def protest(move: SeenMove) -> str:
    return f"We note '{move.label}' and ask for an explanation before either side takes further steps."


def announce_step(action: CatalogAction, first: bool) -> str:
    opening = "As a first step to lower tension" if first else "As a further step to lower tension"
    return (
        f"{opening} we will, on our own, {action.label[0].lower()}{action.label[1:]}. "
        "We ask the other side to take a step of its own in return."
    )


def measured_reply(move: SeenMove) -> str:
    return (
        f"We reject '{move.label}'. We will not answer force with force; our leader has asked for a call, "
        "and our earlier offers stand."
    )


def apology() -> str:
    return "We are deeply sorry for what has happened and we accept the other side's concerns."


def concession() -> str:
    return "We regret this and will do what is asked of us."


def decision(title: str) -> str:
    return f"Decision recorded on '{title}': we take the least escalatory option and keep the channels open."


def hold_steady() -> str:
    return (
        "We hear the calls for a swift answer. We will not be rushed: we are establishing the facts and we are in "
        "contact with the other side. Our answer will be considered, and it will be ours."
    )
