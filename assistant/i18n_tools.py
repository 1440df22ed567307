"""Translator tooling behind `flask i18n extract|update|compile|check|status` (and the make targets).

The check fails when the template is out of date with the sources, when a catalogue is out of date
with the template, when a translation's placeholders or plural forms are wrong, or when an enabled
language is incomplete (a card-only language, `X-Enabled: cards`, in its cards section).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
from babel.messages.frontend import CommandLineInterface
from babel.messages.plurals import get_plural

from .config import ROOT
from .i18n import SCOPES, SECTIONS, STATUSES, is_card_string, review_header, review_status, scope_of

TEMPLATE = ROOT / "translations" / "messages.pot"
CATALOGUES = ROOT / "translations"
KEYWORDS = ["N_", "Nn_:1,2", "_l", "_p:1c,2", "lazy_pgettext:1c,2"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def pybabel(*args: str) -> None:
    with contextlib.chdir(ROOT):  # locations in the catalogues are relative to the project
        CommandLineInterface().run(["pybabel", "--quiet", *args])


def extract(output: Path | None = None) -> None:
    output = output or TEMPLATE
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    pybabel(
        "extract",
        "-F",
        "pyproject.toml",
        *keywords,
        "--add-comments=i18n:",
        "--sort-by-file",
        "--project",
        "nrm-assistant",
        "--copyright-holder",
        "NRM referral assistant contributors",
        "-o",
        str(output),
        ".",
    )


STATUS_HEADERS = ("X-Enabled", "X-Review-Status", *(review_header(section) for section in SECTIONS))
CARD_HEADERS = ("X-Enabled", review_header("cards"))  # all a card-only language must say
# Where the strings of the pages around the referral come from: sign-in, My referrals, casework, panel,
# administration and statistics. A string also used elsewhere (the chat, the form) is the interface's.
STAFF_SOURCES = (
    "assistant/templates/admin/",
    "assistant/templates/auth/",
    "assistant/templates/casework/",
    "assistant/templates/panel/",
    "assistant/templates/referrals/",
    "assistant/templates/staff/",
    "assistant/templates/statistics/",
    "assistant/templates/translate/",
    "assistant/web/admin.py",
    "assistant/web/auth.py",
    "assistant/web/casework.py",
    "assistant/web/dates.py",
    "assistant/web/labels.py",
    "assistant/web/panel.py",
    "assistant/web/referrals.py",
    "assistant/web/staff.py",
    "assistant/web/statistics.py",
    "assistant/web/translate.py",
    "assistant/accounts/",
    "assistant/statistics.py",
)


def update() -> None:
    """Extract, then merge the template into every catalogue, keeping each one's status headers
    (pybabel update drops headers it does not know)."""
    extract()
    kept = {path: polib.pofile(str(path)).metadata for path in catalogue_files()}
    pybabel("update", "-i", str(TEMPLATE), "-d", str(CATALOGUES), "--ignore-obsolete", "--no-fuzzy-matching")
    for path, metadata in kept.items():
        catalogue = polib.pofile(str(path))
        catalogue.metadata.update({k: metadata[k] for k in STATUS_HEADERS if k in metadata})
        catalogue.save()


def compile_all() -> None:
    if any(catalogue_files()):
        pybabel("compile", "-d", str(CATALOGUES), "--statistics")


def catalogue_files() -> Iterator[Path]:
    return iter(sorted(CATALOGUES.glob("*/LC_MESSAGES/messages.po")))


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _placeholders(text: str) -> Counter[str]:
    return Counter(a or b for a, b in _PLACEHOLDER.findall(text))


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check() -> list[Problem]:
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "messages.pot"
        extract(fresh)
        current = {_key(e) for e in polib.pofile(str(fresh))}
    template = polib.pofile(str(TEMPLATE))
    if current != {_key(e) for e in template}:
        problems.append(Problem(str(TEMPLATE.relative_to(ROOT)), "out of date with the sources: run make i18n-update"))
    for path in catalogue_files():
        problems.extend(check_catalogue(path, current))
    return problems


def check_catalogue(path: Path, expected: set[tuple[str | None, str]]) -> list[Problem]:
    where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    catalogue = polib.pofile(str(path))
    code = path.parent.parent.name
    problems: list[Problem] = []
    live = [e for e in catalogue if not e.obsolete]
    if {_key(e) for e in live} != expected:
        problems.append(Problem(where, "out of date with the template: run make i18n-update, then translate"))
    said = catalogue.metadata.get("X-Enabled", "no").strip().lower()
    if said not in SCOPES:
        problems.append(Problem(where, f"X-Enabled must be one of {', '.join(SCOPES)}"))
    scope = scope_of(catalogue.metadata)
    for header in STATUS_HEADERS:
        if header not in catalogue.metadata:
            if scope != "cards" or header in CARD_HEADERS:
                problems.append(Problem(where, f"the header must say {header} (see translations/README.md)"))
        elif header.startswith("X-Review-") and catalogue.metadata[header].strip().lower() not in STATUSES:
            problems.append(Problem(where, f"{header} must be one of {', '.join(STATUSES)}"))
    plurals = get_plural(code).num_plurals
    header = catalogue.metadata.get("Plural-Forms", "")
    if f"nplurals={plurals};" not in header.replace(" ", ""):
        problems.append(Problem(where, f"Plural-Forms must have nplurals={plurals} for {code}, not {header!r}"))
    for entry in live:
        label = f"{where}:{entry.linenum}"
        forms = entry.msgstr_plural if entry.msgid_plural else {0: entry.msgstr}
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        wanted = _placeholders(sources[-1])
        if entry.msgid_plural and len(forms) != plurals:
            problems.append(Problem(label, f"has {len(forms)} plural forms, {code} needs {plurals}"))
        for form in forms.values():
            # A singular form may say "one" in words instead of using the number (as English does).
            if form and _placeholders(form) != wanted and not (entry.msgid_plural and _placeholders(form) <= wanted):
                problems.append(
                    Problem(
                        label,
                        f"placeholders {sorted(_placeholders(form))} do not match "
                        f"{sorted(wanted)} in {entry.msgid[:50]!r}",
                    )
                )
    needed = live if scope == "yes" else [e for e in live if section_of(e) == "cards"] if scope == "cards" else []
    missing = [e for e in needed if not e.translated() or "fuzzy" in e.flags]
    if missing:
        what = "enabled but incomplete" if scope == "yes" else "enabled for the cards but their section is incomplete"
        first = f"first at line {missing[0].linenum}"
        problems.append(Problem(where, f"{what}: {len(missing)} untranslated or fuzzy, {first}"))
    return problems


def section_of(entry: polib.POEntry) -> str:
    """The part of the catalogue a string belongs to: cards, flow, interface or staff."""
    files = [path for path, _ in entry.occurrences]
    if is_card_string(entry.msgctxt) or any(path.startswith("flows/cards/") for path in files):
        return "cards"  # a card's own strings, and the card's controls and draft notice
    if any(path.startswith("flows/") for path in files):
        return "flow"
    if files and all(path.startswith(STAFF_SOURCES) for path in files):
        return "staff"
    return "interface"


@dataclass
class SectionStatus:
    section: str
    status: str  # as the catalogue declares it (draft, complete, reviewed); a section with gaps is a draft
    translated: int
    total: int


def review(path: Path) -> list[SectionStatus]:
    """Each section of one catalogue: its declared status, and how many of its strings are translated."""
    catalogue = polib.pofile(str(path))
    declared = review_status(catalogue.metadata)
    counts = {section: [0, 0] for section in SECTIONS}
    for entry in catalogue:
        if not entry.obsolete:
            count = counts[section_of(entry)]
            count[0] += int(entry.translated() and "fuzzy" not in entry.flags)
            count[1] += 1
    return [
        SectionStatus(section, declared[section] if done == total else "draft", done, total)
        for section, (done, total) in counts.items()
    ]


def flow_sections(path: Path, sections: dict[str, str], titles: dict[str, str]) -> dict[str, list[int]]:
    """How much of each section of the flows one catalogue translates: part -> [translated, total]."""
    counts: dict[str, list[int]] = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or section_of(entry) != "flow":
            continue
        count = counts.setdefault(_part(entry.msgctxt or "", sections, titles), [0, 0])
        count[0] += int(entry.translated() and "fuzzy" not in entry.flags)
        count[1] += 1
    return counts


def _part(context: str, sections: dict[str, str], titles: dict[str, str]) -> str:
    scope, _, rest = context.partition(":")
    if rest.startswith("section:"):
        return f"{scope}: {titles.get(rest.removeprefix('section:'), rest)}"
    if rest in sections:
        return f"{scope}: {titles.get(sections[rest], sections[rest])}"
    return f"{scope}: title" if not rest else f"{scope}: other"


def languages_table() -> str:
    """The README's list of languages (a test keeps it equal to the catalogues): each section's status."""
    from .i18n import describe  # Babel's names: English's own, as in the menus

    lines = ["| language | code | offered for | cards | flow | interface | staff |", "|---|---|---|---|---|---|---|"]
    lines.append("| English (the source) | `en` | everything | reviewed | reviewed | reviewed | reviewed |")
    for path in catalogue_files():
        code = path.parent.parent.name
        scope = scope_of(polib.pofile(str(path)).metadata)
        # a card-only language translates nothing else: its other sections are not offered at all
        statuses = [p.status if scope != "cards" or p.section == "cards" else "-" for p in review(path)]
        name = describe(code, draft=True).english_name
        lines.append(f"| {name} | `{code}` | {SCOPE_NAMES[scope]} | " + " | ".join(statuses) + " |")
    return "\n".join(lines)


SCOPE_NAMES = {"yes": "everything", "cards": "the cards only", "no": "not offered yet"}
