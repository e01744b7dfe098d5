"""Several server processes: process registry, exercise leases, presence, shared secrets, stored uploads.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_processes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False, index=True),
        sa.Column("reaper", sa.String(32), nullable=True),
    )
    op.create_table(
        "exercise_leases",
        sa.Column("exercise_id", sa.String(32), sa.ForeignKey("exercises.id"), primary_key=True),
        sa.Column("holder", sa.String(32), nullable=True, index=True),
        sa.Column("token", sa.BigInteger, nullable=False, server_default="0"),
    )
    # Every exercise gets its lease row now: the row is also the lock every append takes.
    op.execute("INSERT INTO exercise_leases (exercise_id, holder, token) SELECT id, NULL, 0 FROM exercises")
    op.create_table(
        "seat_presence",
        sa.Column("process_id", sa.String(32), primary_key=True),
        sa.Column("exercise_id", sa.String(32), primary_key=True),
        sa.Column("seat_id", sa.String(32), primary_key=True),
        sa.Column("devices", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "scenario_uploads",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("scenario_uploads")
    op.drop_table("server_secrets")
    op.drop_table("seat_presence")
    op.drop_table("exercise_leases")
    op.drop_table("server_processes")
