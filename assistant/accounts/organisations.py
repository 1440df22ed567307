"""The organisations staff belong to: the designated first responders of flows/lists/organisations.yaml,
and the central ones (the single expert unit and the independent panel), which are not first responders.

Shared by ``flask users create`` and the administrators' pages, so both accept the same organisations.
"""

from __future__ import annotations

from ..lookups import Entry, Lookups
from ..storage.models import Organisation
from ..storage.store import DbSession
from .roles import Role
from .users import ensure_organisation

# Organisations that are not first responders, so not in flows/lists/organisations.yaml: slug -> (name, kind).
CENTRAL = {
    "single-competent-authority": ("Single Competent Authority", "unit"),
    "independent-panel": ("Independent review panel", "panel"),
}
FIRST_RESPONDERS = "organisations"  # the list file of first-responder organisations


def central_entries() -> list[Entry]:
    return [Entry(slug, name, kind) for slug, (name, kind) in CENTRAL.items()]


def first_responder_entries(lookups: Lookups) -> list[Entry]:
    return lookups.entries(FIRST_RESPONDERS, "en")  # proper names: a file list is not translated


def is_first_responder(lookups: Lookups, slug: str) -> bool:
    return slug not in CENTRAL and lookups.entry(FIRST_RESPONDERS, slug) is not None


def role_fits(lookups: Lookups, role: str, slug: str) -> bool:
    """First responders belong to a designated first-responder organisation; caseworkers and panel
    members to the central ones; analysts and administrators to either."""
    if role == Role.FIRST_RESPONDER:
        return is_first_responder(lookups, slug)
    if role in (Role.CASEWORKER, Role.PANEL):
        return slug in CENTRAL
    return True


def organisation_for(session: DbSession, lookups: Lookups, slug: str) -> Organisation | None:
    """The organisation with this slug, created on first use; None if it is neither central nor listed."""
    if slug in CENTRAL:
        name, kind = CENTRAL[slug]
        return ensure_organisation(session, slug, name, kind)
    entry = lookups.entry(FIRST_RESPONDERS, slug)
    if entry is None:
        return None
    return ensure_organisation(session, slug, entry.label, entry.kind or "ngo")
