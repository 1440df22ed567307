"""The categories a referral is filed under: the Home Office statistics' own (no personal data)."""

from __future__ import annotations

from typing import Any

# types-of-exploitation answers -> the statistics' exploitation types.
EXPLOITATION = {
    "forced-to-work": "labour",
    "wages-taken": "labour",
    "forced-to-commit-fraud": "labour",
    "prostitution": "sexual",
    "child-exploitation": "sexual",
    "taken-somewhere": "sexual",
    "forced-to-commit-crime": "criminal",
    "unpaid-household-work": "domestic",
    "organs-removed": "organ-harvesting",
    "other": "unknown",
}
EXPLOITATION_TYPES = ("labour", "sexual", "criminal", "domestic", "organ-harvesting", "unknown")
AGE_GROUPS = ("adult", "child", "unknown")
JURISDICTIONS = ("england", "wales", "scotland", "northern-ireland")


def age_group(answers: dict[str, Any]) -> str:
    """Under 18 is a child; "not sure" counts as unknown in the statistics (and as a child in the flow)."""
    return {"yes": "child", "no": "adult"}.get(answers.get("pv-under-age"), "unknown")


def exploitation_types(answers: dict[str, Any]) -> list[str]:
    chosen = answers.get("types-of-exploitation") or []
    found = {EXPLOITATION.get(value, "unknown") for value in chosen} if isinstance(chosen, list) else set()
    return [kind for kind in EXPLOITATION_TYPES if kind in found] or ["unknown"]


def jurisdiction(answers: dict[str, Any]) -> str | None:
    value = answers.get("fr-location")
    return value if value in JURISDICTIONS else None


def suggested_police_force(answers: dict[str, Any]) -> str | None:
    """The force that gave a crime reference, if any: a caseworker confirms or picks another."""
    value = answers.get("reported-to-police-police-forces")
    return value if isinstance(value, str) else None
