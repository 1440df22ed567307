"""Translated messages for refused casework steps, and the staff pages' 403 and 404 pages."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from ..access import NotFound
from .staff import page

NOT_ALLOWED = {
    "unknown_action": _l("That is not something that can be done to a referral."),
    "wrong_status": _l("That cannot be done to this referral now: its status has changed. Check the timeline."),
    "recovery_period": _l("The Conclusive Grounds decision can only be made after the recovery period."),
    "not_independent": _l("You proposed this decision, so someone else on the panel must review it."),
    "forbidden": _l("Your role cannot do that."),
    "not_claimed": _l("Claim the referral before you decide it."),
    "claimed_by_other": _l("Another caseworker has claimed this referral."),
    "reasons_required": _l("Enter the reasons."),
    "reasons_too_long": _l("The reasons must be 5,000 characters or fewer."),
    "police_force_required": _l("Choose the police force for the area."),
}


def not_allowed_message(code: str) -> str:
    return str(NOT_ALLOWED.get(code, NOT_ALLOWED["wrong_status"]))


def init_error_pages(app: Flask) -> None:
    """Staff see 403 and 404 as pages in their language (the API answers with its own JSON)."""

    def handler(status: int):  # type: ignore[no-untyped-def]
        def render(error: Exception) -> tuple[str, int] | Exception:
            if request.path.startswith("/api/"):
                return error
            return page("staff/error.html", status=status), status

        return render

    app.register_error_handler(403, handler(403))
    app.register_error_handler(404, handler(404))
    app.register_error_handler(NotFound, handler(404))  # a service found nothing this user may see
