"""translators' languages and their proposals

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

A translator's account holds the languages they work on; what they propose or review in the
translator's workspace is kept until it is exported into the catalogues.

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("languages", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))

    op.create_table(
        "translation_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("context", sa.String(length=200), nullable=True),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_translation_proposals_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_proposals")),
    )
    with op.batch_alter_table("translation_proposals", schema=None) as batch_op:
        batch_op.create_index("ix_translation_proposals_language_key", ["language", "key"], unique=False)


def downgrade():
    with op.batch_alter_table("translation_proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_translation_proposals_language_key")
    op.drop_table("translation_proposals")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("languages")
