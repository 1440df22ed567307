"""Translated messages for refused casework steps, and the staff pages' 403, 404 and 500 pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import InternalServerError

from ..access import NotFound
from ..extensions import db
from .staff import page


@dataclass(frozen=True)
class Refusal:
    """How a refusal code (docs/casework.md) reads: in general, and where a page words it its own way."""

    message: Any
    field: str | None = None  # the decision form's field it is about, for the error summary's link
    decision: Any = None  # on the decision forms (casework and panel)
    reconsider: Any = None  # on the reconsideration request, whose field is "new information"
    until: Any = None  # with the date the recovery period ends, when there is one


REFUSALS: dict[str, Refusal] = {
    "unknown_action": Refusal(
        _l("That is not something that can be done to a referral."),
        field="action",
        decision=_l("Choose a decision."),  # on these forms, only ever no choice made
    ),
    "wrong_status": Refusal(
        _l("That cannot be done to this referral now: its status has changed. Check the timeline.")
    ),
    "recovery_period": Refusal(
        _l("The Conclusive Grounds decision can only be made after the recovery period."),
        until=_l("The Conclusive Grounds decision can only be made once the recovery period is over, on %(date)s."),
    ),
    "not_independent": Refusal(_l("You proposed this decision, so someone else on the panel must review it.")),
    "forbidden": Refusal(_l("Your role cannot do that.")),
    "not_claimed": Refusal(_l("Claim the referral before you decide it.")),
    "claimed_by_other": Refusal(_l("Another caseworker has claimed this referral.")),
    "reasons_required": Refusal(_l("Enter the reasons."), field="reasons", reconsider=_l("Enter the new information.")),
    "reasons_too_long": Refusal(
        _l("The reasons must be 5,000 characters or fewer."),
        field="reasons",
        reconsider=_l("The new information must be 5,000 characters or fewer."),
    ),
    "police_force_required": Refusal(_l("Choose the police force for the area."), field="police-force"),
}


def refusal(code: str) -> Refusal:
    """The refusal of ``code``; an unknown code reads as a status that has changed."""
    return REFUSALS.get(code, REFUSALS["wrong_status"])


def not_allowed_message(code: str, on: str = "", until: str | None = None) -> str:
    """The message for ``code`` as the page ``on`` ("decision" or "reconsider") words it; ``until``
    is the formatted date the recovery period ends, when known."""
    found = refusal(code)
    if until and found.until:
        return str(found.until) % {"date": until}
    worded = {"decision": found.decision, "reconsider": found.reconsider}.get(on)
    return str(worded or found.message)


def init_error_pages(app: Flask) -> None:
    """Staff see 403, 404 and 500 as pages in their language (the API answers with its own JSON)."""

    # Any: Flask's handler type has no room for passing the API's error through (an HTTPException is a
    # response of its own).
    def handler(status: int) -> Callable[[Exception], Any]:
        def render(error: Exception) -> tuple[str, int] | Exception:
            if request.path.startswith("/api/"):
                return error
            return page("staff/error.html", status=status), status

        return render

    app.register_error_handler(403, handler(403))
    app.register_error_handler(404, handler(404))
    app.register_error_handler(NotFound, handler(404))  # a service found nothing this user may see

    def failed(error: InternalServerError) -> tuple[str, int] | InternalServerError:
        if request.path.startswith("/api/"):
            return error
        db.session.rollback()  # the page itself reads the signed-in user
        try:
            return page("staff/error.html", status=500), 500
        except Exception:  # the error page must not fail in turn: plain words, still translated
            return _("Sorry, there is a problem with the service. Try again later."), 500

    app.register_error_handler(InternalServerError, failed)
