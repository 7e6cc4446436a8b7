"""audit log indexes for the owner's Audit log and the patient's "Who opened my record"

The Audit log reads an office's entries newest first, a page at a time, and
counts them; "Who opened my record" (and the log filtered to one patient)
reads a patient's entries newest first. Two composite indexes serve those
reads in index order, and replace the single-column ones on office_id and
patient_id they start with. Measured in benchmarks/bench_audit_log.py.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 06:05:22.022414
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_office_at', ['office_id', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_patient_at', ['patient_id', 'at', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_audit_log_office_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_patient_id'))


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_office_id'), ['office_id'], unique=False)
        batch_op.drop_index('ix_audit_log_patient_at')
        batch_op.drop_index('ix_audit_log_office_at')
