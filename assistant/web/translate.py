"""The translator's workspace: the languages on a translator's account, each string in its place
with English beside it, proposals and reviews, and previews of any question or card in any of them.

The rules are assistant/translation's; nothing here writes a catalogue.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from ..access import current_staff, may_translate, roles_required
from ..accounts.roles import Role
from ..engine import Snapshot
from ..engine.kinds import KINDS
from ..i18n import card_languages, describe, languages
from ..presenter import Presenter
from ..translation import proposals
from ..translation.catalogue import Group, cards_only, catalogue_codes, groups, texts
from ..translation.proposals import STATES, ProposalError
from .staff import page

translate = Blueprint("translate", __name__, url_prefix="/translate")
PAGE_SIZE = 20
AREAS: dict[str, Any] = {
    "chat": _l("The chat"),
    "form": _l("The form without JavaScript"),
    "answers": _l("Checks on answers"),
    "admin": _l("Administration"),
    "auth": _l("Signing in"),
    "casework": _l("Casework"),
    "panel": _l("The panel"),
    "referrals": _l("My referrals"),
    "staff": _l("Every staff page"),
    "statistics": _l("Statistics"),
    "cards": _l("Cards for the person"),
    "_before_you_start": _l("Before you start"),
    "conversations": _l("Saving and sending a referral"),
    "disclosure": _l("Statistics: small numbers"),
    "evidence": _l("Evidence files"),
    "form_files": _l("Evidence files, form without JavaScript"),
    "lookups": _l("Long lists (countries, nationalities)"),
    "police": _l("Police reports"),
    "statistics_export": _l("Statistics downloads"),
    "statistics_words": _l("Statistics tables"),
    "translate": _l("Translations"),
    "uploads": _l("Evidence uploads in the chat"),
}
ROLES: dict[str, Any] = {
    "text": _l("Question"),
    "hint": _l("Hint"),
    "help": _l("Why we ask"),
    "required": _l("Said when left empty"),
    "option": _l("Answer option"),
    "variant": _l("In another form of the question"),
    "section": _l("Section title"),
    "title": _l("Title"),
    "paragraph": _l("Paragraph"),
    "conflict": _l("Contradiction between answers"),
    "quality": _l("Check before sending"),
}
STATE_LABELS: dict[str, Any] = {
    "untranslated": _l("Not translated"),
    "fuzzy": _l("Needs checking"),
    "proposed": _l("Proposed"),
    "reviewed": _l("Reviewed"),
}
ERRORS: dict[str, Any] = {
    "unknown": _l("That string is no longer in the catalogue. Reload the page."),
    "empty": _l("Enter the translation."),
    "too_long": _l("The translation must be %(count)s characters or fewer."),
    "placeholders": _l("Keep the placeholders as they are in English: %(names)s."),
    "changed": _l("Someone changed this string since the page loaded. Check it again below."),
    "own": _l("Another translator must review your proposal."),
    "nothing": _l("There is no translation to review yet: propose one."),
}


@translate.before_request
@roles_required(Role.TRANSLATOR)
def _translators_only() -> None:
    """Every page here is for signed-in translators, and each language for its own translators."""
    language = (request.view_args or {}).get("language")
    if language is not None and not may_translate(current_staff(), language):
        abort(403)
    if language is not None and language not in catalogue_codes():
        abort(404)  # on the account, but its catalogue has gone


def _bar(url: str) -> dict[str, str]:
    """The preview's own bar, in the translator's language (the page around it is in the one previewed)."""
    ui = str(get_locale())
    back = _("Back to the translations")
    return {
        "label": _("Preview"),
        "back": back,
        "url": url,
        "lang": ui.replace("_", "-"),
        "dir": describe(ui, False).direction,
    }


def _draft(language: str) -> bool:
    """As the form would say: a draft, or a language not yet offered to anyone."""
    offered = languages().get(language)
    return offered.draft if offered else True


def group_title(group: Group) -> str:
    if group.key.startswith("ui:"):
        return str(AREAS.get(group.title, group.title))
    if group.key == "cards":
        return str(AREAS["cards"])
    return group.title


@translate.get("/")
def home() -> str:
    user = current_staff()
    codes = [code for code in user.languages or [] if code in catalogue_codes()]
    summary = []
    for code in codes:
        found = [text for group in groups(code) for text in group.texts] if cards_only(code) else texts(code)
        standings = proposals.standings(code)
        done = sum(1 for text in found if text.translated and not text.fuzzy)
        pending = sum(1 for standing in standings.values() if standing.proposal)
        summary.append(
            {"code": code, "name": describe(code, False), "done": done, "total": len(found), "pending": pending}
        )
    return page("translate/home.html", summary=summary)


@translate.get("/<language>")
def workspace(language: str) -> str:
    return _workspace(language)


def _workspace(language: str, error: ProposalError | None = None, typed: dict[str, Any] | None = None) -> str:
    args = {key: request.values.get(key, "").strip() for key in ("group", "state", "q")}
    state = args["state"] if args["state"] in STATES else ""
    search = args["q"][:200].casefold()
    all_groups = groups(language)
    keys = [group.key for group in all_groups]
    chosen = args["group"] if args["group"] in keys else ("" if state or search else keys[0])
    standings = proposals.standings(language)
    rows = []  # (group, item, text, standing, states), in the workspace's order, filtered
    for group in all_groups:
        if chosen and group.key != chosen:
            continue
        for item in group.items:
            for text in item.texts:
                standing = standings.get(text.key)
                matched = proposals.states(text, standing)
                if state and state not in matched:
                    continue
                if search and not _matches(search, text, standing):
                    continue
                rows.append((group, item, text, standing, matched))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(max(request.values.get("page", 1, type=int) or 1, 1), pages)
    shown = rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    if typed and not any(row[2].key == typed.get("key") for row in shown):
        shown = _row_of(all_groups, standings, typed.get("key")) + shown  # the string the error is about
    filters = {"group": chosen, "state": state, "q": args["q"][:200]}
    return page(
        "translate/workspace.html",
        code=language,
        target=describe(language, False),
        groups=all_groups,
        group_title=group_title,
        filters={k: v for k, v in filters.items() if v},
        chosen=chosen,
        state=state,
        search=args["q"][:200],
        rows=shown,
        count=len(rows),
        page_number=number,
        pages=pages,
        roles=ROLES,
        states=STATE_LABELS,
        problem=error,
        typed=typed or {},
        me=current_staff().id,
        error=str(ERRORS[error.code]) % error.params if error else None,
        error_field=_error_field(typed) if error else None,
    )


def _error_field(typed: dict[str, Any] | None) -> str | None:
    """Where the error summary links: the translation typed, or the string a review was refused for."""
    if not typed or not typed.get("key"):
        return None
    return f"{'s' if typed.get('review') else 'propose'}-{str(typed['key'])[:12]}"


def _row_of(all_groups: list[Group], standings: dict[str, Any], key: Any) -> list[tuple[Any, ...]]:
    for group in all_groups:
        for item in group.items:
            for text in item.texts:
                if text.key == key:
                    standing = standings.get(key)
                    return [(group, item, text, standing, proposals.states(text, standing))]
    return []


def _matches(search: str, text: Any, standing: Any) -> bool:
    haystack = [text.msgid, text.plural or "", text.context or "", *text.translation]
    if standing and standing.proposal:
        haystack += standing.proposal.forms
    return any(search in part.casefold() for part in haystack)


def _back(language: str, key: str) -> Response:
    kept: dict[str, Any] = {k: v for k in ("group", "state", "q", "page") if (v := request.form.get(k, "").strip())}
    return redirect(url_for("translate.workspace", language=language, _anchor=f"s-{key[:12]}", **kept))


@translate.post("/<language>/propose")
def propose(language: str) -> Response | tuple[str, int]:
    key = request.form.get("key", "")
    forms = request.form.getlist("translation")
    try:
        proposals.propose(language, key, forms, current_staff())
    except ProposalError as error:
        return _workspace(language, error, {"key": key, "forms": forms}), 400
    flash(_("Your proposal is saved. Another translator can now review it."))
    return _back(language, key)


@translate.post("/<language>/review")
def review(language: str) -> Response | tuple[str, int]:
    key = request.form.get("key", "")
    proposal = request.form.get("proposal", type=int)
    try:
        proposals.review(language, key, proposal, current_staff())
    except ProposalError as error:
        return _workspace(language, error, {"key": key, "review": True}), 400
    flash(_("Marked as reviewed."))
    return _back(language, key)


# Previews: rendered by the presenter and the templates the form and the chat's cards use --------


@translate.get("/<language>/preview/<flow_id>/<question_id>")
def preview_question(language: str, flow_id: str, question_id: str) -> str:
    engine = current_app.extensions["flows"].current(flow_id)
    if engine is None or engine.flow.answerable(question_id) is None:
        abort(404)
    question_id = engine.flow.step_of(question_id)  # a field is previewed in its group, as it is asked
    back = url_for(
        "translate.workspace", language=language, group=f"{flow_id}:{engine.flow.questions[question_id].section}"
    )
    bar = {"label": _("Preview"), "back": _("Back to the translations"), "url": back}
    target = describe(language, False)
    with force_locale(language):
        turn = Presenter(engine, current_app.extensions["lookups"], language).turn("preview", Snapshot(question_id))
        prompt = turn["prompt"]
        return render_template(
            "translate/preview_question.html",
            language=language,
            text_direction=target.direction,
            draft=_draft(language),
            turn=turn,
            prompt=prompt,
            control=KINDS[prompt["kind"]].control_for(prompt),
            raw=None,
            matches=[],
            field_matches={},
            files=[],
            selected={prompt.get("previous")},
            client_msg_id="preview",
            preview=bar,
        )


@translate.get("/<language>/cards/<card_id>")
def preview_card(language: str, card_id: str) -> str:
    offered = card_languages().get(language)  # as the chat would show it: a draft where the cards are
    draft = offered.draft_in("cards") if offered else True
    card = current_app.extensions["cards"].render(card_id, language, draft)
    if card is None:
        abort(404)
    bar = {
        "label": _("Preview"),
        "back": _("Back to the translations"),
        "url": url_for("translate.workspace", language=language, group="cards"),
    }
    with force_locale(language):
        return render_template(
            "translate/preview_card.html",
            language=language,
            text_direction=card["dir"],
            card=card,
            preview=bar,
        )
