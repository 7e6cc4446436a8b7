"""Day-before reminders, clinic notices and digests, calendar attachments

Online Booking Options gain the day-before reminder (off) and its hour; each
reminder is a row unique per appointment and day, which is how only one worker
sends it. Offices choose how the clinic hears of online bookings, cancellations
and profile proposals (a mail each, a morning digest, or nothing) and where;
events wait for the digest in clinic_notices, and each office's digest of a day
is unique. Appointments count their iCalendar SEQUENCE, and an outbox message
may carry an .ics attachment.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:18:29.606039
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "day", name="uq_clinic_digests_day"),
    )
    op.create_table(
        "clinic_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column(
            "event",
            sa.Enum(
                "online_booking",
                "online_cancellation",
                "profile_proposal",
                name="clinicevent",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("line", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["digest_id"], ["clinic_digests.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["office_id"], ["offices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clinic_notices", schema=None) as batch_op:
        batch_op.create_index("ix_clinic_notices_office_digest", ["office_id", "digest_id"], unique=False)

    op.create_table(
        "appointment_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("appointment_id", "day", name="uq_appointment_reminders_day"),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default=sa.text("0"), nullable=False))

    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notice_mode",
                sa.Enum("each", "digest", "off", name="clinicnoticemode", native_enum=False, length=20),
                server_default="digest",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("notice_email", sqlmodel.sql.sqltypes.AutoString(length=254), server_default="", nullable=False)
        )

    with op.batch_alter_table("online_booking_options", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminders_enabled", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("reminder_hour", sa.Integer(), server_default=sa.text("17"), nullable=False))

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ics_text", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("ics_text")

    with op.batch_alter_table("online_booking_options", schema=None) as batch_op:
        batch_op.drop_column("reminder_hour")
        batch_op.drop_column("reminders_enabled")

    with op.batch_alter_table("offices", schema=None) as batch_op:
        batch_op.drop_column("notice_email")
        batch_op.drop_column("notice_mode")

    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_column("sequence")

    op.drop_table("appointment_reminders")
    with op.batch_alter_table("clinic_notices", schema=None) as batch_op:
        batch_op.drop_index("ix_clinic_notices_office_digest")

    op.drop_table("clinic_notices")
    op.drop_table("clinic_digests")
