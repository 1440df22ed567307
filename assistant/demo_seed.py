"""Synthetic referrals at national scale, for demonstrations and benchmarks (``flask demo seed``).

Every row is synthetic: its reference starts ``SYN-``, its ``synthetic`` column is true, its answers
are only ``{"synthetic": true}``, and no outbox message is written, so none reaches the broker. The
categories follow the published national proportions, approximately:

* kind, age at exploitation, gender, the largest nationalities, referring organisation type and
  the share of positive decisions: Home Office, "Modern Slavery: NRM and DtN statistics, end of year
  summary" for 2023 and 2024 (17,004 NRM referrals and 4,929 Duty to Notify reports in 2023; 51%
  adult, 44% child; 76% male; UK 25%, Albanian 24%, Vietnamese 6%, Sudanese and Eritrean about 5%
  each; government agencies 48%, local authorities and police 23% each, NGOs 5%; 53% of
  Reasonable Grounds and 56% of Conclusive Grounds decisions positive in 2024);
* the smaller nationalities, exploitation types and their combinations, where the exploitation
  happened, the nations and the decision times are rounded approximations in the published tables'
  shape (adults mostly labour exploitation, children mostly criminal), not published figures.

Rows are written with bulk inserts (a few thousand per statement).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select, text

from . import quarterly_cache
from .extensions import db
from .storage import store
from .storage.models import Base, Referral

BATCH = 5000
TABLES = Base.metadata.tables  # Core inserts: the ORM's bookkeeping would cost more than the rows
Weights = dict[Any, float]

KIND: Weights = {"nrm": 0.78, "dtn": 0.22}
AGE_AT_EXPLOITATION: Weights = {"adult": 0.50, "child": 0.44, "unknown": 0.06}  # NRM referrals
GENDER: Weights = {"male": 0.76, "female": 0.239, "other": 0.001}
NATIONALITY: Weights = {
    "GB": 0.25, "AL": 0.24, "VN": 0.06, "SD": 0.055, "ER": 0.053, "AF": 0.04, "IR": 0.035, "IQ": 0.03,
    "RO": 0.025, "NG": 0.02, "IN": 0.02, "CN": 0.015, "PK": 0.015, "ET": 0.015, "EG": 0.012, "SY": 0.01,
    "PL": 0.01, "SO": 0.01, "KW": 0.005, "SL": 0.005, "GH": 0.005, "BG": 0.005, "LT": 0.005, "SK": 0.005,
    "TR": 0.005, "BD": 0.005, "PH": 0.005, "MY": 0.005, None: 0.022,
}  # fmt: skip
EXPLOITATION_ADULT: Weights = {
    ("labour",): 0.45, ("sexual",): 0.20, ("criminal",): 0.12, ("domestic",): 0.04,
    ("labour", "criminal"): 0.05, ("labour", "sexual"): 0.04, ("unknown",): 0.10,
}  # fmt: skip
EXPLOITATION_CHILD: Weights = {
    ("criminal",): 0.50, ("sexual",): 0.12, ("labour",): 0.08, ("sexual", "criminal"): 0.05,
    ("labour", "criminal"): 0.05, ("unknown",): 0.20,
}  # fmt: skip
PLACE: Weights = {"uk": 0.60, "overseas": 0.27, "uk-and-overseas": 0.09, None: 0.04}
ORGANISATION_TYPE: Weights = {"government": 0.48, "local-authority": 0.23, "police": 0.23, "ngo": 0.05, None: 0.01}
NATION: Weights = {"england": 0.87, "scotland": 0.06, "wales": 0.04, "northern-ireland": 0.03}
FORCE_RECORDED = 0.5  # the share naming a police force area (spread evenly over the list)
RG_DECIDED, RG_POSITIVE = 0.85, 0.53  # of NRM referrals; of those decided
CG_DECIDED, CG_POSITIVE = 0.30, 0.56  # of positive Reasonable Grounds decisions
SENT_BACK = 0.10  # panel reviews that send a negative decision back, besides those upheld


@dataclass
class Seeded:
    """What was generated, counted by category: the tables must show exactly these."""

    total: int = 0
    by: dict[str, Counter[Any]] = field(default_factory=dict)

    def count(self, category: str, value: Any) -> None:
        self.by.setdefault(category, Counter())[value] += 1


def refused() -> str | None:
    """Why seeding is not allowed here, if it is not."""
    if current_app.config.get("ENV_NAME") == "production":
        return "synthetic referrals are never written to a production database"
    return None


def seed(number: int, start: dt.datetime, end: dt.datetime, rng: random.Random | None = None) -> Seeded:
    """Write ``number`` synthetic referrals submitted between ``start`` and ``end``; return their counts."""
    rng = rng or random.Random()  # noqa: S311 - synthetic data, not secrets
    forces = [entry.value for entry in current_app.extensions["lookups"].entries("police-forces", "en")]
    flow = current_app.extensions["flows"].current("nrm").flow
    version = store.ensure_flow_version(db.session, flow.id, flow.version, flow.digest, flow.source)
    batch_id = uuid.uuid4().hex[:6]
    seeded = Seeded()
    # Ids given here rather than returned by each insert: RETURNING over thousands of rows is far
    # slower. Seeding is for a demonstration database that nothing else writes to meanwhile.
    next_id = (db.session.scalar(select(func.max(Referral.id))) or 0) + 1
    for first in range(0, number, BATCH):
        size = min(BATCH, number - first)
        rows = [_referral(rng, seeded, forces, start, end) for _ in range(size)]
        conversation_ids = [uuid.uuid4().hex for _ in rows]
        db.session.execute(
            insert(TABLES["conversations"]),
            [
                {
                    "id": cid, "flow_version_id": version.id, "status": "submitted", "state": "submitted",
                    "snapshot": {"synthetic": True}, "language": "en", "answer_languages": {},
                    "created_at": row["submitted_at"], "updated_at": row["submitted_at"],
                }
                for cid, row in zip(conversation_ids, rows, strict=True)
            ],
        )  # fmt: skip
        ids = list(range(next_id, next_id + size))
        next_id += size
        for index, (rid, cid, row) in enumerate(zip(ids, conversation_ids, rows, strict=True)):
            row.update(id=rid, conversation_id=cid, reference=f"SYN-{batch_id}-{first + index:07d}")
        panel = [row.pop("_panel") for row in rows]
        db.session.execute(insert(TABLES["referrals"]), rows)
        events = [
            {"referral_id": rid, "at": at, "action": action, "status": status}
            for rid, steps in zip(ids, panel, strict=True)
            for at, action, status in steps
        ]
        if events:
            db.session.execute(insert(TABLES["referral_events"]), events)
        db.session.commit()
    if db.engine.dialect.name == "postgresql":  # the ids were given: move the sequence past them
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('referrals', 'id'), (SELECT MAX(id) FROM referrals))")
        )
        db.session.commit()
    quarterly_cache.forget()  # referrals written into ended quarters: their kept counts are stale
    db.session.commit()
    return seeded


def _pick(rng: random.Random, weights: Weights) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _referral(
    rng: random.Random, seeded: Seeded, forces: Sequence[str], start: dt.datetime, end: dt.datetime
) -> dict[str, Any]:
    submitted = start + dt.timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))
    kind = _pick(rng, KIND)
    age = _pick(rng, AGE_AT_EXPLOITATION) if kind == "nrm" else "adult"  # Duty to Notify: adults only
    types = _pick(rng, EXPLOITATION_CHILD if age == "child" else EXPLOITATION_ADULT)
    row: dict[str, Any] = {
        "kind": kind,
        "flow_id": "nrm",
        "flow_version": "synthetic",
        "language": "en",
        "answer_languages": {},
        "answers": {"synthetic": True},
        "submitted_at": submitted,
        "updated_at": submitted,
        "synthetic": True,
        "age_group": age,
        "age_at_exploitation": age,
        "gender": _pick(rng, GENDER),
        "nationality": _pick(rng, NATIONALITY),
        "exploitation": list(types),
        "exploitation_place": _pick(rng, PLACE),
        "organisation_type": _pick(rng, ORGANISATION_TYPE),
        "jurisdiction": _pick(rng, NATION),
        "police_force_area": rng.choice(forces) if rng.random() < FORCE_RECORDED else None,
        "status": "dtn-received" if kind == "dtn" else "awaiting-rg",
        # Every row names every column: one statement inserts them all.
        "rg_decided_at": None,
        "rg_outcome": None,
        "cg_decided_at": None,
        "cg_outcome": None,
        "_panel": [],
    }
    if kind == "nrm":
        _decide(rng, row, submitted, end)
    seeded.total += 1
    for category in (
        "kind",
        "age_at_exploitation",
        "gender",
        "nationality",
        "exploitation_place",
        "organisation_type",
        "jurisdiction",
        "police_force_area",
        "rg_outcome",
        "cg_outcome",
    ):
        seeded.count(category, row.get(category))  # fmt: skip
    seeded.count("exploitation_combination", types)
    for _at, action, _status in row["_panel"]:
        seeded.count("panel", action)
    return row


def _decide(rng: random.Random, row: dict[str, Any], submitted: dt.datetime, end: dt.datetime) -> None:
    """Decisions some time after the referral (illustrative delays), with the panel's reviews; none
    after ``end``."""
    rg_at = submitted + dt.timedelta(days=rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 10, 14, 21, 30, 45)))
    if rng.random() >= RG_DECIDED or rg_at >= end:
        return
    row["rg_decided_at"] = rg_at
    if rng.random() >= RG_POSITIVE:
        row.update(rg_outcome="negative", status="rg-negative")
        row["_panel"] = _reviews(rng, rg_at, "rg-negative")
        return
    row.update(rg_outcome="positive", status="rg-positive")
    cg_at = rg_at + dt.timedelta(days=rng.randint(45, 600))
    if rng.random() < CG_DECIDED and cg_at < end:
        row["cg_decided_at"] = cg_at
        positive = rng.random() < CG_POSITIVE
        row.update(
            cg_outcome="positive" if positive else "negative", status="cg-positive" if positive else "cg-negative"
        )
        if not positive:
            row["_panel"] = _reviews(rng, cg_at, "cg-negative")


def _reviews(rng: random.Random, upheld_at: dt.datetime, status: str) -> list[tuple[dt.datetime, str, str]]:
    steps = [(upheld_at, "uphold", status)]
    if rng.random() < SENT_BACK:
        steps.insert(0, (upheld_at - dt.timedelta(days=1), "send-back", "awaiting-rg"))
    return steps
