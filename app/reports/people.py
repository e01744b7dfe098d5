"""Who took part and what they said about it: seats, evaluator observations, hot-wash answers."""

from __future__ import annotations

from collections import Counter

from app.engine.events import Event, EventType
from app.reports.describe import Describer
from app.reports.model import Hotwash, HotwashAnswer, Observation, Participant


def participants(events: list[Event]) -> list[Participant]:
    issued: dict[str, Participant] = {}
    joined: set[str] = set()
    revoked: set[str] = set()
    recorded: Counter[str] = Counter()
    for event in events:
        payload = event.payload
        if event.type is EventType.seat_issued:
            issued[payload["seat_id"]] = Participant(
                seat_id=payload["seat_id"],
                label=payload.get("label", ""),
                kind=payload.get("kind", "player"),
                team=payload.get("team"),
                role=payload.get("role"),
                joined=False,
                events=0,
            )
            revoked.discard(payload["seat_id"])
        elif event.type is EventType.seat_revoked:
            revoked.add(payload["seat_id"])
        elif event.type is EventType.presence_changed:
            if payload.get("online"):
                joined.add(payload["seat_id"])
        elif event.actor.seat_id:
            recorded[event.actor.seat_id] += 1
    return [
        seat.model_copy(
            update={"joined": seat_id in joined, "revoked": seat_id in revoked, "events": recorded[seat_id]}
        )
        for seat_id, seat in issued.items()
    ]


def observations(events: list[Event]) -> list[Observation]:
    return [
        Observation(
            seq=event.seq,
            wall_time=event.wall_time,
            scenario_time=event.scenario_time,
            author=str(event.payload.get("author", "")),
            text=str(event.payload.get("text", "")),
            objective_id=event.payload.get("objective_id"),
            rating=event.payload.get("rating"),
            linked_seqs=list(event.payload.get("linked_seqs", [])),
        )
        for event in events
        if event.type is EventType.observation_added
    ]


def hotwash(events: list[Event], describer: Describer) -> Hotwash:
    answers = []
    for event in events:
        if event.type is not EventType.hotwash_submitted:
            continue
        payload = event.payload
        anonymous = bool(payload.get("anonymous"))
        answers.append(
            HotwashAnswer(
                seq=event.seq,
                team=event.actor.team,
                # The engine already strips seat and role from an anonymous answer; the report never
                # names one even if a log written by another tool kept them.
                who=None if anonymous else describer.who(event),
                anonymous=anonymous,
                rating=int(payload.get("rating", 0)),
                worked=str(payload.get("worked", "")),
                did_not_work=str(payload.get("did_not_work", "")),
                pressure=str(payload.get("pressure", "")),
            )
        )
    counts = Counter(str(answer.rating) for answer in answers)
    mean = round(sum(answer.rating for answer in answers) / len(answers), 2) if answers else None
    return Hotwash(answers=answers, mean_rating=mean, ratings={str(n): counts[str(n)] for n in range(1, 6)})
