"""evidence files

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

Files given with a referral as evidence: what each is, and its encrypted bytes while it arrives
(chunks) and once complete (blobs, when they are kept in the database).

"""
import sqlalchemy as sa
from alembic import op

from assistant.storage.crypto import EncryptedJSON

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_files',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('conversation_id', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('received', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('extension', sa.String(length=8), nullable=True),
    sa.Column('media_type', sa.String(length=100), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('scan', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=8), nullable=False),
    sa.Column('description', EncryptedJSON('evidence_files.description'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_evidence_files_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evidence_files_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files'))
    )
    op.create_index(op.f('ix_evidence_files_conversation_id'), 'evidence_files', ['conversation_id'], unique=False)
    op.create_table('evidence_chunks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.String(length=32), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['evidence_files.id'], name=op.f('fk_evidence_chunks_file_id_evidence_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_chunks')),
    sa.UniqueConstraint('file_id', 'offset', name='uq_evidence_chunks_file_offset')
    )
    op.create_index(op.f('ix_evidence_chunks_file_id'), 'evidence_chunks', ['file_id'], unique=False)
    op.create_table('evidence_blobs',
    sa.Column('file_id', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['evidence_files.id'], name=op.f('fk_evidence_blobs_file_id_evidence_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', name=op.f('pk_evidence_blobs'))
    )


def downgrade():
    op.drop_table('evidence_blobs')
    op.drop_index(op.f('ix_evidence_chunks_file_id'), table_name='evidence_chunks')
    op.drop_table('evidence_chunks')
    op.drop_index(op.f('ix_evidence_files_conversation_id'), table_name='evidence_files')
    op.drop_table('evidence_files')
