"""Cards for the potential victim (a file in flows/cards/, CARDS_FILE), rendered in the language they choose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from flask_babel import force_locale, pgettext
from flask_babel import pgettext as _translate_in_context  # cards are extracted by the flow extractor

from .fonts import stylesheet
from .i18n import text_direction


class Cards:
    def __init__(self, path: str | Path) -> None:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        self._cards: dict[str, dict[str, Any]] = {card["id"]: card for card in data["cards"]}

    def ids(self) -> list[str]:
        """The cards in the file's order."""
        return list(self._cards)

    def render(self, card_id: str, language: str, draft: bool = False) -> dict[str, Any] | None:
        """The card in ``language``; with ``draft`` (its cards section is a draft), the notice that says so."""
        card = self._cards.get(card_id)
        if card is None:
            return None
        context = f"cards:{card_id}"
        with force_locale(language):
            rendered: dict[str, Any] = {
                "id": card_id,
                "language": language,
                "dir": text_direction(language),
                "font": stylesheet(language),  # a script a phone may lack: the page links this first
                "title": _translate_in_context(context, card["title"]),
                "paragraphs": [_translate_in_context(context, p) for p in card["paragraphs"]],
                # The person holds the phone: the card's own buttons speak their language, not the worker's.
                # Their own context (i18n.CARD_CONTROLS, written out for the extractor) puts them in the cards
                # section, which is all a card-only language translates.
                "controls": {
                    "close": pgettext("card-controls", "Close"),
                    "quick_exit": pgettext("card-controls", "Quick exit"),
                    "quick_exit_hint": pgettext("card-controls", "(leaves this site straight away)"),
                    "phone": pgettext("card-controls", "Phone"),
                    "call": pgettext("card-controls", "Call {number}"),
                },
                "draft": draft,
            }
            if draft:  # said in the card's language: the person reads it, not the worker
                rendered["draft_notice"] = pgettext(
                    "card-controls",
                    "Draft translation: not yet checked by a qualified translator. "
                    "If anything is unclear, switch to English.",
                )
            if "contacts" in card:
                rendered["contacts"] = [
                    {"nation": c["nation"], "name": _translate_in_context(context, c["name"]), "phone": c["phone"]}
                    for c in card["contacts"]
                ]
        return rendered
