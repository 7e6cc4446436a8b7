"""Live version counters for pushed page updates

One row per topic ("calendar:7", "office:7", "user:12"), bumped in the
transaction that changes what the topic covers; each app worker reads the
topics its open pages follow about twice a second (app/live/), instead of every
open page polling the database.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 16:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_versions",
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("topic"),
    )


def downgrade() -> None:
    op.drop_table("live_versions")
