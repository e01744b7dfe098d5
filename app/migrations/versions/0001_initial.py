"""Exercises, seats and the event log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exercises",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("scenario_id", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("compression", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("scenario_json", sa.Text, nullable=False),
    )
    op.create_table(
        "seats",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("exercise_id", sa.String(32), sa.ForeignKey("exercises.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("team", sa.String(64), nullable=True),
        sa.Column("role", sa.String(64), nullable=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("exercise_id", sa.String(32), sa.ForeignKey("exercises.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("wall_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scenario_time", sa.Float, nullable=False),
        sa.Column("actor", sa.JSON, nullable=False),
        sa.Column("audience", sa.JSON, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("internal", sa.JSON, nullable=True),
        sa.Column("command_id", sa.String(80), nullable=True),
        sa.UniqueConstraint("exercise_id", "seq", name="uq_events_exercise_seq"),
    )
    op.create_index("ix_events_exercise_type", "events", ["exercise_id", "type"])


def downgrade() -> None:
    op.drop_index("ix_events_exercise_type", table_name="events")
    op.drop_table("events")
    op.drop_table("seats")
    op.drop_table("exercises")
