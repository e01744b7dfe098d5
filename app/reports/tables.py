"""The improvement plan's table: one row per corrective action the facilitator writes in the report.

Created by migration ``0002_improvement_plan``; like every table, never by ``create_all``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field as ColumnField
from sqlmodel import SQLModel

import app.models  # noqa: F401  (the exercises table this one refers to must be known first)


class ImprovementItemRow(SQLModel, table=True):
    __tablename__ = "improvement_items"

    id: int | None = ColumnField(default=None, primary_key=True)
    exercise_id: str = ColumnField(foreign_key="exercises.id", index=True, max_length=32)
    objective_id: str | None = ColumnField(default=None, max_length=64)
    issue: str = ColumnField(sa_column=Column(Text, nullable=False))
    corrective_action: str = ColumnField(sa_column=Column(Text, nullable=False))
    owner: str = ColumnField(default="", max_length=200)
    due_date: date | None = None
    created_at: datetime
    updated_at: datetime
