"""What a jump of the clock would do, worked out by the engine before the facilitator confirms it.

A jump releases at once every inject that falls due on the way, contingencies included (a condition
met by an inject the jump itself releases counts too). ``jump_preview`` runs the scheduler over a copy
of the state, exactly as the runtime would over the real one, so the number the confirmation shows
is the number the jump releases.
"""

from __future__ import annotations

import copy

from pydantic import BaseModel, Field

from app.engine.scheduler import ROUNDING, first_due_by
from app.engine.state import ExerciseState
from app.scenario.schema import Scenario

MAX_STEPS = 10_000


class PreviewInject(BaseModel):
    id: str
    title: str
    channel: str
    due_at: float = Field(description="Scenario time at which it falls due (it is released at the jump).")
    contingency: bool


class JumpPreview(BaseModel):
    from_time: float
    to_time: float
    endex: float = Field(description="The planned ENDEX now.")
    past_endex: bool = Field(description="The jump goes past the planned ENDEX: extend ENDEX first.")
    injects: list[PreviewInject] = Field(description="The injects the jump would release, in release order.")
    missed_calls: int = Field(description="Ringing calls the jump would mark missed.")
    letters: int = Field(default=0, description="Letters on their way that the jump would deliver.")


def jump_preview(scenario: Scenario, state: ExerciseState, now: float, target: float) -> JumpPreview:
    shadow = copy.deepcopy(state)
    shadow.endex = max(state.endex, target)  # a jump past ENDEX needs ENDEX extended to its target first
    released: list[PreviewInject] = []
    missed = delivered = 0
    for _ in range(MAX_STEPS):
        due = first_due_by(scenario, shadow, target)
        if due is None or due.kind == "endex":
            break
        if due.kind == "ring_timeout":
            shadow.calls[due.ref].status = "missed"
            missed += 1
            continue
        if due.kind == "letter_delivery":
            shadow.letters[due.ref].delivered = True
            delivered += 1
            continue
        inject = scenario.inject(due.ref)
        assert inject is not None
        released.append(
            PreviewInject(
                id=inject.id,
                title=inject.title,
                channel=inject.channel,
                due_at=due.at,
                contingency=due.contingency,
            )
        )
        held = shadow.injects[inject.id]
        held.status = "released"
        held.released_at = target
    return JumpPreview(
        from_time=now,
        to_time=target,
        endex=state.endex,
        past_endex=target > state.endex + ROUNDING,
        injects=released,
        missed_calls=missed,
        letters=delivered,
    )
