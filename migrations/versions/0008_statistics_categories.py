"""statistics categories on each referral

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

The published NRM statistics' dimensions are kept in the clear on each referral, so the
statistics never read the encrypted answers. Referrals from before are filled from what the
service holds in the clear: the referring organisation's type, the police force a report went to,
and the decisions on the timeline. Categories only the answers hold (gender, nationality, where
the exploitation happened, age at exploitation beyond a child's) stay "not recorded" for them.

"""

import sqlalchemy as sa
from alembic import op

# The names and columns as of this revision (a later change to the model adds its own migration).
STATISTICS_INDEXES = {
    "kind": ("submitted_at", "kind"),
    "age": ("submitted_at", "age_at_exploitation"),
    "gender": ("submitted_at", "gender"),
    "nationality": ("submitted_at", "nationality"),
    "place": ("submitted_at", "exploitation_place"),
    "organisation": ("submitted_at", "organisation_type"),
    "nation": ("submitted_at", "jurisdiction"),
    "force": ("submitted_at", "police_force_area"),
    "rg": ("rg_decided_at", "rg_outcome", "submitted_at"),
    "cg": ("cg_decided_at", "cg_outcome", "submitted_at"),
}


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = [
    sa.Column("age_at_exploitation", sa.String(length=8), server_default="unknown", nullable=False),
    sa.Column("gender", sa.String(length=8), nullable=True),
    sa.Column("nationality", sa.String(length=64), nullable=True),
    sa.Column("exploitation_place", sa.String(length=16), nullable=True),
    sa.Column("organisation_type", sa.String(length=32), nullable=True),
    sa.Column("police_force_area", sa.String(length=64), nullable=True),
    sa.Column("rg_decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("rg_outcome", sa.String(length=8), nullable=True),
    sa.Column("cg_decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("cg_outcome", sa.String(length=8), nullable=True),
    sa.Column("synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False),
]

# The latest step that made each decision take effect, from the timeline (no free text is read).
DECISIONS = [
    ("rg", "positive", "action = 'rg-positive'"),
    ("rg", "negative", "action = 'uphold' AND status = 'rg-negative'"),
    ("cg", "positive", "action = 'cg-positive'"),
    ("cg", "negative", "action = 'uphold' AND status = 'cg-negative'"),
]


def upgrade():
    # Plain ALTER TABLE, not a batch: on SQLite a batch copies the table, which the foreign keys
    # of the timeline and the outbox refuse once referrals exist.
    for column in COLUMNS:
        op.add_column("referrals", column)
    op.create_index("ix_referrals_submitted_at", "referrals", ["submitted_at"], unique=False)
    for name, columns in STATISTICS_INDEXES.items():
        op.create_index(f"ix_referrals_stats_{name}", "referrals", list(columns), unique=False)
    op.create_index("ix_referral_events_action_at", "referral_events", ["action", "at"], unique=False)

    op.execute("UPDATE referrals SET age_at_exploitation = 'child' WHERE age_group = 'child'")
    op.execute(
        "UPDATE referrals SET organisation_type = (SELECT kind FROM organisations"
        " WHERE organisations.id = referrals.organisation_id"
        " AND kind IN ('government', 'local-authority', 'police', 'ngo'))"
    )
    op.execute("UPDATE referrals SET police_force_area = police_force WHERE police_force IS NOT NULL")
    for decision, outcome, step in DECISIONS:
        # Constants of this file only: no input reaches the SQL.
        latest = f"SELECT MAX(at) FROM referral_events WHERE referral_id = referrals.id AND {step}"  # noqa: S608
        op.execute(
            f"UPDATE referrals SET {decision}_outcome = '{outcome}', {decision}_decided_at = ({latest})"
            f" WHERE ({latest}) IS NOT NULL"
        )


def downgrade():
    op.drop_index("ix_referral_events_action_at", table_name="referral_events")
    for name in STATISTICS_INDEXES:
        op.drop_index(f"ix_referrals_stats_{name}", table_name="referrals")
    op.drop_index("ix_referrals_submitted_at", table_name="referrals")
    for column in reversed(COLUMNS):
        op.drop_column("referrals", column.name)
