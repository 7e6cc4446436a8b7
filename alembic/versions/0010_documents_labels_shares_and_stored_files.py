"""documents, labels, shares and stored files

Documents filed in an office's All Documents or a patient's workspace, the
office's ordinary labels and their links, shares with patients and
practitioners (unsharing keeps the row), and the database file store
(stored_files and their chunks; used when PRAXIS_FILE_STORE=database).
Documents and shares refer to patients ON DELETE RESTRICT, like every
clinical row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 07:10:59.760758
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


import app.models.types

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stored_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('chunks', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('document_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('color', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_labels', schema=None) as batch_op:
        batch_op.create_index('uq_document_labels_office_key', ['office_id', 'name_key'], unique=True)

    op.create_table('stored_file_chunks',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['stored_files.sha256'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'seq')
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('search_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('thumbnail_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('preview_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('page_count', sa.Integer(), nullable=True),
    sa.Column('origin', sa.Enum('clinic', 'patient', name='documentorigin', native_enum=False, length=20), nullable=False),
    sa.Column('uploaded_by_user_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deleted_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_office_filed', ['office_id', 'patient_id', 'uploaded_at'], unique=False)
        batch_op.create_index('ix_documents_patient_uploaded', ['patient_id', 'uploaded_at', 'id'], unique=False)
        batch_op.create_index('ix_documents_uploader', ['uploaded_by_user_id'], unique=False)

    op.create_table('document_label_links',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['document_labels.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'label_id')
    )
    with op.batch_alter_table('document_label_links', schema=None) as batch_op:
        batch_op.create_index('ix_document_label_links_label', ['label_id', 'document_id'], unique=False)

    op.create_table('document_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('recipient_user_id', sa.Integer(), nullable=True),
    sa.Column('shared_by_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_by_user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(patient_id IS NULL) != (recipient_user_id IS NULL)', name='ck_document_shares_one_recipient'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['removed_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['shared_by_user_id'], ['users.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_shares_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_document_shares_patient', ['patient_id'], unique=False)
        batch_op.create_index('ix_document_shares_recipient', ['recipient_user_id'], unique=False)
        batch_op.create_index('uq_document_shares_live_patient', ['document_id', 'patient_id'], unique=True, sqlite_where=sa.text('removed_at IS NULL AND patient_id IS NOT NULL'), postgresql_where=sa.text('removed_at IS NULL AND patient_id IS NOT NULL'))
        batch_op.create_index('uq_document_shares_live_user', ['document_id', 'recipient_user_id'], unique=True, sqlite_where=sa.text('removed_at IS NULL AND recipient_user_id IS NOT NULL'), postgresql_where=sa.text('removed_at IS NULL AND recipient_user_id IS NOT NULL'))



def downgrade() -> None:
    with op.batch_alter_table('document_shares', schema=None) as batch_op:
        batch_op.drop_index('uq_document_shares_live_user', sqlite_where=sa.text('removed_at IS NULL AND recipient_user_id IS NOT NULL'), postgresql_where=sa.text('removed_at IS NULL AND recipient_user_id IS NOT NULL'))
        batch_op.drop_index('uq_document_shares_live_patient', sqlite_where=sa.text('removed_at IS NULL AND patient_id IS NOT NULL'), postgresql_where=sa.text('removed_at IS NULL AND patient_id IS NOT NULL'))
        batch_op.drop_index('ix_document_shares_recipient')
        batch_op.drop_index('ix_document_shares_patient')
        batch_op.drop_index(batch_op.f('ix_document_shares_document_id'))

    op.drop_table('document_shares')
    with op.batch_alter_table('document_label_links', schema=None) as batch_op:
        batch_op.drop_index('ix_document_label_links_label')

    op.drop_table('document_label_links')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_uploader')
        batch_op.drop_index('ix_documents_patient_uploaded')
        batch_op.drop_index('ix_documents_office_filed')

    op.drop_table('documents')
    op.drop_table('stored_file_chunks')
    with op.batch_alter_table('document_labels', schema=None) as batch_op:
        batch_op.drop_index('uq_document_labels_office_key')

    op.drop_table('document_labels')
    op.drop_table('stored_files')
