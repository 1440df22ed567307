"""The roles a staff account can have: one each, which decides the pages and steps open to it."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    FIRST_RESPONDER = "first-responder"  # refers people, on the chat or the form
    CASEWORKER = "caseworker"  # the single expert unit: claims and decides referrals
    PANEL = "panel"  # the independent panel: reviews negative decisions
    ANALYST = "analyst"  # the statistics
    ADMIN = "admin"  # accounts and the audit trail
    TRANSLATOR = "translator"  # the translator's workspace, for the languages on their account
    POLICE_LIAISON = "police-liaison"  # summaries of the reports passed to the police force on their account


ROLES: tuple[str, ...] = tuple(role.value for role in Role)  # as stored and as the forms and CLI offer them


class Actor(Protocol):
    """Who acts, as the services and the audit trail need to know it: a signed-in User, or a chat
    connection's record of one (``accounts.sessions.Standing``)."""

    @property
    def id(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def organisation_id(self) -> int: ...
