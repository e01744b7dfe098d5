"""PC and agreements: mechanisms that make the next incident less dangerous, and what both sides agreed.

Proposals and acceptances are paired across the two teams: an ``acceptance`` move takes the other
side's pending ``proposal`` of the same mechanism (the action id without its ``propose-``/``accept-``
prefix, so ``propose-rules-of-the-road`` pairs with ``accept-rules-of-the-road``), or else the other
side's oldest pending proposal.

A team's mechanisms for PC: each distinct ``preventive`` move it used (1), each distinct preventive
mechanism agreed with the other side, whoever proposed it (1), each of its preventive proposals still
pending or acceptances of nothing on the table (0.5). Repeating a move adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.scoring.catalog import result
from app.scoring.curves import plural
from app.scoring.model import MetricResult
from app.scoring.records import Move
from app.scoring.rules import PENDING_CREDIT
from app.scoring.timeline import Timeline

_PREFIXES = ("propose-", "proposal-", "propose_", "proposal_", "accept-", "acceptance-", "accept_", "acceptance_")


def mechanism_key(action_id: str) -> str:
    for prefix in _PREFIXES:
        if action_id.startswith(prefix):
            return action_id[len(prefix) :]
    return action_id


@dataclass(frozen=True)
class Agreement:
    proposal: Move
    acceptance: Move

    @property
    def key(self) -> str:
        return mechanism_key(self.proposal.action_id)

    def has_tag(self, tag: str) -> bool:
        return tag in self.proposal.tags or tag in self.acceptance.tags


@dataclass
class Deals:
    agreements: list[Agreement] = field(default_factory=list)
    pending: dict[str, list[Move]] = field(default_factory=dict)
    unmatched: dict[str, list[Move]] = field(default_factory=dict)


def deals(line: Timeline) -> Deals:
    """Pair every acceptance with the proposal it accepts, in log order."""
    book = Deals(pending={team: [] for team in line.teams}, unmatched={team: [] for team in line.teams})
    for move in line.moves:
        if "proposal" in move.tags:
            book.pending[move.team].append(move)
        elif "acceptance" in move.tags:
            other = next(team for team in line.teams if team != move.team)
            offers = book.pending[other]
            key = mechanism_key(move.action_id)
            chosen = next((offer for offer in offers if mechanism_key(offer.action_id) == key), None)
            chosen = chosen or (offers[0] if offers else None)
            if chosen is None:
                book.unmatched[move.team].append(move)
                continue
            offers.remove(chosen)
            book.agreements.append(Agreement(proposal=chosen, acceptance=move))
    return book


def preventive_cooperation(line: Timeline, team: str, found: Deals) -> MetricResult:
    name = line.name(team)
    used: dict[str, int] = {}
    for move in line.teams[team].moves:
        if "preventive" in move.tags and not {"proposal", "acceptance"} & move.tags:
            used.setdefault(move.action_id, move.seq)
    agreed: dict[str, list[int]] = {}
    for deal in found.agreements:
        if team in (deal.proposal.team, deal.acceptance.team) and deal.has_tag("preventive"):
            agreed.setdefault(deal.key, [deal.proposal.seq, deal.acceptance.seq])
    offered: dict[str, int] = {}
    for move in found.pending[team] + found.unmatched[team]:
        key = mechanism_key(move.action_id)
        if "preventive" in move.tags and key not in agreed:
            offered.setdefault(key, move.seq)
    mechanisms = len(used) + len(agreed) + PENDING_CREDIT * len(offered)
    target = line.params.preventive_target
    value = 100.0 * min(1.0, mechanisms / target) if target > 0 else 100.0
    if mechanisms == 0:
        text = f"{name} has not used, proposed or agreed any preventive mechanism"
    else:
        text = (
            f"{name} counts {mechanisms:g} preventive mechanisms: {len(used)} used, {len(agreed)} agreed"
            f" and {len(offered)} proposed but not yet accepted (half each)"
        )
    evidence = list(used.values()) + [seq for pair in agreed.values() for seq in pair] + list(offered.values())
    return result("PC", value, f"{text}; {plural(target, 'mechanism')} earn full marks.", evidence)
