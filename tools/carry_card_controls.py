"""Carry each catalogue's translations of the card's controls and draft notice into their own context.

The card's own buttons and draft notice have the context ``card-controls`` (assistant/cards.py), so that
they count in the cards section, which is all a card-only language translates. The same English without a
context is still used by the pages. A catalogue that translates the English without the context, and not
(yet) with it, gets that translation under the context too (fuzzy stays fuzzy); one it already translates
there is left alone. Run after `make i18n-extract` (or `make i18n-update`), then `make i18n-check`:

    .venv/bin/python tools/carry_card_controls.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.i18n import CARD_CONTROLS
from assistant.i18n_tools import TEMPLATE, catalogue_files


def carry(path: Path, template: polib.POFile) -> int:
    """Fill ``path``'s card-controls entries from its translations without a context; how many were filled."""
    catalogue = polib.pofile(str(path))
    filled = 0
    for source in (entry for entry in template if entry.msgctxt == CARD_CONTROLS):
        plain = catalogue.find(source.msgid, msgctxt=None)
        if plain is None or not plain.msgstr:
            continue  # nothing to carry: it stays to be translated
        entry = catalogue.find(source.msgid, msgctxt=CARD_CONTROLS)
        if entry is None:
            entry = polib.POEntry(
                msgctxt=CARD_CONTROLS,
                msgid=source.msgid,
                occurrences=source.occurrences,
                comment=source.comment,
            )
            catalogue.insert(catalogue.index(plain) + 1, entry)
        elif entry.msgstr:
            continue
        entry.msgstr = plain.msgstr
        entry.flags = list(plain.flags)
        filled += 1
    if filled:
        catalogue.save()
    return filled


def main() -> None:
    template = polib.pofile(str(TEMPLATE))
    for path in catalogue_files():
        print(f"{path.parent.parent.name}: {carry(path, template)} carried")


if __name__ == "__main__":
    main()
