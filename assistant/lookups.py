"""Long lists for select questions: the project's data files, and countries from Babel's CLDR data.

Searching ranks what people mean first: a whole-name match, then names starting with the text, then
names with a word starting with it, then names containing it; ties go to the more common entry (a
town's population, an organisation's declared weight), then alphabetical order. Short names people
use (`aka` in the list files) match as the label does. Near misses (one or two letters wrong) match
through RapidFuzz, below every exact match. Everything compares case- and accent-insensitively.

Countries and nationalities are named by CLDR in the worker's language; their other names, what
their people are called and how often each nationality is referred come from ``aka/countries.yaml``
in the lists' folder, and are searched, with each country's English name, in every language.
"""

from __future__ import annotations

import functools
import heapq
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale
from flask_babel import lazy_gettext as _l
from rapidfuzz import process
from rapidfuzz.distance import OSA

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
_OTHER_NAMES = Path("aka") / "countries.yaml"  # in the lists' folder, beside the list files


# Query length from which one letter may be wrong, and from which two may.
_ONE_TYPO, _TWO_TYPOS = 4, 8
_CACHED_WIDTH = 16  # fuzzy keys are kept for queries up to this long (longer ones are rare)
_CACHED_INDEXES = 64  # CLDR lists per language: a few lists times the languages offered


@dataclass(frozen=True)
class Entry:
    value: str
    label: str
    kind: str | None = None  # organisations: police, local-authority, government or ngo
    aka: tuple[str, ...] = ()  # other names people use for it
    weight: int = 0  # how common it is: a town's population, an organisation's declared weight


def fold(text: str) -> str:
    """Text as searching compares it: case and accents folded, punctuation as spaces between words,
    apostrophes dropped ("Barnardo's" is "barnardos"; "Stoke-on-Trent" is "stoke on trent")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = re.sub("['\u2019\u02bc]", "", bare)
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def is_named(entry: Entry, text: str) -> bool:
    """Whether ``text`` is the whole of one of the entry's names (its label or another), as searching
    compares them."""
    typed = fold(text)
    return bool(typed) and any(fold(name) == typed for name in (entry.label, *entry.aka))


# Tier (0 to 3 exact, 4 and up near misses), minus the weight, the folded label, the label.
_Rank = tuple[int, int, str, str]


class _Index:
    """One list in one language, with the folded names and fuzzy keys computed once."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.names = [tuple(dict.fromkeys(fold(n) for n in (e.label, *e.aka) if fold(n))) for e in entries]
        self.flat = [(name, position) for position, names in enumerate(self.names) for name in names]
        self.ties = [(-e.weight, fold(e.label), e.label) for e in entries]
        # Fuzzy keys: each name, and each name from each of its later words on ("upon tyne", "tyne").
        self._by_width: dict[int, tuple[list[str], list[int]]] = {}
        self.keys: list[str] = []
        self.owners: list[int] = []
        for position, names in enumerate(self.names):
            for name in names:
                words = name.split(" ")
                for start in range(len(words)):
                    self.keys.append(" ".join(words[start:]))
                    self.owners.append(position)

    def search(self, query: str, limit: int, near_misses: bool = True) -> list[tuple[_Rank, Entry]]:
        """The best matches with their ranks (which compare across indexes), best first."""
        needle = fold(query)
        if not needle:
            return []
        word = " " + needle
        tiers: dict[int, int] = {}
        for name, position in self.flat:  # the containment test first: it rules most names out cheaply
            if needle in name:
                tiers[position] = min(_tier(name, needle, word), tiers.get(position, 3))
        ranked = [((tier, *self.ties[position]), position) for position, tier in tiers.items()]
        if near_misses and len(ranked) < limit:
            ranked += self._near_misses(needle, {position for _, position in ranked})
        return [(rank, self.entries[position]) for rank, position in heapq.nsmallest(limit, ranked)]

    def _near_misses(self, needle: str, found: set[int]) -> list[tuple[_Rank, int]]:
        """Entries a letter or two away from the query: as a whole name or word, or as the start of
        one (a misspelling typed halfway). Ranked after the exact tiers, fewest letters wrong first."""
        if len(needle) < _ONE_TYPO:
            return []
        allowed = 2 if len(needle) >= _TWO_TYPOS else 1
        candidates, owners = self._fuzzy_keys(len(needle))
        best: dict[int, int] = {}
        for _, distance, index in process.extract_iter(needle, candidates, scorer=OSA.distance, score_cutoff=allowed):
            position = owners[index]
            if position not in found and distance < best.get(position, allowed + 1):
                best[position] = int(distance)
        return [((4 + distance, *self.ties[position]), position) for position, distance in best.items()]

    def _fuzzy_keys(self, width: int) -> tuple[list[str], list[int]]:
        """Each key whole and cut to the query's length and one more (a letter may be missing), with
        the entry each belongs to; kept for the usual query lengths, as every keystroke asks again."""
        if width in self._by_width:
            return self._by_width[width]
        candidates: list[str] = []
        owners: list[int] = []
        for key, position in zip(self.keys, self.owners, strict=True):
            for variant in dict.fromkeys((key, key[:width], key[: width + 1])):
                candidates.append(variant)
                owners.append(position)
        if width <= _CACHED_WIDTH:
            self._by_width[width] = (candidates, owners)
        return candidates, owners


def _tier(name: str, needle: str, word: str) -> int:
    """0 the whole name, 1 its start, 2 the start of a later word, 3 elsewhere in it."""
    if name == needle:
        return 0
    if name.startswith(needle):
        return 1
    return 2 if word in name else 3


# libyaml's safe loader where PyYAML was built with it: the lists are 3,000 entries, and the pure-Python
# parser took seconds of every start-up.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Lookups:
    """Every list a flow may name. File lists are proper names and are not translated."""

    def __init__(self, directory: str | Path) -> None:
        self._files: dict[str, list[Entry]] = {}
        for path in sorted(Path(directory).glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or []  # noqa: S506 - a safe loader
            self._files[path.stem] = [_file_entry(e) for e in data]
        self._indexes = {name: _Index(entries) for name, entries in self._files.items()}
        self._values = {name: {e.value for e in entries} for name, entries in self._files.items()}
        countries = _country_codes()
        self._values["countries"] = set(countries)
        self._values["countries-overseas"] = set(countries) - {_UK}
        self._values["nationalities"] = set(countries) | set(_EXTRA_NATIONALITIES)
        self._other_names = _other_names(Path(directory) / _OTHER_NAMES)
        # Per list and language, built on first use: a few lists times the languages offered.
        self._country_index = functools.lru_cache(maxsize=_CACHED_INDEXES)(self._build_country_index)

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

    def search(self, name: str, query: str, language: str, near_misses: bool = True) -> list[Entry]:
        """At most MAX_MATCHES entries matching the query, best first (see the module's docstring).
        Without near misses, only entries whose names hold the query as typed (bar case and accents)."""
        if name in self._indexes:
            ranked = self._indexes[name].search(query, MAX_MATCHES, near_misses)
        elif name in self._values:
            ranked = self._country_index(name, _language(language)).search(query, MAX_MATCHES, near_misses)
            if name == "nationalities":  # labels translated now, in the request's language: not cached
                extras = _Index([self._country_entry(name, v, str(label)) for v, label in _EXTRA_NATIONALITIES.items()])
                ranked = sorted(ranked + extras.search(query, MAX_MATCHES, near_misses), key=lambda pair: pair[0])
        else:
            ranked = []
        return [entry for _, entry in ranked[:MAX_MATCHES]]

    def _build_country_index(self, name: str, language: str) -> _Index:
        labels, english = _country_names(language), _country_names("en")
        codes = sorted(self._values[name] - set(_EXTRA_NATIONALITIES))
        return _Index([self._country_entry(name, code, labels[code], english[code]) for code in codes])

    def _country_entry(self, name: str, value: str, label: str, english: str = "") -> Entry:
        """A country or nationality with its other names for this list: its English name, the country's
        other names, and in the nationalities what its people are called."""
        other = self._other_names.get(value, _OtherNames())
        aka = (english, *other.aka, *(other.nationality if name == "nationalities" else ()))
        return Entry(value, label, aka=tuple(a for a in aka if a and a != label), weight=other.weight)


def _file_entry(data: dict[str, object]) -> Entry:
    weight = data.get("population", data.get("weight", 0))
    aka = data.get("aka") or []
    return Entry(
        str(data["value"]),
        str(data["label"]),
        str(data["type"]) if data.get("type") else None,
        tuple(str(a) for a in aka) if isinstance(aka, list) else (str(aka),),
        int(weight) if isinstance(weight, int) else 0,
    )


@dataclass(frozen=True)
class _OtherNames:
    aka: tuple[str, ...] = ()  # other names of the country
    nationality: tuple[str, ...] = ()  # what its people are called
    weight: int = 0  # how often the nationality is referred


def _other_names(path: Path) -> dict[str, _OtherNames]:
    """The countries' and nationalities' other names by value (none when the file is missing)."""
    if not path.exists():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or []  # noqa: S506 - a safe loader
    return {
        str(e["value"]): _OtherNames(
            tuple(str(a) for a in e.get("aka") or ()),
            tuple(str(a) for a in e.get("nationality") or ()),
            int(e.get("weight") or 0),
        )
        for e in data
    }


def _language(language: str) -> str:
    """The language whose country names a list is searched in, once per language however it is written."""
    return language.replace("-", "_")


def _country_codes() -> list[str]:
    territories = Locale("en").territories
    return [
        code
        for code in territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]


@functools.lru_cache(maxsize=64)
def _country_names(language: str) -> dict[str, str]:
    try:
        territories = Locale.parse(language.replace("-", "_")).territories
    except (ValueError, LookupError):
        territories = Locale("en").territories
    english = Locale("en").territories
    return {code: territories.get(code, english[code]) for code in _country_codes()}
