"""What administrators (and ``flask users create``) do to staff accounts: create them, disable and
enable them, and sign their users out everywhere. Every change is audited, with the target ``user:<id>``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from .. import audit
from ..access import NotFound
from ..extensions import db
from ..storage.models import User
from ..storage.unit_of_work import unit_of_work
from .organisations import CENTRAL, is_first_responder, organisation_for, role_fits
from .roles import ROLES, Role
from .users import MIN_PASSWORD_LENGTH, AccountError, create_user

POLICE_FORCES = "police-forces"  # the list file a police liaison's force comes from


class CannotDisableYourself(Exception):
    """An administrator may not disable their own account: another one must."""


class AlreadyDisabled(Exception):
    pass


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str | None  # the one generated when none was typed: shown once, never stored in clear


def accounts(role: str = "") -> list[User]:
    """Every account by name, or those of ``role``."""
    query = select(User).order_by(User.name, User.id)
    if role:
        query = query.where(User.role == role)
    return list(db.session.scalars(query))


def account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(user_id)
    return user


def check_police_force(role: str, force: str) -> None:
    """A police liaison's account needs a force of the police forces list, and no other account holds
    one: AccountError otherwise (field ``force``)."""
    if role != Role.POLICE_LIAISON:
        if force:
            raise AccountError("not_police_liaison", "force", "only a police liaison's account holds a force")
        return
    if not force:
        raise AccountError("force_missing", "force", "a police liaison needs a force")
    if current_app.extensions["lookups"].entry(POLICE_FORCES, force) is None:
        raise AccountError("force_unknown", "force", f"no police force {force!r} in flows/lists/police-forces.yaml")


class AccountProblems(AccountError):
    """Everything wrong with the administrators' form at once, one problem a field, in the form's order."""

    def __init__(self, problems: list[AccountError]) -> None:
        super().__init__(problems[0].code, problems[0].field, "; ".join(str(problem) for problem in problems))
        self.problems = problems


def check_new_account(email: str, name: str, role: str, slug: str, password: str, force: str = "") -> None:
    """Raise AccountProblems naming every field that is wrong on the administrators' form (an empty
    password is allowed: one is generated), so that one submit shows them all."""
    problems = [
        problem
        for check in (
            lambda: _check_email(email),
            lambda: _check_name(name),
            lambda: _check_role(role),
            lambda: _check_organisation(role, slug),
            lambda: check_police_force(role, force) if role in ROLES else None,
            lambda: _check_password(password),
        )
        if (problem := _problem(check)) is not None
    ]
    if problems:
        raise AccountProblems(problems)


def _problem(check: Callable[[], None]) -> AccountError | None:
    try:
        check()
    except AccountError as problem:
        return problem
    return None


def _check_email(email: str) -> None:
    if not email:
        raise AccountError("email_missing", "email", "enter the email address")
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        raise AccountError("email_format", "email", "email must be an email address")


def _check_name(name: str) -> None:
    if not name:
        raise AccountError("name_missing", "name", "enter the name")
    if len(name) > 200:
        raise AccountError("name_too_long", "name", "the name must be 200 characters or fewer")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError("role", "role", f"role must be one of {', '.join(ROLES)}")


def _check_organisation(role: str, slug: str) -> None:
    lookups = current_app.extensions["lookups"]
    if slug not in CENTRAL and not is_first_responder(lookups, slug):
        raise AccountError("organisation_unknown", "organisation", f"no organisation {slug!r}")
    if role in ROLES and not role_fits(lookups, role, slug):  # a role not chosen is its own problem
        raise AccountError(
            "organisation_not_first_responder" if role == Role.FIRST_RESPONDER else "organisation_not_central",
            "organisation",
            "a first responder belongs to a first-responder organisation, and caseworkers "
            "and panel members to single-competent-authority or independent-panel",
        )


def _check_password(password: str) -> None:
    if password and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            "password_short", "password", f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
        )


def create_account(email: str, name: str, role: str, slug: str, password: str, force: str = "") -> NewAccount:
    """An account from the administrators' form, with a generated password if none was typed, and a
    police liaison's with its force."""
    check_new_account(email, name, role, slug, password, force)
    generated = None if password else secrets.token_urlsafe(15)  # 20 characters, 120 bits
    with unit_of_work():
        organisation = organisation_for(db.session, current_app.extensions["lookups"], slug)
        assert organisation is not None  # checked above
        user = create_user(db.session, email, name, role, organisation, password or str(generated))
        audit.record("user-create", f"user:{user.id}")
        _give_force(user, force, by_staff=True)
    return NewAccount(user, generated)


def create_from_command_line(email: str, name: str, role: str, slug: str, password: str, force: str = "") -> User:
    """An account made by an operator at the command line: the audit trail records no staff actor. A
    police liaison's is made with its force, or not at all."""
    lookups = current_app.extensions["lookups"]
    check_police_force(role, force)
    with unit_of_work():
        organisation = organisation_for(db.session, lookups, slug)
        if organisation is None:
            raise AccountError(
                "organisation_unknown", "organisation", f"no organisation {slug!r} in flows/lists/organisations.yaml"
            )
        if not role_fits(lookups, role, organisation.slug):
            raise AccountError(
                "organisation_role",
                "organisation",
                "a first responder belongs to a first-responder organisation, and caseworkers "
                "and panel members to single-competent-authority or independent-panel",
            )
        user = create_user(db.session, email, name, role, organisation, password)
        audit.record("user-create", f"user:{user.id}", by_staff=False)
        _give_force(user, force, by_staff=False)
    return user


def _give_force(user: User, force: str, by_staff: bool) -> None:
    if force:
        user.police_force_area = force
        audit.record("user-police-force", f"user:{user.id}", by_staff=by_staff)


def check_disable(user_id: int, by: User) -> User:
    """The account, if ``by`` may disable it now: CannotDisableYourself, AlreadyDisabled otherwise."""
    user = account(user_id)
    if user.id == by.id:
        raise CannotDisableYourself
    if not user.active:
        raise AlreadyDisabled
    return user


def disable(user_id: int, by: User) -> User:
    """Disable the account and end every session of it now; a refusal is on the audit trail too."""
    with unit_of_work():
        user = account(user_id)
        if user.id == by.id:
            audit.record("user-disable", f"user:{user.id}", outcome="refused", actor=by)
        else:
            user.active = False
            user.session_version += 1  # ends every session now, as well as every sign-in from now on
            audit.record("user-disable", f"user:{user.id}", actor=by)
    if user.id == by.id:
        raise CannotDisableYourself
    return user


def enable(user_id: int, by: User) -> User:
    with unit_of_work():
        user = account(user_id)
        user.active = True
        audit.record("user-enable", f"user:{user.id}", actor=by)
    return user


def sign_out_everywhere(user_id: int, by: User) -> User:
    with unit_of_work():
        user = account(user_id)
        user.session_version += 1
        audit.record("user-sign-out", f"user:{user.id}", actor=by)
    return user


def set_police_force(user_id: int, force: str, by: User | None) -> User:
    """Give a police liaison's account its force (a value of the police forces list); ``by`` None is
    an operator at the command line. AccountError if the account is not a liaison's, or the force is
    missing or unknown. The liaison's pages read the force at each request, so it applies at once."""
    with unit_of_work():
        user = account(user_id)
        if user.role != Role.POLICE_LIAISON:
            raise AccountError("not_police_liaison", "force", "only a police liaison's account holds a force")
        check_police_force(user.role, force)
        user.police_force_area = force
        audit.record("user-police-force", f"user:{user.id}", actor=by, by_staff=by is not None)
    return user


def set_languages(user_id: int, codes: list[str], known: list[str], by: User | None) -> User:
    """Give a translator's account its languages (any of ``known``, the catalogues); ``by`` None is an
    operator at the command line. AccountError if the account is not a translator's or a code is unknown."""
    chosen = sorted(set(codes))
    with unit_of_work():
        user = account(user_id)
        if user.role != Role.TRANSLATOR:
            raise AccountError("not_translator", "languages", "only a translator's account holds languages")
        unknown = [code for code in chosen if code not in known]
        if unknown:
            raise AccountError("language_unknown", "languages", f"no catalogue for {', '.join(unknown)}")
        user.languages = chosen
        audit.record("user-languages", f"user:{user.id}", actor=by, by_staff=by is not None)
    return user
