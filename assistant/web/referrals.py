"""First responders' "My referrals": their organisation's drafts and submitted referrals.

The rules and queries, organisation scoping among them, are assistant/casework/first_responders.py's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..access import current_staff, roles_required
from ..accounts.roles import Role
from ..casework import first_responders as service
from ..casework.records import Refused
from ..storage.models import Referral
from .errors import not_allowed_message
from .staff import page

referrals = Blueprint("referrals", __name__, url_prefix="/referrals")


@referrals.before_request
@roles_required(Role.FIRST_RESPONDER)
def _first_responders_only() -> None:
    """Every page here is for signed-in first responders."""


@referrals.get("/")
def mine() -> str:
    work = service.work_of(current_staff())
    return page(
        "referrals/mine.html", drafts=work.drafts, submitted=work.submitted, your_reference=service.your_reference
    )


@referrals.get("/drafts/<conversation_id>/delete")
def confirm_delete(conversation_id: str) -> str:
    return page("referrals/delete.html", conversation=service.draft(current_staff(), conversation_id))


@referrals.post("/drafts/<conversation_id>/delete")
def delete(conversation_id: str) -> Response:
    service.delete_draft(current_staff(), conversation_id)
    flash(_("The draft has been deleted."))
    return redirect(url_for("referrals.mine"))


@referrals.get("/<reference>")
def status(reference: str) -> str:
    return _status_page(service.open_referral(current_staff(), reference))


@referrals.post("/<reference>/reconsideration")
def reconsider(reference: str) -> str | Response | tuple[str, int]:
    information = request.form.get("information", "")
    try:
        service.reconsider(current_staff(), reference, information)
    except Refused as refused:
        message = not_allowed_message(refused.code, on="reconsider")
        return _status_page(refused.referral, error=str(message), information=information), 400
    flash(_("Your request for reconsideration has been sent."))
    return redirect(url_for("referrals.status", reference=reference))


def _status_page(referral: Referral, **context: Any) -> str:
    return page("referrals/status.html", **service.status(referral), error_field="information", **context)
