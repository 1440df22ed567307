"""Who may do what: every route and event checks here (docs/data-protection.md, "Roles").

Staff sign in; each role sees only its own part of the service. First responders work on their
organisation's referrals only; nothing anywhere serves case data for immigration purposes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from flask import abort, url_for
from flask_login import current_user

from .accounts.roles import Actor, Role
from .accounts.sessions import login_manager
from .storage.models import User

F = TypeVar("F", bound=Callable[..., Any])


class Owned(Protocol):
    """What an organisation owns: a draft, a referral, or the row a chat event reads of its draft."""

    @property
    def organisation_id(self) -> int | None: ...


# Where each role starts after signing in (endpoint names).


class NotFound(LookupError):
    """Nothing by that name that this user may see: staff pages answer 404, never 403, so that ids of
    what is not theirs reveal nothing."""


HOME: dict[str, str] = {
    Role.FIRST_RESPONDER: "pages.chat",
    Role.CASEWORKER: "casework.queue",
    Role.PANEL: "panel.queue",
    Role.ADMIN: "admin.users",
    Role.ANALYST: "statistics.overview",
    Role.TRANSLATOR: "translate.home",
    Role.POLICE_LIAISON: "police.home",
}


def home_url(user: User) -> str:
    return url_for(HOME.get(user.role, "auth.account"))


def signed_in_user() -> User | None:
    return current_user.user if current_user and current_user.is_authenticated else None


def current_staff() -> User:
    """The signed-in user, in a view that ``roles_required`` already guards."""
    user = signed_in_user()
    if user is None:
        abort(401)
    return user


def roles_required(*roles: str) -> Callable[[F], F]:
    """The view needs a signed-in user with one of ``roles``: otherwise sign in, or 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = signed_in_user()
            if user is None:
                return login_manager.unauthorized()
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)  # wraps() gives it the view's signature

    return decorate


def may_translate(user: User | None, language: str) -> bool:
    """A translator works on the languages of their account, and nobody else on any."""
    return user is not None and user.role == Role.TRANSLATOR and language in (user.languages or [])


def may_work_on(user: Actor | None, item: Owned | None) -> bool:
    """A first responder works on their own organisation's drafts and referrals, and nobody else's."""
    return (
        item is not None
        and user is not None
        and user.role == Role.FIRST_RESPONDER
        and item.organisation_id is not None
        and item.organisation_id == user.organisation_id
    )
