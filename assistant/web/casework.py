"""The single expert unit's pages: the intake queue, claiming, and deciding a referral.

The rules and queries are assistant/casework's (caseworkers.py, records.py); the refusal messages
here are shared with the panel's pages (panel.py). Every POST is post/redirect/get; a refused step
re-renders the page with the reason (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..access import current_staff, roles_required
from ..accounts.roles import Role
from ..casework import caseworkers, categories, queue
from ..casework.records import Refused
from ..storage.models import Referral
from .errors import not_allowed_message, refusal
from .labels import AGE_GROUP, DECISIONS, EVENT, EXPLOITATION, JURISDICTION, KIND, format_date
from .staff import page

casework = Blueprint("casework", __name__, url_prefix="/casework")


def refused_message(code: str, referral: Referral | None = None) -> str:
    ends = referral.recovery_ends_at if referral is not None else None
    return not_allowed_message(code, on="decision", until=format_date(ends) if ends else None)


def refused_page(refused: Refused, render: Callable[..., str]) -> tuple[str, int]:
    """The page again, with the reason the step was refused."""
    message = refused_message(refused.code, refused.referral)
    return render(refused.referral, error=message, error_field=refusal(refused.code).field), 400


@casework.get("/", endpoint="queue")
@roles_required(Role.CASEWORKER)
def queue_page() -> str:
    filters = queue.Filters.from_args(request.args, categories.kinds())
    found = caseworkers.queue_for(current_staff(), filters)
    return page(
        "casework/queue.html",
        filters=filters,
        items=found.items,
        mine=found.mine,
        target=found.target,
        choices=_filter_choices(),
    )


@casework.post("/claim-next")
@roles_required(Role.CASEWORKER)
def claim_next() -> Response:
    filters = queue.Filters.from_args(request.form, categories.kinds())
    referral = caseworkers.claim_next(current_staff(), filters)
    if referral is None:
        flash(_("There are no referrals to claim that match these filters."))
        args: dict[str, Any] = filters.as_args()
        return redirect(url_for("casework.queue", **args))
    return redirect(url_for("casework.referral", reference=referral.reference))


@casework.get("/referrals/<reference>")
@roles_required(Role.CASEWORKER)
def referral(reference: str) -> str:
    return _render(caseworkers.open_referral(reference, current_staff()))


@casework.post("/referrals/<reference>/claim")
@roles_required(Role.CASEWORKER)
def claim(reference: str) -> Response | tuple[str, int]:
    try:
        caseworkers.claim(reference, current_staff())
    except Refused as refused:
        return refused_page(refused, _render)
    return redirect(url_for("casework.referral", reference=reference))


@casework.post("/referrals/<reference>/release")
@roles_required(Role.CASEWORKER)
def release(reference: str) -> Response | tuple[str, int]:
    try:
        caseworkers.release(reference, current_staff())
    except Refused as refused:
        return refused_page(refused, _render)
    flash(_("You have released referral %(reference)s: it is back in the queue.", reference=reference))
    return redirect(url_for("casework.queue"))


@casework.post("/referrals/<reference>/decide")
@roles_required(Role.CASEWORKER)
def decide(reference: str) -> Response | tuple[str, int]:
    action = request.form.get("action", "")
    try:
        caseworkers.decide(
            reference,
            current_staff(),
            action,
            request.form.get("reasons", ""),
            police_force=request.form.get("police_force") or None,
        )
    except Refused as refused:
        return refused_page(refused, _render)
    flash(_("Recorded: %(step)s.", step=EVENT[action]))
    return redirect(url_for("casework.referral", reference=reference))


def _render(referral: Referral, **extra: Any) -> str:
    context = caseworkers.page(referral, current_staff(), str(get_locale()))
    suggested = context.pop("suggested_police_force")
    return page(
        "casework/referral.html",
        **context,
        decisions=DECISIONS,
        # as chosen when the form comes back with an error (even none), otherwise the suggestion
        police_force=request.form.get("police_force", "") if request.method == "POST" else suggested,
        reasons=request.form.get("reasons", ""),
        chosen=request.form.get("action", ""),
        **extra,
    )


def _filter_choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "kind": [(k, str(KIND.get(k, k))) for k in categories.kinds()],
        "age_group": [(k, str(AGE_GROUP[k])) for k in categories.AGE_GROUPS],
        "jurisdiction": [(k, str(JURISDICTION[k])) for k in categories.JURISDICTIONS],
        "exploitation": [(k, str(EXPLOITATION[k])) for k in categories.EXPLOITATION_TYPES],
        "waiting": [
            ("overdue", _("Past the Reasonable Grounds target")),
            ("due-soon", _("Reasonable Grounds decision due today or next working day")),
        ],
    }
