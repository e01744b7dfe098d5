"""REST for the live score card of an exercise (control only)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from app.api.deps import Facilitator, ServicesDep
from app.engine.manager import ExerciseNotFound
from app.scoring.model import ScoreCard

router = APIRouter(prefix="/api/exercises", tags=["scores"], dependencies=[Facilitator])


@router.get("/{exercise_id}/scores", response_model=ScoreCard)
async def read_scores(exercise_id: str, services: ServicesDep) -> ScoreCard:
    """The score card as of the newest event: every metric for both teams, team and joint scores."""
    try:
        await services.manager.row(exercise_id)
    except ExerciseNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no exercise '{exercise_id}'.") from None
    return await services.scoreboard.card(exercise_id)
