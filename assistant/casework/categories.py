"""The categories a referral is filed under: the Home Office statistics' own (no personal data).

Which question feeds each category, and how its answers map onto it, is declared by the flow
(its ``integration`` block, docs/flows.md); here are the rules for what is missing or unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from ..engine import Flow, FlowRegistry
from ..engine.integration import (
    AGE_GROUPS,
    EXPLOITATION_PLACES,
    EXPLOITATION_TYPES,
    EXPLOITER_CONTACT,
    GENDERS,
    JURISDICTIONS,
    OTHER_VICTIMS,
    Integration,
)
from ..extensions import db
from ..lookups import Entry
from ..storage.models import Organisation

__all__ = [
    "AGE_GROUPS",
    "EXPLOITATION_PLACES",
    "EXPLOITATION_TYPES",
    "GENDERS",
    "JURISDICTIONS",
    "ORGANISATION_TYPES",
    "age_at_exploitation",
    "age_group",
    "exploitation_types",
    "filed_under",
    "jurisdiction",
    "kinds",
    "named_organisation",
    "suggested_police_force",
]
# The first responder types of the published statistics (Organisation.kind of a first responder).
ORGANISATION_TYPES = ("government", "local-authority", "police", "ngo")


def kinds() -> tuple[str, ...]:
    """The kinds of referral, as the loaded flows declare them (their reference prefixes)."""
    registry: FlowRegistry = current_app.extensions["flows"]
    return registry.kinds


def age_group(integration: Integration, answers: Mapping[str, Any]) -> str:
    """Unanswered or "not sure" counts as unknown in the statistics (and as a child in the flow)."""
    found = integration.mapped("age_group", answers)
    return found[0] if found and found[0] in AGE_GROUPS else "unknown"


def exploitation_types(integration: Integration, answers: Mapping[str, Any]) -> list[str]:
    found = {kind if kind in EXPLOITATION_TYPES else "unknown" for kind in integration.mapped("exploitation", answers)}
    return [kind for kind in EXPLOITATION_TYPES if kind in found] or ["unknown"]


def jurisdiction(integration: Integration, answers: Mapping[str, Any]) -> str | None:
    found = integration.mapped("jurisdiction", answers)
    return found[0] if found and found[0] in JURISDICTIONS else None


def suggested_police_force(integration: Integration, answers: Mapping[str, Any]) -> str | None:
    """The force that gave a crime reference, if any: a caseworker confirms or picks another."""
    value = integration.answer("police_force", answers)
    return value if isinstance(value, str) else None


def age_at_exploitation(integration: Integration, answers: Mapping[str, Any]) -> str:
    """A child now was a child when exploited; otherwise the answer about the exploitation's time."""
    if age_group(integration, answers) == "child":
        return "child"
    found = integration.mapped("age_at_exploitation", answers)
    return found[0] if found and found[0] in AGE_GROUPS else "unknown"


def _one_of(integration: Integration, category: str, answers: Mapping[str, Any], known: tuple[str, ...]) -> str | None:
    found = integration.mapped(category, answers)
    return found[0] if found and (not known or found[0] in known) else None


def named_organisation(flow: Flow, answers: Mapping[str, Any]) -> Entry | None:
    """The referring organisation: the one the referral names (the flow's ``organisation`` question), as
    its list has it. The account's own organisation owns the draft, but the worker may refer for another."""
    question_id = flow.integration.question("organisation")
    question = flow.answerable(question_id) if question_id else None
    value = answers.get(question_id) if question_id else None
    if question is None or not question.lookup or not isinstance(value, str):
        return None
    entry: Entry | None = current_app.extensions["lookups"].entry(question.lookup, value)
    return entry


def filed_under(flow: Flow, answers: Mapping[str, Any], organisation_id: int | None) -> dict[str, Any]:
    """Every category column of a new referral (assistant/storage/models.py), from its answers: what the
    statistics count, so they never read the answers. The referring organisation's type is that of the
    organisation the referral names, or, when it names none, of the account's (``organisation_id``)."""
    integration = flow.integration
    lookups = current_app.extensions["lookups"]
    nationality = _one_of(integration, "nationality", answers, ())
    if nationality == "unknown" or not lookups.contains("nationalities", nationality or ""):
        nationality = None
    force = suggested_police_force(integration, answers)
    named = named_organisation(flow, answers)
    if named is not None:
        organisation_type = named.kind
    else:
        account = db.session.get(Organisation, organisation_id) if organisation_id else None
        organisation_type = account.kind if account else None
    return {
        "age_group": age_group(integration, answers),
        "age_at_exploitation": age_at_exploitation(integration, answers),
        "jurisdiction": jurisdiction(integration, answers),
        "exploitation": exploitation_types(integration, answers),
        "gender": _one_of(integration, "gender", answers, GENDERS),
        "nationality": nationality,
        "exploitation_place": _one_of(integration, "exploitation_place", answers, EXPLOITATION_PLACES),
        "organisation_type": organisation_type if organisation_type in ORGANISATION_TYPES else None,
        "police_force_area": force if force and lookups.entry("police-forces", force) is not None else None,
        "other_victims": _one_of(integration, "other_victims", answers, OTHER_VICTIMS),
        "exploiter_contact": _one_of(integration, "exploiter_contact", answers, EXPLOITER_CONTACT),
    }
