"""Translator tooling behind `flask i18n extract|update|compile|check|status` (and the make targets).

The check fails when the template is out of date with the sources, when a catalogue is out of date
with the template, when a translation's placeholders or plural forms are wrong, or when an enabled
language is incomplete.
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


STATUS_HEADERS = ("X-Enabled", "X-Review-Status")


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
    for header in STATUS_HEADERS:
        if header not in catalogue.metadata:
            problems.append(Problem(where, f"the header must say {header} (see translations/README.md)"))
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
    if catalogue.metadata.get("X-Enabled", "no").lower() == "yes":
        missing = [e for e in live if not e.translated() or "fuzzy" in e.flags]
        if missing:
            problems.append(
                Problem(
                    where,
                    f"enabled but incomplete: {len(missing)} untranslated or fuzzy, first at line {missing[0].linenum}",
                )
            )
    return problems


def status(sections: dict[str, str], titles: dict[str, str]) -> list[tuple[str, str, int, int]]:
    """Rows of (language, part, translated, total): per flow section, the cards and the interface."""
    rows: list[tuple[str, str, int, int]] = []
    for path in catalogue_files():
        code = path.parent.parent.name
        counts: dict[str, list[int]] = {}
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            part = _part(entry.msgctxt, sections, titles)
            done = entry.translated() and "fuzzy" not in entry.flags
            counts.setdefault(part, [0, 0])
            counts[part][0] += int(done)
            counts[part][1] += 1
        total = [sum(v[0] for v in counts.values()), sum(v[1] for v in counts.values())]
        rows.append((code, "all", total[0], total[1]))
        rows.extend((code, part, done, count) for part, (done, count) in counts.items())
    return rows


def _part(context: str | None, sections: dict[str, str], titles: dict[str, str]) -> str:
    if not context:
        return "interface"
    scope, _, rest = context.partition(":")
    if scope == "cards":
        return "victim cards"
    if rest.startswith("section:"):
        return f"{scope}: {titles.get(rest.removeprefix('section:'), rest)}"
    if rest in sections:
        return f"{scope}: {titles.get(sections[rest], sections[rest])}"
    return f"{scope}: title" if not rest else "interface"
