"""The improvement plan of the after-action report.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "improvement_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("exercise_id", sa.String(32), sa.ForeignKey("exercises.id"), nullable=False),
        sa.Column("objective_id", sa.String(64), nullable=True),
        sa.Column("issue", sa.Text, nullable=False),
        sa.Column("corrective_action", sa.Text, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False, server_default=""),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_improvement_items_exercise_id", "improvement_items", ["exercise_id"])


def downgrade() -> None:
    op.drop_index("ix_improvement_items_exercise_id", table_name="improvement_items")
    op.drop_table("improvement_items")
