"""SmartForms: forms, versions, shares, assignments, answers, submissions, booking forms

Forms with immutable versions (the questions as JSON), sharing with practitioners
and offices, assignments to patients (by the clinic or by an online booking),
saved answers (save and come back), submissions (for good), and the form a
service asks for during online booking. Assignments and submissions refer to
patients ON DELETE RESTRICT, like every clinical row.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:27:48.256651
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


import app.models.types

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('author_sees_all', sa.Boolean(), nullable=False),
    sa.Column('recipients_see_all', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('forms', schema=None) as batch_op:
        batch_op.create_index('ix_forms_author_updated', ['author_id', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_forms_office_id'), ['office_id'], unique=False)

    op.create_table('form_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('recipient_kind', sa.Enum('practitioner', 'office', name='recipientkind', native_enum=False, length=20), nullable=False),
    sa.Column('recipient_user_id', sa.Integer(), nullable=True),
    sa.Column('recipient_office_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(recipient_user_id IS NULL) != (recipient_office_id IS NULL)', name='ck_form_shares_one_recipient'),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_id', 'recipient_office_id', name='uq_form_shares_office'),
    sa.UniqueConstraint('form_id', 'recipient_user_id', name='uq_form_shares_user')
    )
    with op.batch_alter_table('form_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_shares_form_id'), ['form_id'], unique=False)
        batch_op.create_index('ix_form_shares_recipient_office', ['recipient_office_id'], unique=False)
        batch_op.create_index('ix_form_shares_recipient_user', ['recipient_user_id'], unique=False)

    op.create_table('form_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_id', 'number', name='uq_form_versions_number')
    )
    with op.batch_alter_table('form_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_versions_form_id'), ['form_id'], unique=False)

    op.create_table('service_booking_forms',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('set_by_user_id', sa.Integer(), nullable=True),
    sa.Column('set_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('service_id')
    )
    with op.batch_alter_table('service_booking_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_booking_forms_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_booking_forms_office_id'), ['office_id'], unique=False)

    op.create_table('form_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_user_id', sa.Integer(), nullable=True),
    sa.Column('portal_user_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('status', sa.Enum('assigned', 'in_progress', 'submitted', name='assignmentstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assigned_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['portal_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['form_versions.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('form_assignments', schema=None) as batch_op:
        batch_op.create_index('ix_form_assignments_form', ['form_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_assignments_office_id'), ['office_id'], unique=False)
        batch_op.create_index('ix_form_assignments_patient', ['patient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_form_assignments_portal_user', ['portal_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_assignments_version_id'), ['version_id'], unique=False)

    op.create_table('form_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['form_assignments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'question_id', name='uq_form_answers_question')
    )
    op.create_table('form_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('submitted_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_user_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['form_assignments.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['submitted_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['form_versions.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id')
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submissions_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_patient_id'), ['patient_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submissions_patient_id'))
        batch_op.drop_index(batch_op.f('ix_form_submissions_office_id'))
        batch_op.drop_index(batch_op.f('ix_form_submissions_form_id'))

    op.drop_table('form_submissions')
    op.drop_table('form_answers')
    with op.batch_alter_table('form_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_assignments_version_id'))
        batch_op.drop_index('ix_form_assignments_portal_user')
        batch_op.drop_index('ix_form_assignments_patient')
        batch_op.drop_index(batch_op.f('ix_form_assignments_office_id'))
        batch_op.drop_index('ix_form_assignments_form')

    op.drop_table('form_assignments')
    with op.batch_alter_table('service_booking_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_booking_forms_office_id'))
        batch_op.drop_index(batch_op.f('ix_service_booking_forms_form_id'))

    op.drop_table('service_booking_forms')
    with op.batch_alter_table('form_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_versions_form_id'))

    op.drop_table('form_versions')
    with op.batch_alter_table('form_shares', schema=None) as batch_op:
        batch_op.drop_index('ix_form_shares_recipient_user')
        batch_op.drop_index('ix_form_shares_recipient_office')
        batch_op.drop_index(batch_op.f('ix_form_shares_form_id'))

    op.drop_table('form_shares')
    with op.batch_alter_table('forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forms_office_id'))
        batch_op.drop_index('ix_forms_author_updated')

    op.drop_table('forms')
