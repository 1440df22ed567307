"""Intake records: the referral as the central unit receives it (README "Intake format")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .extensions import db
from .storage import store
from .storage.models import Referral


def intake_record(referral: Referral) -> dict[str, Any]:
    submitted = referral.submitted_at.astimezone(dt.UTC)
    return {
        "reference": referral.reference,
        "kind": referral.kind,
        "conversation_id": referral.conversation_id,
        "flow_version": referral.flow_version,
        "language": referral.language,
        "answer_languages": referral.answer_languages,
        "submitted_at": submitted.isoformat().replace("+00:00", "Z"),
        "answers": referral.answers,
    }


def intake_records() -> list[dict[str, Any]]:
    return [intake_record(r) for r in store.list_referrals(db.session)]
