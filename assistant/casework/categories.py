"""The categories a referral is filed under: the Home Office statistics' own (no personal data).

Which question feeds each category, and how its answers map onto it, is declared by the flow
(its ``integration`` block, docs/flows.md); here are the rules for what is missing or unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app

from ..engine import FlowRegistry
from ..engine.integration import AGE_GROUPS, EXPLOITATION_TYPES, JURISDICTIONS, Integration

__all__ = [
    "AGE_GROUPS",
    "EXPLOITATION_TYPES",
    "JURISDICTIONS",
    "age_group",
    "exploitation_types",
    "jurisdiction",
    "kinds",
    "suggested_police_force",
]


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
