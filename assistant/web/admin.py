"""The administrators' pages: staff accounts and the audit trail. Nothing here shows case data.

Every change to an account is audited (user-create, user-disable, user-enable, user-sign-out, with
the target ``user:<id>``). Reading the audit trail is not itself audited: it holds no case data
(actions, references and staff ids only), it cannot be changed by anyone, and an entry for every
page of it would bury the entries an administrator is looking for.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..access import current_staff, roles_required
from ..accounts.organisations import (
    CENTRAL,
    central_entries,
    first_responder_entries,
    is_first_responder,
    organisation_for,
    role_fits,
)
from ..accounts.users import MIN_PASSWORD_LENGTH, ROLES, AccountError, create_user
from ..extensions import db
from ..storage.models import User
from .auth import disconnect_user
from .dates import bounds, date_range
from .staff import page

admin = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
# The audit trail's actions (assistant/audit.py ACTIONS), as an administrator reads them.
ACTION_LABELS: dict[str, Any] = {
    "sign-in": _l("Signed in"),
    "sign-in-failed": _l("Failed sign-in"),
    "sign-out": _l("Signed out"),
    "view": _l("Viewed a referral"),
    "claim": _l("Claimed a referral"),
    "release": _l("Released a referral"),
    "export": _l("Exported statistics"),
    "rg-positive": _l("Positive Reasonable Grounds decision"),
    "rg-negative": _l("Negative Reasonable Grounds decision proposed"),
    "cg-positive": _l("Positive Conclusive Grounds decision"),
    "cg-negative": _l("Negative Conclusive Grounds decision proposed"),
    "pass-to-police": _l("Passed to the police"),
    "uphold": _l("Panel upheld a negative decision"),
    "send-back": _l("Panel sent a decision back"),
    "reconsider": _l("Reconsideration requested"),
    "draft-delete": _l("Deleted a draft"),
    "user-create": _l("Created an account"),
    "user-disable": _l("Disabled an account"),
    "user-enable": _l("Enabled an account"),
    "user-sign-out": _l("Signed a user out everywhere"),
    "api-read": _l("API client read referrals"),
    "api-acknowledge": _l("API client acknowledged a referral"),
    "api-client-create": _l("Created an API client"),
    "api-client-disable": _l("Disabled an API client"),
}
OUTCOME_LABELS: dict[str, Any] = {"ok": _l("Done"), "refused": _l("Refused")}
# The audit trail's filters that cannot be used (audit.BadFilter), by field; the dates say their own.
FILTER_ERRORS: dict[str, Any] = {
    "action": _l("Choose an action from the list."),
    "actor": _l("Enter a user number, like 12, or an email address."),
}


@admin.before_request
@roles_required("admin")
def _admins_only() -> None:
    """Every page here is for signed-in administrators."""


def _action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def _outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


# Accounts -----------------------------------------------------------------------------------------


@admin.get("/users")
def users() -> str:
    return _users_page()


def _users_page(**context: Any) -> str:
    role = request.values.get("role", "")
    role = role if role in ROLES else ""
    query = select(User).order_by(User.name, User.id)
    if role:
        query = query.where(User.role == role)
    return page(
        "admin/users.html", users=db.session.scalars(query).all(), roles=ROLES, role=role, me=current_staff(), **context
    )


@admin.get("/users/new")
def new_user() -> str:
    return _new_user_page({})


@admin.post("/users/new")
def create() -> str | Response | tuple[str, int]:
    typed = {key: request.form.get(key, "").strip() for key in ("email", "name", "role", "organisation")}
    password = request.form.get("password", "")
    problem = _account_problem(typed, password)
    user = None
    generated = not password
    if problem is None:
        organisation = organisation_for(db.session, current_app.extensions["lookups"], typed["organisation"])
        assert organisation is not None  # checked above
        password = password or _new_password()
        try:
            user = create_user(db.session, typed["email"], typed["name"], typed["role"], organisation, password)
        except AccountError as error:
            db.session.rollback()
            problem = _translated(error)
    if problem is not None or user is None:
        field, message = problem or ("email", _("The account could not be created."))
        # The password typed is never sent back: the page asks for it again.
        return _new_user_page(typed, error=message, error_field=field), 400
    audit.record("user-create", f"user:{user.id}")
    db.session.commit()
    if generated:
        # Shown once, on this response only: never in a redirect, a flash message or a log.
        return page("admin/created.html", user=user, password=password)
    flash(_("The account for %(email)s has been created.", email=user.email))
    return redirect(url_for("admin.users"))


def _new_user_page(typed: dict[str, str], **context: Any) -> str:
    lookups = current_app.extensions["lookups"]
    return page(
        "admin/new_user.html",
        typed=typed,
        roles=ROLES,
        central=central_entries(),
        first_responders=first_responder_entries(lookups),
        min_length=MIN_PASSWORD_LENGTH,
        **context,
    )


def _account_problem(typed: dict[str, str], password: str) -> tuple[str, str] | None:
    """The first thing wrong with the form, as (field id, translated message), or None."""
    email, name, role, slug = typed["email"], typed["name"], typed["role"], typed["organisation"]
    lookups = current_app.extensions["lookups"]
    if not email:
        return "email", _("Enter the email address.")
    if "@" not in email or len(email) > 254 or any(c.isspace() for c in email):
        return "email", _("Enter an email address in the correct format, like name@example.org.")
    if not name:
        return "name", _("Enter the name.")
    if len(name) > 200:
        return "name", _("The name must be 200 characters or fewer.")
    if role not in ROLES:
        return "role", _("Choose a role.")
    if slug not in CENTRAL and not is_first_responder(lookups, slug):
        return "organisation", _("Choose an organisation.")
    if role == "first-responder" and not role_fits(lookups, role, slug):
        return "organisation", _("A first responder must belong to a first-responder organisation.")
    if not role_fits(lookups, role, slug):
        return "organisation", _(
            "Caseworkers and panel members belong to the Single Competent Authority or the independent review panel."
        )
    if password and len(password) < MIN_PASSWORD_LENGTH:
        return "password", _(
            "The password must have at least %(count)s characters, or leave it empty to generate one.",
            count=MIN_PASSWORD_LENGTH,
        )
    return None


def _translated(error: AccountError) -> tuple[str, str]:
    """create_user's reasons are in English for the command line: say them in the admin's language."""
    reason = str(error)
    if "already exists" in reason:
        return "email", _("There is already an account with that email address.")
    if "password" in reason:
        return "password", _(
            "The password must have at least %(count)s characters, or leave it empty to generate one.",
            count=MIN_PASSWORD_LENGTH,
        )
    if "email" in reason:
        return "email", _("Enter an email address in the correct format, like name@example.org.")
    return "role", _("Choose a role.")


def _new_password() -> str:
    return secrets.token_urlsafe(15)  # 20 characters, 120 bits


@admin.get("/users/<int:user_id>/disable")
def confirm_disable(user_id: int) -> str | Response | tuple[str, int]:
    """Disabling ends every session of the user at once: the users page links here to confirm it first."""
    user = _user(user_id)
    if user.id == current_staff().id:
        return _cannot_disable_yourself(user)
    if not user.active:
        flash(_("%(name)s's account is already disabled.", name=user.name))
        return _back()
    role = request.args.get("role", "")
    return page("admin/disable.html", user=user, role=role if role in ROLES else "")


@admin.post("/users/<int:user_id>/disable")
def disable(user_id: int) -> str | Response | tuple[str, int]:
    user = _user(user_id)
    if user.id == current_staff().id:
        audit.record("user-disable", f"user:{user.id}", outcome="refused")
        db.session.commit()
        return _cannot_disable_yourself(user)
    user.active = False
    user.session_version += 1  # ends every session now, as well as every sign-in from now on
    audit.record("user-disable", f"user:{user.id}")
    db.session.commit()
    disconnect_user(user.id)
    flash(_("%(name)s can no longer sign in: the account is disabled and every session has ended.", name=user.name))
    return _back()


@admin.post("/users/<int:user_id>/enable")
def enable(user_id: int) -> Response:
    user = _user(user_id)
    user.active = True
    audit.record("user-enable", f"user:{user.id}")
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=user.name))
    return _back()


@admin.post("/users/<int:user_id>/sign-out")
def sign_out(user_id: int) -> Response:
    user = _user(user_id)
    user.session_version += 1
    audit.record("user-sign-out", f"user:{user.id}")
    db.session.commit()
    disconnect_user(user.id)
    flash(_("%(name)s has been signed out everywhere.", name=user.name))
    return _back()


def _cannot_disable_yourself(user: User) -> tuple[str, int]:
    return _users_page(
        error=_("You cannot disable your own account. Ask another administrator."), error_field=f"user-{user.id}"
    ), 400


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _back() -> Response:
    role = request.values.get("role", "")
    return redirect(url_for("admin.users", role=role) if role in ROLES else url_for("admin.users"))


# The audit trail ----------------------------------------------------------------------------------


@admin.get("/audit", endpoint="audit")
def audit_trail() -> str | tuple[str, int]:
    args = {key: request.args.get(key, "").strip() for key in ("action", "actor", "target", "from", "to")}
    period, problem = date_range(args)
    start, end = bounds(period) if problem is None else (None, None)
    filters = audit.Filters(args["action"], args["actor"], args["target"], start, end)
    try:
        filters.check()
    except audit.BadFilter as bad:
        problem = bad.field, str(FILTER_ERRORS[bad.field])  # before any problem with the dates
    if problem is not None:
        field, message = problem
        return _audit_page(args, [], None, None, error=message, error_field=field), 400
    before, after = request.args.get("before", type=int), request.args.get("after", type=int)
    found = audit.search(filters, before=before, after=after, size=PAGE_SIZE)
    return _audit_page(args, found.rows, found.newer, found.older)


def _audit_page(args: dict[str, str], rows: list[Any], newer: int | None, older: int | None, **context: Any) -> str:
    filters = {key: value for key, value in args.items() if value}
    return page(
        "admin/audit.html",
        args=args,
        rows=rows,
        filters=filters,
        actions=sorted(audit.ACTIONS, key=_action_label),
        newer=newer,
        older=older,
        page_size=PAGE_SIZE,
        action_label=_action_label,
        outcome_label=_outcome_label,
        **context,
    )
