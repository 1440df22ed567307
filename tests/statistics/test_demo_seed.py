"""`flask demo seed`: synthetic referrals whose tables show exactly what the generator made."""

from __future__ import annotations

import random

import pytest
from flask import Flask
from sqlalchemy import func, select

from assistant import demo_seed, quarterly
from assistant.extensions import db
from assistant.quarterly import Scope
from assistant.statistics import NOT_RECORDED
from assistant.storage.models import OutboxMessage, Referral
from tests.conftest import Staff

START, END = quarterly.quarter_bounds(2025, 1)[0], quarterly.quarter_bounds(2025, 4)[1]
COLUMNS = {
    "age_at_exploitation": "age_at_exploitation",
    "gender": "gender",
    "nationality": "nationality",
    "exploitation_place": "exploitation_place",
    "organisation_type": "organisation_type",
    "nation": "jurisdiction",
    "police_force_area": "police_force_area",
    "rg_outcome": "rg_outcome",
    "cg_outcome": "cg_outcome",
}


def test_the_tables_count_exactly_what_was_generated(app: Flask) -> None:
    with app.app_context():
        seeded = demo_seed.seed(400, START, END, random.Random(7))
        scope = Scope(START, END)
        assert seeded.total == db.session.scalar(select(func.count(Referral.id))) == 400
        grid = quarterly.quarters(scope)
        kinds = {column: sum(cells[i].count for _k, cells in grid.rows) for i, column in enumerate(grid.columns)}
        assert {k: kinds[k] for k in ("nrm", "dtn")} == {k: seeded.by["kind"][k] for k in ("nrm", "dtn")}
        for table_key, category in COLUMNS.items():
            table = quarterly.CATEGORY_TABLES[table_key](scope)
            shown = {cell.key: cell.count for cell in table.cells if cell.count}
            expected = {(NOT_RECORDED if key is None else key): n for key, n in seeded.by[category].items()}
            if table_key in ("rg_outcome", "cg_outcome"):  # decisions, counted by their own date
                expected.pop(NOT_RECORDED)
            if table_key == "nationality":  # beyond the 20 largest, nationalities count as "other"
                assert sum(shown.values()) == sum(expected.values())
                top = sorted((k for k in expected if k != NOT_RECORDED), key=lambda k: -expected[k])[:5]
                assert all(shown[k] == expected[k] for k in top)
                continue
            assert shown == expected, table_key
        combinations = {c.key: c.count for c in quarterly.exploitation_combinations(scope).cells}
        assert combinations == {"+".join(k): n for k, n in seeded.by["exploitation_combination"].items()}
        panel = quarterly.panel(scope)
        assert (panel.upheld.count, panel.sent_back.count) == (
            seeded.by["panel"]["uphold"],
            seeded.by["panel"]["send-back"],
        )
        synthetic = select(func.count(Referral.id)).where(Referral.synthetic, Referral.reference.startswith("SYN-"))
        assert db.session.scalar(synthetic) == 400
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0  # nothing goes to the broker


def test_the_proportions_are_roughly_the_published_ones(app: Flask) -> None:
    with app.app_context():
        seeded = demo_seed.seed(2000, START, END, random.Random(3))
    assert seeded.by["kind"]["nrm"] / 2000 == pytest.approx(0.78, abs=0.04)
    assert seeded.by["gender"]["male"] / 2000 == pytest.approx(0.76, abs=0.04)
    assert seeded.by["nationality"]["GB"] / 2000 == pytest.approx(0.25, abs=0.04)


def test_seeding_is_refused_in_production(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--referrals", "5"])
    assert result.exit_code == 1
    assert "never written to a production database" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_a_synthetic_referral_opens_on_the_caseworkers_page_saying_it_has_no_answers(app: Flask, staff: Staff) -> None:
    with app.app_context():
        demo_seed.seed(5, START, END, random.Random(5))
        references = db.session.scalars(select(Referral.reference)).all()
    client = staff.client("caseworker")
    for reference in references:
        page = client.get(f"/casework/referrals/{reference}")
        assert page.status_code == 200, reference
        assert "A synthetic referral, made to try the statistics: it has no answers." in page.text
