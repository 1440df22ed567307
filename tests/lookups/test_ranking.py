"""Searching a long list ranks what people mean first (assistant/lookups.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.lookups import MAX_MATCHES, Lookups, fold

LISTS = Path(__file__).resolve().parents[2] / "flows" / "lists"

# A synthetic list: each place is made up to exercise one rule.
PLACES = """
- {value: mid-ashby, label: "Mid Ashby", population: 90000}
- {value: crashby, label: "Crashby", population: 500000}
- {value: ashby-vale, label: "Ashby Vale", population: 1000}
- {value: ashby, label: "Ashby", population: 10}
- {value: ashby-end, label: "Ashby End", population: 1000}
- {value: ashford, label: "Ashford", population: 70000}
- {value: ashbourne, label: "Ashbourne", population: 8000}
- {value: zed, label: "Zed Town", aka: ["Zedville"]}
"""


@pytest.fixture(scope="module")
def real() -> Lookups:
    return Lookups(LISTS)


@pytest.fixture
def places(tmp_path: Path) -> Lookups:
    (tmp_path / "places.yaml").write_text(PLACES, encoding="utf-8")
    return Lookups(tmp_path)


def labels(lookups: Lookups, name: str, query: str, language: str = "en") -> list[str]:
    return [e.label for e in lookups.search(name, query, language)]


def test_whole_name_then_start_then_word_then_anywhere(places: Lookups) -> None:
    found = labels(places, "places", "ashby")
    # The whole name despite its tiny population; then names starting with it (ties by population,
    # then alphabetically); then a later word; then inside a word, however large the place; then a
    # near miss (the start of "Ashbourne" is one letter away).
    assert found == ["Ashby", "Ashby End", "Ashby Vale", "Mid Ashby", "Crashby", "Ashbourne"]


def test_ties_go_to_the_larger_population(places: Lookups) -> None:
    assert labels(places, "places", "ash")[:3] == ["Ashford", "Ashbourne", "Ashby End"]


def test_ties_of_equal_weight_go_alphabetically(places: Lookups) -> None:
    assert labels(places, "places", "ashby ")[1:3] == ["Ashby End", "Ashby Vale"]


def test_a_short_name_matches_as_the_label_does(places: Lookups) -> None:
    assert labels(places, "places", "zedv") == ["Zed Town"]


def test_new_offers_the_big_towns_starting_with_it_before_new_in_the_middle(real: Lookups) -> None:
    found = labels(real, "uk-towns", "new")
    assert found[:2] == ["Newcastle upon Tyne", "Newport (Gwent)"]
    middle = [label for label in found if not fold(label).startswith("new")]
    assert all(found.index(m) > found.index("Newcastle-under-Lyme") for m in middle)


@pytest.mark.parametrize(("typed", "meant"), [("Manchster", "Manchester"), ("Birmigham", "Birmingham")])
def test_a_typo_still_finds_the_town(real: Lookups, typed: str, meant: str) -> None:
    assert labels(real, "uk-towns", typed)[0] == meant


def test_near_misses_come_after_every_exact_match(real: Lookups) -> None:
    found = labels(real, "uk-towns", "Birmingham")
    assert found[0] == "Birmingham"
    assert "Billingham" in found[1:]  # one letter away


def test_short_queries_do_not_match_fuzzily(real: Lookups) -> None:
    assert labels(real, "uk-towns", "zqx") == []


@pytest.mark.parametrize(
    ("name", "typed", "meant"),
    [
        ("police-forces", "Met", "Metropolitan Police Service"),
        ("police-forces", "psni", "Police Service of Northern Ireland"),
        ("organisations", "Sally Army", "The Salvation Army"),
        ("organisations", "met", "Metropolitan Police Service"),
    ],
)
def test_short_names_people_use(real: Lookups, name: str, typed: str, meant: str) -> None:
    assert labels(real, name, typed)[0] == meant


def test_case_accents_and_punctuation_do_not_matter(real: Lookups) -> None:
    assert labels(real, "uk-towns", "STOKE ON TRENT")[0] == "Stoke-on-Trent"
    assert labels(real, "organisations", "barnardos")[0] == "Barnardo's"
    assert labels(real, "countries", "egypte", "fr")[0] == "Égypte"


@pytest.mark.parametrize(
    ("language", "typed", "code"),
    [
        ("pl", "polksa", "PL"),
        ("pl", "niem", "DE"),
        ("cy", "almaen", "DE"),
        ("cy", "gwlad pwyl", "PL"),
        ("cs", "cesko", "CZ"),
    ],
)
def test_country_names_rank_in_the_workers_language(real: Lookups, language: str, typed: str, code: str) -> None:
    assert real.search("countries", typed, language)[0].value == code


def test_at_most_the_limit_and_nothing_for_nothing(real: Lookups) -> None:
    assert len(real.search("uk-towns", "a", "en")) == MAX_MATCHES
    assert real.search("uk-towns", "  ", "en") == []
    assert real.search("no-such-list", "a", "en") == []


def test_towns_carry_their_population(real: Lookups) -> None:
    towns = {e.value: e for e in real.entries("uk-towns", "en")}
    assert towns["newcastle-upon-tyne"].weight > towns["newcastle-emlyn"].weight > 0


def test_fewer_letters_wrong_rank_first(tmp_path: Path) -> None:
    (tmp_path / "places.yaml").write_text(
        '- {value: kettlebury, label: "Kettlebury", population: 99999}\n'
        '- {value: kettleby, label: "Kettleby", population: 10}\n',
        encoding="utf-8",
    )
    # One letter from Kettleby, two from the start of the far larger Kettlebury.
    assert labels(Lookups(tmp_path), "places", "kettlebey") == ["Kettleby", "Kettlebury"]


def test_near_misses_can_be_left_out(real: Lookups) -> None:
    assert real.search("uk-towns", "Manchster", "en", near_misses=False) == []


# Other names of the countries and nationalities, declared in flows/lists/aka/countries.yaml ----------


@pytest.mark.parametrize(
    ("name", "typed", "code"),
    [
        ("countries", "UK", "GB"),
        ("countries", "Great Britain", "GB"),
        ("countries", "England", "GB"),
        ("countries", "USA", "US"),
        ("countries", "America", "US"),
        ("countries", "DRC", "CD"),
        ("countries", "Ivory Coast", "CI"),
        ("countries", "Czech Republic", "CZ"),
        ("countries", "Turkey", "TR"),
        ("countries", "Swaziland", "SZ"),
        ("countries", "Macedonia", "MK"),
        ("countries", "Viet Nam", "VN"),
        ("countries", "Bosnia and Herzegovina", "BA"),  # the label says "&"
        ("countries", "Saint Lucia", "LC"),  # the label says "St."
        ("countries-overseas", "Holland", "NL"),
        ("nationalities", "UK", "GB"),  # a country's other names serve its nationality too
        ("nationalities", "Palestine", "PS"),
    ],
)
def test_short_and_other_names_of_countries(real: Lookups, name: str, typed: str, code: str) -> None:
    assert real.search(name, typed, "en")[0].value == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("British", "GB"),
        ("Welsh", "GB"),
        ("Albanian", "AL"),
        ("Vietnamese", "VN"),
        ("Eritrean", "ER"),
        ("Sudanese", "SD"),  # before "South Sudanese"
        ("Kosovan", "XK"),
        ("Afghan", "AF"),
        ("Filipino", "PH"),
        ("Dutch", "NL"),
        ("Unknown", "unknown"),
        ("No nationality", "stateless"),
    ],
)
def test_what_people_are_called_finds_their_nationality(real: Lookups, typed: str, code: str) -> None:
    assert real.search("nationalities", typed, "en")[0].value == code


def test_what_people_are_called_is_not_a_countrys_name(real: Lookups) -> None:
    assert real.search("countries", "Dutch", "en") == []
    assert "GB" not in [e.value for e in real.search("countries-overseas", "UK", "en")]


def test_equal_matches_put_the_nationalities_referred_most_often_first(real: Lookups) -> None:
    assert real.search("nationalities", "a", "en")[0].value == "AL"  # not Afghanistan, alphabetically first
    assert real.search("nationalities", "brit", "en")[0].value == "GB"  # not the British Virgin Islands


@pytest.mark.parametrize(
    ("language", "name", "typed", "code"),
    [
        ("cy", "countries", "UK", "GB"),
        ("cy", "nationalities", "British", "GB"),
        ("ar", "nationalities", "Eritrean", "ER"),
        ("ar", "countries", "DRC", "CD"),
        ("fa_AF", "nationalities", "Afghan", "AF"),
        ("fr", "countries", "Ivory Coast", "CI"),
        ("pl", "nationalities", "Vietnamese", "VN"),
        ("sq", "countries", "Turkey", "TR"),
        ("ar", "countries", "Germany", "DE"),  # the English name, in any language
        ("ti", "nationalities", "Sudan", "SD"),
    ],
)
def test_other_names_rank_first_in_every_workers_language(
    real: Lookups, language: str, name: str, typed: str, code: str
) -> None:
    assert real.search(name, typed, language)[0].value == code


def test_the_workers_own_language_still_ranks_its_names(real: Lookups) -> None:
    assert real.search("countries", "Allemagne", "fr")[0].value == "DE"
    assert real.search("countries", "Wielka Brytania", "pl")[0].value == "GB"


def test_every_other_name_belongs_to_a_country_or_nationality_on_the_lists(real: Lookups) -> None:
    declared = yaml.safe_load((LISTS / "aka" / "countries.yaml").read_text(encoding="utf-8"))
    values = [entry["value"] for entry in declared]
    assert len(values) == len(set(values))
    assert not [value for value in values if not real.contains("nationalities", value)]  # "NO" must be quoted
