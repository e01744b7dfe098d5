"""Cross-reference checks that the pydantic models cannot make on their own.

The schema checks each field in isolation; this module checks that the fields agree with one
another: every id a scenario mentions exists, ids are unique, timings fit inside the exercise,
the hotline and mil-mil links have someone to answer them on each side, and the scoring
parameters make sense. Each issue carries the field path as written in the file, so the loader can
point at the YAML line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from app.scenario.loader import Loc, format_path
from app.scenario.media_lint import check_media
from app.scenario.schema import (
    METRIC_IDS,
    ActionTaken,
    BandReached,
    ChannelKind,
    Curve,
    InjectReleased,
    InjectTag,
    NoContact,
    PressureReached,
    Scenario,
)
from app.scenario.timefmt import format_scenario_time

WEIGHT_TOLERANCE = 0.001
# Kinds of channel a role "holds"; feeds reach players through injects and every role has team chat.
HELD_KINDS = (ChannelKind.call, ChannelKind.cable, ChannelKind.statement)


@dataclass(frozen=True)
class LintIssue:
    loc: Loc
    message: str

    @property
    def path(self) -> str:
        return format_path(self.loc)


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    """'there is no team "x"' plus the nearest known id, or the whole list when it is short."""
    names = sorted(set(known))
    close = difflib.get_close_matches(value, names, n=1)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    elif not names:
        hint = f"; the scenario defines no {kind}s"
    elif len(names) <= 12:
        hint = f"; write one of: {', '.join(names)}"
    else:
        hint = ""
    return f"there is no {kind} '{value}'{hint}"


def _time(seconds: int) -> str:
    return format_scenario_time(seconds)


class _Linter:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.issues: list[LintIssue] = []
        self.teams = {team.id for team in scenario.teams}
        self.roles = {team.id: {role.id for role in team.roles} for team in scenario.teams}
        self.all_roles = {role for roles in self.roles.values() for role in roles}
        self.channels = {channel.id: channel for channel in reversed(scenario.channels)}
        self.actions = {action.id for action in scenario.actions}
        self.injects = {inject.id for inject in scenario.injects}
        self.objectives = {objective.id for objective in scenario.objectives}
        self.tasks = {task.id for objective in scenario.objectives for task in objective.tasks}

    def add(self, loc: Loc, message: str) -> None:
        self.issues.append(LintIssue(loc, message))

    def ref(self, loc: Loc, kind: str, value: str | None, known: Iterable[str]) -> None:
        known = set(known)
        if value is not None and value not in known:
            self.add(loc, _unknown(kind, value, known))

    def channel_ref(self, loc: Loc, value: str | None) -> None:
        self.ref(loc, "channel", value, self.channels)

    def unique(self, kind: str, entries: Iterable[tuple[Loc, str]]) -> None:
        first: dict[str, Loc] = {}
        for loc, value in entries:
            if value in first:
                self.add(
                    loc,
                    f"{kind} id '{value}' is already used at {format_path(first[value])}; ids must be unique",
                )
            else:
                first[value] = loc

    def run(self) -> list[LintIssue]:
        self.check_ids()
        self.check_teams()
        self.check_channels()
        self.check_actions()
        self.check_injects()
        self.check_inject_chains()
        self.check_objectives()
        self.check_scoring()
        self.check_briefings()
        self.check_translations()
        check_media(self.s, self.add, self.ref, self.unique)
        return self.issues

    def check_briefings(self) -> None:
        for team_id, briefing in self.s.briefings.items():
            loc: Loc = ("briefings", team_id)
            self.ref(loc, "team", team_id, self.teams)
            for role_id in briefing.roles if team_id in self.teams else ():
                self.ref((*loc, "roles", role_id), f"role in team '{team_id}'", role_id, self.roles[team_id])

    def check_ids(self) -> None:
        s = self.s
        self.unique("team", ((("teams", i, "id"), team.id) for i, team in enumerate(s.teams)))
        self.unique("channel", ((("channels", i, "id"), channel.id) for i, channel in enumerate(s.channels)))
        self.unique("action", ((("actions", i, "id"), action.id) for i, action in enumerate(s.actions)))
        self.unique("inject", ((("injects", i, "id"), inject.id) for i, inject in enumerate(s.injects)))
        self.unique("objective", ((("objectives", i, "id"), obj.id) for i, obj in enumerate(s.objectives)))
        tasks = (
            (("objectives", i, "tasks", j, "id"), task.id)
            for i, objective in enumerate(s.objectives)
            for j, task in enumerate(objective.tasks)
        )
        self.unique("task", tasks)

    def check_teams(self) -> None:
        for i, team in enumerate(self.s.teams):
            self.unique("role", ((("teams", i, "roles", j, "id"), role.id) for j, role in enumerate(team.roles)))
            if not any(role.id == "leader" for role in team.roles):
                self.add(
                    ("teams", i, "roles"),
                    f"team '{team.id}' has no role with id 'leader'; every team needs exactly one leader, "
                    "who holds the hotline",
                )
            for j, role in enumerate(team.roles):
                for k, channel_id in enumerate(role.channels):
                    loc: Loc = ("teams", i, "roles", j, "channels", k)
                    channel = self.channels.get(channel_id)
                    if channel is None:
                        self.channel_ref(loc, channel_id)
                    elif channel.kind not in HELD_KINDS:
                        self.add(
                            loc,
                            f"'{channel_id}' is a {channel.kind.value} channel; list only the call, cable "
                            "and statement channels this role may use (feeds reach players through injects, "
                            "and every role has the team chat)",
                        )

    def check_channels(self) -> None:
        for i, channel in enumerate(self.s.channels):
            if channel.letters is not None and channel.kind is not ChannelKind.call:
                self.add(
                    ("channels", i, "letters"),
                    f"'{channel.id}' is a {channel.kind.value} channel; letters travel between the holders of a "
                    "call channel (the leaders' hotline, say), so move 'letters' there",
                )
            if channel.kind is not ChannelKind.call:
                continue
            for team in self.s.teams:
                if not any(channel.id in role.channels for role in team.roles):
                    self.add(
                        ("channels", i),
                        f"nobody on team '{team.id}' holds the call channel '{channel.id}'; add it to the "
                        "'channels' of one of that team's roles",
                    )

    def check_actions(self) -> None:
        for i, action in enumerate(self.s.actions):
            self.channel_ref(("actions", i, "channel"), action.channel)
            for k, team_id in enumerate(action.teams):
                self.ref(("actions", i, "teams", k), "team", team_id, self.teams)
            teams = [team for team in action.teams if team in self.teams] or sorted(self.teams)
            allowed = {role for team in teams for role in self.roles[team]}
            for k, role_id in enumerate(action.roles):
                if role_id not in allowed:
                    where = "on any team" if not action.teams else f"on team(s) {', '.join(teams)}"
                    self.add(("actions", i, "roles", k), f"{_unknown('role', role_id, allowed)} {where}")
            self.channel_ref(("actions", i, "suspends"), action.suspends)
            self.channel_ref(("actions", i, "restores"), action.restores)
            self.check_standing(("actions", i), action.id, action.duration, action.lifted_by)

    def check_standing(self, loc: Loc, own_id: str | None, duration: int | None, lifted_by: list[str]) -> None:
        """A standing measure lasts a while, or until one of its own side's named moves lifts it."""
        if duration == 0:
            self.add((*loc, "duration"), "a standing measure needs a duration above zero; leave it out for a one-off")
        for k, action_id in enumerate(lifted_by):
            if action_id == own_id:
                self.add((*loc, "lifted_by", k), "a measure cannot be lifted by taking it again")
            else:
                self.ref((*loc, "lifted_by", k), "action", action_id, self.actions)

    def check_injects(self) -> None:
        s = self.s
        triggers = [i for i, inject in enumerate(s.injects) if InjectTag.trigger in inject.tags]
        if not triggers:
            self.add(
                ("injects",),
                "no inject is tagged 'trigger'; tag the inject that starts the crisis (it sets T0)",
            )
        for i in triggers[1:]:
            first = s.injects[triggers[0]].id
            self.add(
                ("injects", i, "tags"),
                f"'{first}' is already the trigger; exactly one inject may be tagged it",
            )
        for i, inject in enumerate(s.injects):
            loc: Loc = ("injects", i)
            if (inject.at is None) == (inject.condition is None):
                self.add(
                    loc,
                    "an inject needs either 'at' (a timed inject) or 'condition' (a contingency inject), "
                    "not " + ("both" if inject.at is not None else "neither"),
                )
            if inject.at is not None and inject.at > s.end:
                self.add((*loc, "at"), f"{_time(inject.at)} is after the scenario's end ({_time(s.end)})")
            if inject.audience != "all":
                for k, target in enumerate(inject.audience):
                    self.ref((*loc, "audience", k, "team"), "team", target.team, self.teams)
                    if target.team in self.teams:
                        known = self.roles[target.team]
                        self.ref((*loc, "audience", k, "role"), f"role in team '{target.team}'", target.role, known)
            channel = self.channels.get(inject.channel)
            if channel is None:
                self.channel_ref((*loc, "channel"), inject.channel)
            elif channel.kind is not ChannelKind.feed:
                feeds = ", ".join(c.id for c in s.channels_of_kind(ChannelKind.feed)) or "none defined"
                self.add(
                    (*loc, "channel"),
                    f"injects arrive on feed channels, and '{channel.id}' is a {channel.kind.value} channel; "
                    f"use a feed ({feeds})",
                )
            for k, action_id in enumerate(inject.expected_actions):
                self.ref((*loc, "expected_actions", k), "action", action_id, self.actions)
            self.ref((*loc, "objective"), "objective", inject.objective, self.objectives)
            if inject.decision_window is not None and InjectTag.decision not in inject.tags:
                self.add((*loc, "decision_window"), "only injects tagged 'decision' have a decision window")
            if inject.attribution is not None:
                self.ref((*loc, "attribution", "side"), "team", inject.attribution.side, self.teams)
                self.check_standing(
                    (*loc, "attribution"), None, inject.attribution.duration, inject.attribution.lifted_by
                )
            self.check_condition(i)

    def check_condition(self, i: int) -> None:
        inject = self.s.injects[i]
        condition = inject.condition
        loc: Loc = ("injects", i, "condition")
        if isinstance(condition, NoContact):
            channel = self.channels.get(condition.channel)
            if channel is None:
                self.channel_ref((*loc, "channel"), condition.channel)
            elif channel.kind is not ChannelKind.call:
                self.add((*loc, "channel"), f"contact is made on call channels, and '{channel.id}' is not one")
            if condition.by > self.s.end:
                self.add((*loc, "by"), f"{_time(condition.by)} is after the scenario's end ({_time(self.s.end)})")
        elif isinstance(condition, ActionTaken):
            self.ref((*loc, "action"), "action", condition.action, self.actions)
            self.ref((*loc, "team"), "team", condition.team, self.teams)
        elif isinstance(condition, BandReached | PressureReached):
            self.ref((*loc, "team"), "team", condition.team, self.teams)
        elif isinstance(condition, InjectReleased):
            if condition.inject == inject.id:
                self.add((*loc, "inject"), "this inject waits for its own release, so it can never fire")
            else:
                self.ref((*loc, "inject"), "inject", condition.inject, self.injects)

    def check_inject_chains(self) -> None:
        """Injects that wait for each other's release in a loop never fire; report each loop once."""
        waits_for: dict[str, str] = {}
        index: dict[str, int] = {}
        for i, inject in enumerate(self.s.injects):
            index.setdefault(inject.id, i)
            if isinstance(inject.condition, InjectReleased) and inject.condition.inject != inject.id:
                waits_for.setdefault(inject.id, inject.condition.inject)
        reported: set[str] = set()
        for start in waits_for:
            chain = [start]
            while chain[-1] in waits_for and waits_for[chain[-1]] not in chain:
                chain.append(waits_for[chain[-1]])
            if waits_for.get(chain[-1]) != start or reported & set(chain):
                continue
            reported.update(chain)
            first = min(chain, key=index.__getitem__)
            loop = chain[chain.index(first) :] + chain[: chain.index(first)] + [first]
            self.add(
                ("injects", index[first], "condition", "inject"),
                f"injects {' → '.join(loop)} wait for each other's release, so none of them can ever fire",
            )

    def check_objectives(self) -> None:
        requirements = {"channel_contact": "channel", "action_taken": "actions", "tag_used": "tag"}
        for i, objective in enumerate(self.s.objectives):
            for j, task in enumerate(objective.tasks):
                loc: Loc = ("objectives", i, "tasks", j)
                if task.team != "both":
                    self.ref((*loc, "team"), "team", task.team, self.teams)
                check = task.check
                for k, action_id in enumerate(check.actions):
                    self.ref((*loc, "check", "actions", k), "action", action_id, self.actions)
                self.channel_ref((*loc, "check", "channel"), check.channel)
                needed = requirements.get(check.kind)
                if needed and not getattr(check, needed):
                    self.add((*loc, "check"), f"a {check.kind} check needs '{needed}'")
                if check.kind == "no_band_above" and check.band is None:
                    self.add((*loc, "check"), "a no_band_above check needs 'band'")
                if check.kind == "avoided" and not (check.actions or check.tag):
                    self.add((*loc, "check"), "an avoided check needs 'actions' or 'tag': what the team must not do")
                channel = self.channels.get(check.channel or "")
                if check.kind == "message_parts" and channel is not None and channel.kind is not ChannelKind.call:
                    self.add(
                        (*loc, "check", "channel"),
                        f"'{channel.id}' is a {channel.kind.value} channel; the parts of a message are said on a call "
                        "channel, in calls and letters",
                    )

    def check_scoring(self) -> None:
        scoring = self.s.scoring
        weights = scoring.weights
        missing = [metric for metric in METRIC_IDS if metric not in weights]
        extra = sorted(set(weights) - set(METRIC_IDS))
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unknown {', '.join(extra)}"] if extra else []
            )
            self.add(
                ("scoring", "weights"),
                f"weights must name exactly the ten metrics {' '.join(METRIC_IDS)} ({'; '.join(parts)})",
            )
        total = sum(weights.values())
        if abs(total - 1) > WEIGHT_TOLERANCE:
            self.add(("scoring", "weights"), f"weights add up to {total:.3f}; they must add up to 1")
        for name in ("leader_contact", "milmil_contact", "peak_recovery"):
            curve: Curve | None = getattr(scoring, name)
            if curve is not None and not curve.a <= curve.b <= curve.c:
                got = f"a={_time(curve.a)}, b={_time(curve.b)}, c={_time(curve.c)}"
                self.add(("scoring", name), f"a curve needs a ≤ b ≤ c, got {got}")

    def check_translations(self) -> None:
        sections = {
            "channels": ("channel", self.channels),
            "actions": ("action", self.actions),
            "injects": ("inject", self.injects),
            "objectives": ("objective", self.objectives),
            "tasks": ("task", self.tasks),
        }
        for language, translation in self.s.translations.items():
            loc: Loc = ("translations", language)
            for team_id, team_text in translation.teams.items():
                self.ref((*loc, "teams", team_id), "team", team_id, self.teams)
                for role_id in team_text.roles if team_id in self.teams else ():
                    known = self.roles[team_id]
                    self.ref(
                        (*loc, "teams", team_id, "roles", role_id),
                        f"role in team '{team_id}'",
                        role_id,
                        known,
                    )
            for section, (kind, known_ids) in sections.items():
                for key in getattr(translation, section):
                    self.ref((*loc, section, key), kind, key, known_ids)
            for team_id, text in translation.briefings.items():
                original = self.s.briefings.get(team_id)
                where: Loc = (*loc, "briefings", team_id)
                if original is None:
                    self.add(where, f"translates a briefing that team '{team_id}' does not have")
                    continue
                for role_id in text.roles:
                    if role_id not in original.roles:
                        self.add((*where, "roles", role_id), f"translates a brief that role '{role_id}' does not have")
                if text.reading is not None and len(text.reading) != len(original.reading):
                    self.add(
                        (*where, "reading"),
                        f"has {len(text.reading)} reading item(s); the original has {len(original.reading)}",
                    )


def lint_issues(scenario: Scenario) -> list[LintIssue]:
    """Every cross-reference problem in a scenario that passed schema validation, in file order."""
    return _Linter(scenario).run()


def lint(scenario: Scenario) -> list[tuple[str, str]]:
    """(field path, message) for every cross-reference problem, e.g. ``("injects[3].channel", "...")``."""
    return [(issue.path, issue.message) for issue in lint_issues(scenario)]
