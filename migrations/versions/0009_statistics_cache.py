"""statistics tallies kept per ended quarter

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

An ended quarter's statistics do not change, so their raw counts are kept the first time the
quarter is asked for (assistant/quarterly_cache.py). The table starts empty: each quarter is
counted again from the referrals when first asked for after this migration.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statistics_tallies",
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("tally", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("quarter", "area", "tally", "value", name=op.f("pk_statistics_tallies")),
    )


def downgrade():
    op.drop_table("statistics_tallies")
