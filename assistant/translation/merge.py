"""`flask i18n merge-reviews`: a developer's step that writes an exported update into the catalogue
of its language, in the repository (never on a running server). Uses polib, a development dependency,
as the rest of the catalogue tooling does, so the catalogue keeps its layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib


@dataclass
class Merged:
    language: str
    changed: int
    missing: list[str]  # strings of the update that the catalogue no longer has


def merge(update: Path, catalogues: Path) -> Merged:
    """Copy each entry of ``update`` into ``catalogues/<its Language>/LC_MESSAGES/messages.po``: the
    text, and the fuzzy flag (kept for an unreviewed proposal, cleared for a reviewed string)."""
    incoming = polib.pofile(str(update))
    code = incoming.metadata.get("Language", "").strip()
    target = catalogues / code / "LC_MESSAGES" / "messages.po"
    if not code or not target.is_file():
        raise FileNotFoundError(f"no catalogue for language {code!r} of {update}")
    catalogue = polib.pofile(str(target))
    entries = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    result = Merged(code, 0, [])
    for entry in incoming:
        found = entries.get((entry.msgctxt, entry.msgid))
        if found is None:
            result.missing.append(f"{entry.msgctxt or ''} {entry.msgid[:60]}".strip())
            continue
        if entry.msgid_plural:
            found.msgstr_plural = dict(entry.msgstr_plural)
        else:
            found.msgstr = entry.msgstr
        fuzzy = "fuzzy" in entry.flags
        if fuzzy and "fuzzy" not in found.flags:
            found.flags.append("fuzzy")
        elif not fuzzy and "fuzzy" in found.flags:
            found.flags.remove("fuzzy")
        found.previous_msgid = found.previous_msgctxt = None
        result.changed += 1
    catalogue.save()
    return result
