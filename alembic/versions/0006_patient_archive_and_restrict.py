"""Patients are archived, never deleted with their history; patient references RESTRICT deletion

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose patient_id went from ON DELETE CASCADE to RESTRICT.
PATIENT_OWNED = ("appointments", "access_codes", "profile_proposals", "portal_access")
# SQLite's foreign keys have no names: this convention names the reflected ones for batch mode.
NAMING = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}


def _set_patient_fk(ondelete: str) -> None:
    for table in PATIENT_OWNED:
        name = f"{table}_patient_id_fkey"  # PostgreSQL's default name, and the convention above on SQLite
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
            batch_op.create_foreign_key(name, "patients", ["patient_id"], ["id"], ondelete=ondelete)


def upgrade() -> None:
    with op.batch_alter_table("patients", naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column("archived_at", app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("archived_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "patients_archived_by_user_id_fkey", "users", ["archived_by_user_id"], ["id"], ondelete="SET NULL"
        )
    _set_patient_fk("RESTRICT")


def downgrade() -> None:
    _set_patient_fk("CASCADE")
    with op.batch_alter_table("patients", naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint("patients_archived_by_user_id_fkey", type_="foreignkey")
        batch_op.drop_column("archived_by_user_id")
        batch_op.drop_column("archived_at")
