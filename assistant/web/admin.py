"""The administrators' pages: staff accounts and the audit trail. Nothing here shows case data.

The account rules are assistant/accounts/administration.py's, the trail's search assistant/audit.py's.
Reading the audit trail is not itself audited: it holds no case data
(actions, references and staff ids only), it cannot be changed by anyone, and an entry for every
page of it would bury the entries an administrator is looking for.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from .. import audit
from ..access import current_staff, roles_required
from ..accounts import administration
from ..accounts.organisations import central_entries, first_responder_entries
from ..accounts.roles import ROLES, Role
from ..accounts.users import MIN_PASSWORD_LENGTH, AccountError
from ..translation.catalogue import catalogue_codes
from .auth import disconnect_user
from .dates import bounds, date_range
from .labels import ACTION
from .staff import page

admin = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
# The audit trail's actions (assistant/audit.py ACTIONS), as an administrator reads them.
ACTION_LABELS: dict[str, Any] = {
    "sign-in": _l("Signed in"),
    "sign-in-failed": _l("Failed sign-in"),
    "sign-in-throttled": _l("Sign-in paused after failed attempts"),
    "sign-out": _l("Signed out"),
    "view": _l("Viewed a referral"),
    "claim": _l("Claimed a referral"),
    "release": _l("Released a referral"),
    "export": _l("Exported statistics"),
    **{name: action.audited for name, action in ACTION.items()},  # the casework actions
    "draft-start": _l("Started a draft"),
    "submit": _l("Submitted a referral"),
    "draft-delete": _l("Deleted a draft"),
    "evidence-upload": _l("Added a file to a draft"),
    "evidence-refused": _l("A file was refused"),
    "evidence-download": _l("Downloaded a referral's file"),
    "user-create": _l("Created an account"),
    "user-disable": _l("Disabled an account"),
    "user-enable": _l("Enabled an account"),
    "user-sign-out": _l("Signed a user out everywhere"),
    "api-read": _l("API client read referrals"),
    "api-acknowledge": _l("API client acknowledged a referral"),
    "api-client-create": _l("Created an API client"),
    "api-client-disable": _l("Disabled an API client"),
    "user-languages": _l("Changed a translator's languages"),
    "translation-propose": _l("Proposed a translation"),
    "translation-review": _l("Reviewed a translation"),
    "translation-export": _l("Exported translation proposals and reviews"),
    "police-view": _l("Viewed a police force's report summaries"),
    "police-export": _l("Exported a police force's report summaries"),
    "user-police-force": _l("Set a police liaison's force"),
}
OUTCOME_LABELS: dict[str, Any] = {"ok": _l("Done"), "refused": _l("Refused")}
_PASSWORD_TOO_SHORT = _l(
    "The password must have at least %(count)s characters, or leave it empty to generate one.",
    count=MIN_PASSWORD_LENGTH,
)
_EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.org.")
# Why an account could not be created (AccountError codes), in the administrator's language.
ACCOUNT_ERRORS: dict[str, Any] = {
    "email_missing": _l("Enter the email address."),
    "email_format": _EMAIL_FORMAT,
    "email_taken": _l("There is already an account with that email address."),
    "name_missing": _l("Enter the name."),
    "name_too_long": _l("The name must be 200 characters or fewer."),
    "role": _l("Choose a role."),
    "organisation_unknown": _l("Choose an organisation."),
    "organisation_not_first_responder": _l("A first responder must belong to a first-responder organisation."),
    "organisation_not_central": _l(
        "Caseworkers and panel members belong to the Single Competent Authority or the independent review panel."
    ),
    "password_short": _PASSWORD_TOO_SHORT,
    "force_missing": _l("Choose the police force of this police liaison."),
    "force_unknown": _l("Choose a police force from the list."),
    "not_police_liaison": _l("Only a police liaison's account holds a police force. Choose none for this role."),
}
# The audit trail's filters that cannot be used (audit.BadFilter), by field; the dates say their own.
FILTER_ERRORS: dict[str, Any] = {
    "action": _l("Choose an action from the list."),
    "actor": _l("Enter a user number, like 12, or an email address."),
}


@admin.before_request
@roles_required(Role.ADMIN)
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
    forces = {entry.value: entry.label for entry in _forces()}
    return page(
        "admin/users.html",
        users=administration.accounts(role),
        roles=ROLES,
        role=role,
        me=current_staff(),
        forces=forces,
        **context,
    )


@admin.get("/users/new")
def new_user() -> str:
    return _new_user_page({})


@admin.post("/users/new")
def create() -> str | Response | tuple[str, int]:
    typed = {key: request.form.get(key, "").strip() for key in ("email", "name", "role", "organisation", "force")}
    try:
        created = administration.create_account(
            typed["email"],
            typed["name"],
            typed["role"],
            typed["organisation"],
            request.form.get("password", ""),
            typed["force"],
        )
    except AccountError as error:
        # The password typed is never sent back: the page asks for it again.
        found = [(p.field, str(ACCOUNT_ERRORS[p.code])) for p in getattr(error, "problems", [error])]
        return _new_user_page(typed, error=found[0][1], error_field=found[0][0], errors=found), 400
    if created.password is not None:
        # Shown once, on this response only: never in a redirect, a flash message or a log.
        return page("admin/created.html", user=created.user, password=created.password)
    flash(_("The account for %(email)s has been created.", email=created.user.email))
    return redirect(url_for("admin.users"))


def _new_user_page(typed: dict[str, str], **context: Any) -> str:
    lookups = current_app.extensions["lookups"]
    return page(
        "admin/new_user.html",
        field_errors=dict(context.get("errors", [])),
        typed=typed,
        roles=ROLES,
        central=central_entries(),
        first_responders=first_responder_entries(lookups),
        forces=_forces(),
        min_length=MIN_PASSWORD_LENGTH,
        **context,
    )


@admin.get("/users/<int:user_id>/disable")
def confirm_disable(user_id: int) -> str | Response | tuple[str, int]:
    """Disabling ends every session of the user at once: the users page links here to confirm it first."""
    try:
        user = administration.check_disable(user_id, current_staff())
    except administration.CannotDisableYourself:
        return _cannot_disable_yourself(user_id)
    except administration.AlreadyDisabled:
        flash(_("%(name)s's account is already disabled.", name=administration.account(user_id).name))
        return _back()
    role = request.args.get("role", "")
    return page("admin/disable.html", user=user, role=role if role in ROLES else "")


@admin.post("/users/<int:user_id>/disable")
def disable(user_id: int) -> str | Response | tuple[str, int]:
    try:
        user = administration.disable(user_id, current_staff())
    except administration.CannotDisableYourself:
        return _cannot_disable_yourself(user_id)
    disconnect_user(user.id)
    flash(_("%(name)s can no longer sign in: the account is disabled and every session has ended.", name=user.name))
    return _back()


@admin.post("/users/<int:user_id>/enable")
def enable(user_id: int) -> Response:
    user = administration.enable(user_id, current_staff())
    flash(_("%(name)s can sign in again.", name=user.name))
    return _back()


@admin.post("/users/<int:user_id>/sign-out")
def sign_out(user_id: int) -> Response:
    user = administration.sign_out_everywhere(user_id, current_staff())
    disconnect_user(user.id)
    flash(_("%(name)s has been signed out everywhere.", name=user.name))
    return _back()


def _cannot_disable_yourself(user_id: int) -> tuple[str, int]:
    return _users_page(
        error=_("You cannot disable your own account. Ask another administrator."), error_field=f"user-{user_id}"
    ), 400


def _back() -> Response:
    role = request.values.get("role", "")
    return redirect(url_for("admin.users", role=role) if role in ROLES else url_for("admin.users"))


@admin.get("/users/<int:user_id>/languages")
def languages(user_id: int) -> str:
    user = administration.account(user_id)
    return page("admin/languages.html", user=user, codes=catalogue_codes(), chosen=set(user.languages or []))


@admin.post("/users/<int:user_id>/languages")
def set_languages(user_id: int) -> Response | tuple[str, int]:
    codes = request.form.getlist("language")
    try:
        user = administration.set_languages(user_id, codes, catalogue_codes(), current_staff())
    except AccountError:
        user = administration.account(user_id)
        message = (
            _("Only a translator's account holds languages.")
            if user.role != Role.TRANSLATOR
            else _("Choose languages from the list.")
        )
        context = {"user": user, "codes": catalogue_codes(), "chosen": set(codes), "error": message}
        return page("admin/languages.html", error_field="languages", **context), 400
    flash(_("%(name)s now translates: %(languages)s.", name=user.name, languages=", ".join(user.languages) or "-"))
    return redirect(url_for("admin.users", role=Role.TRANSLATOR))


def _forces() -> list[Any]:
    """The police forces a liaison's account may hold: proper names, not translated."""
    return list(current_app.extensions["lookups"].entries(administration.POLICE_FORCES, "en"))


@admin.get("/users/<int:user_id>/police-force")
def police_force(user_id: int) -> str:
    user = administration.account(user_id)
    return page("admin/police_force.html", user=user, forces=_forces(), chosen=user.police_force_area or "")


@admin.post("/users/<int:user_id>/police-force")
def set_police_force(user_id: int) -> Response | tuple[str, int]:
    force = request.form.get("force", "").strip()
    try:
        user = administration.set_police_force(user_id, force, current_staff())
    except AccountError as error:
        user = administration.account(user_id)
        message = (
            _("Only a police liaison's account holds a police force.")
            if error.code == "not_police_liaison"
            else str(ACCOUNT_ERRORS[error.code])
        )
        context = {"user": user, "forces": _forces(), "chosen": force, "error": message, "error_field": "force"}
        return page("admin/police_force.html", **context), 400
    name = next(entry.label for entry in _forces() if entry.value == force)
    flash(_("%(name)s now sees the reports passed to %(force)s.", name=user.name, force=name))
    return redirect(url_for("admin.users", role=Role.POLICE_LIAISON))


# The audit trail ----------------------------------------------------------------------------------


@admin.get("/audit", endpoint="audit")
def audit_trail() -> str | tuple[str, int]:
    args = {key: request.args.get(key, "").strip() for key in ("action", "actor", "target")}
    period, problem = date_range(request.args)
    args.update({"from": period["from"], "to": period["to"]})  # ISO in the paging links
    start, end = bounds(period) if problem is None else (None, None)
    filters = audit.Filters(args["action"], args["actor"], args["target"], start, end)
    try:
        filters.check()
    except audit.BadFilter as bad:
        problem = bad.field, str(FILTER_ERRORS[bad.field])  # before any problem with the dates
    if problem is not None:
        field, message = problem
        return _audit_page(args, period, [], None, None, error=message, error_field=field), 400
    before, after = request.args.get("before", type=int), request.args.get("after", type=int)
    found = audit.search(filters, before=before, after=after, size=PAGE_SIZE)
    return _audit_page(args, period, found.rows, found.newer, found.older)


def _audit_page(
    args: dict[str, str],
    period: dict[str, str],
    rows: list[Any],
    newer: int | None,
    older: int | None,
    **context: Any,
) -> str:
    filters = {key: value for key, value in args.items() if value}
    return page(
        "admin/audit.html",
        args=args,
        period=period,
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
