"""a conversation's revision

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Each change to a conversation counts one more revision. A chat turn is worked out from what it read,
outside the write lock, and stored only if the conversation is still at the revision it read.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, as in 0008: a batch would copy the table, which the turns' foreign key refuses.
    op.add_column("conversations", sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False))


def downgrade():
    op.drop_column("conversations", "revision")
