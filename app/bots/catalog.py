"""What one team may do in a scenario, read from the ``hello`` snapshot its seat receives.

Bots choose moves by weight, band and tags, never by action id, so the same bot plays any scenario.
Only actions the seat may take (catalog ``teams`` and ``roles``) and channels its roles hold are
offered. The thresholds are the defaults of docs/scoring.md: a player's snapshot carries no scoring parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.scenario.schema import ActionTag, CatalogAction, Channel, ChannelKind, Team
from app.scenario.timefmt import parse_scenario_time

ESCALATORY_WEIGHT = -4.0
COOPERATIVE_WEIGHT = 3.0
LEADER_ROLE = "leader"
MILITARY_ROLE = "defense"


def is_escalatory(weight: float) -> bool:
    return weight <= ESCALATORY_WEIGHT


def is_cooperative(weight: float) -> bool:
    return weight >= COOPERATIVE_WEIGHT


@dataclass(frozen=True)
class TeamCatalog:
    """The moves and channels open to one seat of one team."""

    team: str
    other: str
    roles: frozenset[str]
    actions: tuple[CatalogAction, ...]
    channels: tuple[Channel, ...]
    channel_roles: dict[str, frozenset[str]]
    end: float
    letters: dict[str, dict[str, float]] = field(default_factory=dict)
    """Channel → medium → delay: the written media of the lines this seat holds (from the hello snapshot)."""

    @classmethod
    def from_hello(cls, hello: dict[str, Any]) -> TeamCatalog:
        you = hello["you"]
        view = hello["snapshot"]["scenario"]
        team_id = str(you["team"])
        roles = frozenset(str(role) for role in you["roles"])
        teams = [Team.model_validate(team) for team in view["teams"]]
        own = next(team for team in teams if team.id == team_id)
        other = next(team.id for team in teams if team.id != team_id)
        channel_roles: dict[str, set[str]] = {}
        for role in own.roles:
            if role.id in roles:
                for channel_id in role.channels:
                    channel_roles.setdefault(channel_id, set()).add(role.id)
        actions = [CatalogAction.model_validate(action) for action in view["actions"]]
        usable = tuple(
            action
            for action in actions
            if (not action.teams or team_id in action.teams) and (not action.roles or roles & set(action.roles))
        )
        return cls(
            team=team_id,
            other=other,
            roles=roles,
            actions=usable,
            channels=tuple(Channel.model_validate(channel) for channel in view["channels"]),
            channel_roles={channel: frozenset(holders) for channel, holders in channel_roles.items()},
            end=float(parse_scenario_time(view["end"])),
            letters={
                channel: {medium: float(delay) for medium, delay in media.items()}
                for channel, media in hello["snapshot"].get("letters", {}).items()
                if channel in channel_roles
            },
        )

    # --- channels ---

    def holds(self, channel_id: str) -> bool:
        return channel_id in self.channel_roles

    def _held_of_kind(self, kind: ChannelKind) -> list[Channel]:
        return [channel for channel in self.channels if channel.kind is kind and self.holds(channel.id)]

    @property
    def leader_line(self) -> str | None:
        """The call channel the team's leader holds: the hotline."""
        calls = self._held_of_kind(ChannelKind.call)
        return next((c.id for c in calls if LEADER_ROLE in self.channel_roles[c.id]), None)

    @property
    def military_line(self) -> str | None:
        """Another call channel, preferably the defense role's: the mil-mil link."""
        calls = [c.id for c in self._held_of_kind(ChannelKind.call) if c.id != self.leader_line]
        preferred = [c for c in calls if MILITARY_ROLE in self.channel_roles[c]]
        return next(iter(preferred or calls), None)

    def letter_medium(self, prefer: str = "letter") -> str | None:
        """The written medium the leader's line carries: ``prefer`` if offered, else any."""
        media = self.letters.get(self.leader_line or "", {})
        return prefer if prefer in media else next(iter(media), None)

    @property
    def can_cable(self) -> bool:
        return bool(self._held_of_kind(ChannelKind.cable))

    @property
    def can_speak_publicly(self) -> bool:
        return bool(self._held_of_kind(ChannelKind.statement))

    # --- actions ---

    def tagged(self, tag: ActionTag, among: Iterable[CatalogAction] | None = None) -> list[CatalogAction]:
        return [action for action in (self.actions if among is None else among) if tag in action.tags]

    def first_tagged(self, tag: ActionTag, *, avoid: Iterable[ActionTag] = ()) -> CatalogAction | None:
        """The plainest action carrying ``tag``: private first, then the weight nearest zero."""
        avoided = set(avoid)
        candidates = [
            action
            for action in self.tagged(tag)
            if not avoided & set(action.tags) and action.suspends is None and action.restores is None
        ]
        candidates.sort(key=lambda a: (a.visibility.value != "private", abs(a.weight), len(a.tags)))
        return candidates[0] if candidates else None

    def plain(self) -> list[CatalogAction]:
        """Actions that neither cut nor reopen a channel."""
        return [action for action in self.actions if action.suspends is None and action.restores is None]

    def escalatory(self) -> list[CatalogAction]:
        return [action for action in self.actions if is_escalatory(action.weight) and action.restores is None]

    def restorer(self, channel_id: str) -> CatalogAction | None:
        return next((action for action in self.actions if action.restores == channel_id), None)

    def lifter(self, standing: CatalogAction) -> CatalogAction | None:
        """An action of ours that lifts a standing measure we took, if the catalog has one."""
        return next((action for action in self.actions if action.id in standing.lifted_by), None)

    def action(self, action_id: str) -> CatalogAction | None:
        return next((action for action in self.actions if action.id == action_id), None)

    def acceptance_for(self, proposal: str, taken: Iterable[str] = ()) -> CatalogAction | None:
        """The acceptance that best answers a proposal: most words in common with it, not yet taken."""
        done = set(taken)
        offered = _words(proposal)
        candidates = [a for a in self.tagged(ActionTag.acceptance) if a.id not in done]
        if not candidates:
            return None
        return max(candidates, key=lambda a: (len(offered & (_words(a.id) | _words(a.label))), a.weight, a.id))


def _words(text: str) -> set[str]:
    return {word for word in text.lower().replace("_", "-").replace(" ", "-").split("-") if len(word) > 3}
