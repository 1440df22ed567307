"""Catalogues made for the tests in a temporary folder, from the committed template: never the real ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from assistant import i18n_tools

# The card's own buttons and draft notice (assistant/cards.py), in the cards section since they have a context.
CARD_CONTROLS = {
    "Close",
    "Quick exit",
    "(leaves this site straight away)",
    "Phone",
    "Call {number}",
    "Draft translation: not yet checked by a qualified translator. If anything is unclear, switch to English.",
}


def card_catalogue(folder: Path, code: str, missing: tuple[str | None, str] | None = None) -> Path:
    """``folder/<code>/LC_MESSAGES/messages.po``: a card-only language (``X-Enabled: cards``) with every string
    of the cards section translated (synthetic: the code before the English) and nothing else; ``missing``,
    a (context, start of the English) pair, leaves that one string untranslated."""
    template = polib.pofile(str(i18n_tools.TEMPLATE))
    plural = get_plural(code)
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=utf-8",
        "X-Enabled": "cards",
        "X-Review-Cards": "draft",
        "Plural-Forms": f"nplurals={plural.num_plurals}; plural={plural.plural_expr};",
    }
    for source in template:
        copy = polib.POEntry(
            msgctxt=source.msgctxt,
            msgid=source.msgid,
            msgid_plural=source.msgid_plural,
            occurrences=source.occurrences,
        )
        if source.msgid_plural:
            copy.msgstr_plural = dict.fromkeys(range(plural.num_plurals), "")
        elif i18n_tools.section_of(source) == "cards":
            skipped = missing and source.msgctxt == missing[0] and source.msgid.startswith(missing[1])
            copy.msgstr = "" if skipped else f"{code}: {source.msgid}"
        catalogue.append(copy)
    path = folder / code / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(path))
    return path


def copy_of(folder: Path, code: str) -> Path:
    """A real catalogue copied into ``folder``, to sit beside a made one."""
    path = folder / code / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(i18n_tools.CATALOGUES / code / "LC_MESSAGES" / "messages.po", path)
    return path
