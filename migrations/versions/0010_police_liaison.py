"""a police liaison's force

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A police liaison's account holds the police force area whose report summaries it may see. Each
referral gains two categories for those summaries: whether others were exploited too, and when the
person was last in contact with the exploiters. Only the encrypted answers hold them for referrals
from before, so those stay "not recorded".

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("police_force_area", sa.String(length=64), nullable=True))
    # Plain ALTER TABLE, as in 0008: a batch on referrals copies the table, which foreign keys refuse.
    op.add_column("referrals", sa.Column("other_victims", sa.String(length=8), nullable=True))
    op.add_column("referrals", sa.Column("exploiter_contact", sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column("referrals", "exploiter_contact")
    op.drop_column("referrals", "other_victims")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("police_force_area")
