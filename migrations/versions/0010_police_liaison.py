"""a police liaison's force

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07

A police liaison's account holds the police force area whose report summaries it may see. The
summaries themselves come from the referrals' category columns (migration 0008); nothing new is
kept about a referral.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("police_force_area", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("police_force_area")
