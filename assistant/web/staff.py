"""What every signed-in staff page shares: the layout's context and the role's navigation."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..access import signed_in_user
from ..accounts.roles import Role
from ..i18n import languages

# Each role's pages, in the order the navigation shows them: (endpoint, label).
NAVIGATION: dict[str, list[tuple[str, Any]]] = {
    Role.FIRST_RESPONDER: [("pages.chat", _l("New referral")), ("referrals.mine", _l("My referrals"))],
    Role.CASEWORKER: [("casework.queue", _l("Intake queue"))],
    Role.PANEL: [("panel.queue", _l("Panel reviews"))],
    Role.ANALYST: [("statistics.overview", _l("Statistics"))],
    Role.ADMIN: [("admin.users", _l("Users")), ("admin.audit", _l("Audit trail"))],
    Role.TRANSLATOR: [("translate.home", _l("Translations"))],
    Role.POLICE_LIAISON: [("police.home", _l("Police reports"))],
}
# "New referral" starts one, rather than carrying on the draft the browser keeps.
NEW: dict[str, dict[str, Any]] = {"pages.chat": {"new": 1}}


def nav() -> list[dict[str, Any]]:
    user = signed_in_user()
    links = []
    for endpoint, label in NAVIGATION.get(user.role if user else "", []):
        url = url_for(endpoint, **NEW.get(endpoint, {}))
        links.append({"url": url, "label": label, "current": request.endpoint == endpoint})
    return links


def page(template: str, **context: Any) -> str:
    """Render a staff page in the signed-in user's language, with their navigation."""
    language = languages()[str(get_locale())]
    return render_template(
        template,
        language=language.code,
        text_direction=language.direction,
        draft=language.draft_in("staff"),
        nav=nav(),
        **context,
    )
