"""Long lists for select questions: the project's data files, and countries from Babel's CLDR data."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale
from flask_babel import lazy_gettext as _l

MAX_MATCHES = 20
# CLDR territory codes that are not countries or are placeholders.
# CLDR territory codes that are not countries, or places no one lives: groupings (EU, UN), the
# unknown region (ZZ), pseudo-locales (XA, XB), ISO 3166's exceptionally reserved codes (AC, CP, CQ,
# DG, EA, IC, TA) and uninhabited territories. Kosovo (XK) is kept: people hold its nationality.
_NOT_COUNTRIES = frozenset(
    {
        "EU",
        "EZ",
        "UN",
        "ZZ",
        "QO",
        "XA",
        "XB",
        "AC",
        "CP",
        "CQ",
        "DG",
        "EA",
        "IC",
        "TA",
        "AQ",
        "BV",
        "HM",
        "UM",
        "TF",
        "IO",
    }
)
_UK = "GB"
_EXTRA_NATIONALITIES = {"stateless": _l("Stateless"), "unknown": _l("Not known")}


@dataclass(frozen=True)
class Entry:
    value: str
    label: str
    kind: str | None = None  # organisations: police, local-authority, government or ngo


class Lookups:
    """Every list a flow may name. File lists are proper names and are not translated."""

    def __init__(self, directory: str | Path) -> None:
        self._files: dict[str, list[Entry]] = {}
        for path in sorted(Path(directory).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            self._files[path.stem] = [Entry(str(e["value"]), str(e["label"]), e.get("type")) for e in data]
        self._values = {name: {e.value for e in entries} for name, entries in self._files.items()}
        countries = _country_codes()
        self._values["countries"] = set(countries)
        self._values["countries-overseas"] = set(countries) - {_UK}
        self._values["nationalities"] = set(countries) | set(_EXTRA_NATIONALITIES)

    @property
    def names(self) -> set[str]:
        return set(self._values)

    def contains(self, name: str, value: str) -> bool:
        return value in self._values.get(name, ())

    def entries(self, name: str, language: str) -> list[Entry]:
        if name in self._files:
            return self._files[name]
        labels = _country_names(language)
        codes = sorted(self._values[name] - set(_EXTRA_NATIONALITIES), key=lambda c: labels[c].casefold())
        entries = [Entry(code, labels[code]) for code in codes]
        if name == "nationalities":
            entries += [Entry(value, str(label)) for value, label in _EXTRA_NATIONALITIES.items()]
        return entries

    def entry(self, name: str, value: str) -> Entry | None:
        """An entry of a file list by value."""
        return next((e for e in self._files.get(name, []) if e.value == value), None)

    def label(self, name: str, value: str, language: str) -> str:
        if name in self._files:
            return next((e.label for e in self._files[name] if e.value == value), value)
        if value in _EXTRA_NATIONALITIES:
            return str(_EXTRA_NATIONALITIES[value])
        return _country_names(language).get(value, value)

    def search(self, name: str, query: str, language: str) -> list[Entry]:
        """Case-insensitive matches anywhere in the label, those starting with the query first."""
        needle = query.strip().casefold()
        if not needle or name not in self._values:
            return []
        hits = [e for e in self.entries(name, language) if needle in e.label.casefold()]
        hits.sort(key=lambda e: not e.label.casefold().startswith(needle))
        return hits[:MAX_MATCHES]


def _country_codes() -> list[str]:
    territories = Locale("en").territories
    return [code for code in territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]


@functools.lru_cache(maxsize=64)
def _country_names(language: str) -> dict[str, str]:
    try:
        territories = Locale.parse(language.replace("-", "_")).territories
    except (ValueError, LookupError):
        territories = Locale("en").territories
    english = Locale("en").territories
    return {code: territories.get(code, english[code]) for code in _country_codes()}
