"""The scripted teams by name: the six of docs/bots.md (``null``, ``hawk``, ``dove``, ``tft``, ``grit``,
``spammer``) and the graded ones between them (``tft-slow``, ``writer``, ``refuser``, ``noisy``,
``escalate-agree``); docs/bots.md describes each."""

from __future__ import annotations

import random

from app.bots.catalog import TeamCatalog
from app.bots.dove import Dove
from app.bots.graded import NoisyTitForTat, Refuser, SlowTitForTat, Writer
from app.bots.grit import Grit
from app.bots.hawk import Hawk
from app.bots.policy import NullPolicy, Policy
from app.bots.spammer import Spammer
from app.bots.tft import TitForTat
from app.bots.turnaround import EscalateThenAgree

POLICIES: dict[str, type[Policy]] = {
    policy.name: policy
    for policy in (
        NullPolicy,
        Hawk,
        Dove,
        TitForTat,
        Grit,
        Spammer,
        SlowTitForTat,
        Writer,
        Refuser,
        NoisyTitForTat,
        EscalateThenAgree,
    )
}


class UnknownPolicy(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is no bot policy '{name}'; choose one of: {', '.join(POLICIES)}.")


def make_policy(name: str, catalog: TeamCatalog, seed: int, tempo: float = 1.0) -> Policy:
    """A fresh policy for one team, with its own random stream derived from the seed and the team."""
    policy = POLICIES.get(name)
    if policy is None:
        raise UnknownPolicy(name)
    return policy(catalog, random.Random(f"{seed}:{catalog.team}"), tempo=tempo)
