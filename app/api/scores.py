"""REST for the live score card of an exercise (control only)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import Facilitator, ServicesDep, exercise_row
from app.api.errors import documented
from app.api.guard import GuardedRoute
from app.scoring.model import ScoreCard

router = APIRouter(
    prefix="/api/exercises",
    tags=["scores"],
    dependencies=[Facilitator],
    route_class=GuardedRoute,
    responses=documented(400, 401, 404, 422, 429),
)


@router.get("/{exercise_id}/scores", response_model=ScoreCard)
async def read_scores(exercise_id: str, services: ServicesDep) -> ScoreCard:
    """The score card as of the newest event: every metric for both teams, team and joint scores."""
    await exercise_row(services, exercise_id)
    return await services.scoreboard.card(exercise_id)
