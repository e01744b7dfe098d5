"""The scripted teams by name (docs/bots.md): ``null``, ``hawk``, ``dove``, ``tft``, ``grit``, ``spammer``."""

from __future__ import annotations

import random

from app.bots.catalog import TeamCatalog
from app.bots.dove import Dove
from app.bots.grit import Grit
from app.bots.hawk import Hawk
from app.bots.policy import NullPolicy, Policy
from app.bots.spammer import Spammer
from app.bots.tft import TitForTat

POLICIES: dict[str, type[Policy]] = {
    policy.name: policy for policy in (NullPolicy, Hawk, Dove, TitForTat, Grit, Spammer)
}


class UnknownPolicy(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is no bot policy '{name}'; choose one of: {', '.join(POLICIES)}.")


def make_policy(name: str, catalog: TeamCatalog, seed: int) -> Policy:
    """A fresh policy for one team, with its own random stream derived from the seed and the team."""
    policy = POLICIES.get(name)
    if policy is None:
        raise UnknownPolicy(name)
    return policy(catalog, random.Random(f"{seed}:{catalog.team}"))
