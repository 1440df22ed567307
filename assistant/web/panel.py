"""The independent panel's pages: negative decisions awaiting review, upheld or sent back.

The rules and queries are assistant/casework/panel.py's; the referral view is casework's.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..access import current_staff, roles_required
from ..accounts.roles import Role
from ..casework import panel as service
from ..casework.panel import NotWithPanel
from ..casework.records import Refused
from ..storage.models import Referral
from .casework import DECISIONS, refused_message, refused_page
from .labels import EVENT
from .staff import page

panel = Blueprint("panel", __name__, url_prefix="/panel")


@panel.get("/", endpoint="queue")
@roles_required(Role.PANEL)
def queue_page() -> str:
    return page("panel/queue.html", referrals=service.waiting())


@panel.get("/referrals/<reference>")
@roles_required(Role.PANEL)
def referral(reference: str) -> str:
    return _render(service.open_referral(reference, current_staff()))


@panel.post("/referrals/<reference>/review")
@roles_required(Role.PANEL)
def review(reference: str) -> Response | tuple[str, int]:
    action = request.form.get("action", "")
    try:
        service.review(reference, current_staff(), action, request.form.get("reasons", ""))
    except NotWithPanel:
        flash(refused_message("wrong_status"))
        return redirect(url_for("panel.queue"))
    except Refused as refused:
        return refused_page(refused, _render)
    flash(_("Referral %(reference)s: %(step)s.", reference=reference, step=EVENT[action]))
    return redirect(url_for("panel.queue"))


def _render(referral: Referral, **extra: Any) -> str:
    return page(
        "panel/referral.html",
        **service.page(referral, current_staff(), str(get_locale())),
        decisions=DECISIONS,
        reasons=request.form.get("reasons", ""),
        chosen=request.form.get("action", ""),
        **extra,
    )
