"""Migration 0006 fills the new category columns of older referrals from what is held in the clear."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]


def flask_db(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", *args], cwd=ROOT, env=env, check=True)


def test_older_referrals_get_their_organisation_type_force_and_decisions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    flask_db(url, "upgrade", "0005")
    engine = sa.create_engine(url)
    with engine.begin() as db:
        db.execute(
            sa.text("INSERT INTO organisations (id, slug, name, kind) VALUES (1, 'police-kent', 'Kent', 'police')")
        )
        db.execute(
            sa.text(
                "INSERT INTO flow_versions (id, flow_id, version, digest, source, created_at)"
                " VALUES (1, 'nrm', '1', 'd', '', '2025-01-01')"
            )
        )
        db.execute(
            sa.text(
                "INSERT INTO conversations (id, flow_version_id, status, state, snapshot, language,"
                " answer_languages, created_at, updated_at)"
                " VALUES ('c1', 1, 'submitted', 'submitted', 'x', 'en', '{}', '2025-01-01', '2025-01-01')"
            )
        )
        db.execute(
            sa.text(
                "INSERT INTO referrals (id, reference, kind, conversation_id, flow_id, flow_version, language,"
                " answer_languages, submitted_at, status, answers, organisation_id, age_group, exploitation,"
                " police_force, updated_at) VALUES (1, 'NRM-OLD', 'nrm', 'c1', 'nrm', '1', 'en', '{}',"
                " '2025-01-06 10:00:00', 'rg-negative', 'x', 1, 'child', '[]', 'kent', '2025-01-06')"
            )
        )
        for at, action, status in [
            ("2025-01-08 10:00:00", "rg-negative", "rg-negative-proposed"),
            ("2025-01-09 10:00:00", "uphold", "rg-negative"),
        ]:
            db.execute(
                sa.text(
                    "INSERT INTO referral_events (referral_id, at, action, status)"
                    f" VALUES (1, '{at}', '{action}', '{status}')"
                )
            )
    flask_db(url, "upgrade")
    with engine.connect() as db:
        row = db.execute(
            sa.text(
                "SELECT organisation_type, police_force_area, age_at_exploitation, rg_outcome, rg_decided_at,"
                " cg_outcome, gender FROM referrals"
            )
        ).one()
    assert tuple(row) == ("police", "kent", "child", "negative", "2025-01-09 10:00:00", None, None)
