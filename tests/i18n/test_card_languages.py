"""Card-only languages (`X-Enabled: cards`): offered for the cards shown to the person and nothing else, so
all they must translate is the cards section, which holds the card's own controls and draft notice too.
Every catalogue here is made in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from assistant import i18n_tools
from assistant.i18n import CARD_CONTROLS, offered_languages
from tests.i18n.catalogues import CARD_CONTROLS as CONTROLS
from tests.i18n.catalogues import card_catalogue, copy_of


def expected() -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(i18n_tools.TEMPLATE))}


def problems(path: Path) -> list[str]:
    return [str(p) for p in i18n_tools.check_catalogue(path, expected())]


def test_the_cards_controls_and_draft_notice_have_their_own_context_in_the_cards_section() -> None:
    template = polib.pofile(str(i18n_tools.TEMPLATE))
    controls = [e for e in template if e.msgctxt == CARD_CONTROLS]
    assert {e.msgid for e in controls} == CONTROLS
    assert {i18n_tools.section_of(e) for e in controls} == {"cards"}
    # the pages keep the same English without the context, in their own section
    assert i18n_tools.section_of(next(e for e in template if e.msgctxt is None and e.msgid == "Close")) != "cards"


def test_a_card_language_with_its_cards_section_complete_passes_the_check(tmp_path: Path) -> None:
    path = card_catalogue(tmp_path, "ml")
    assert problems(path) == []
    said = {part.section: part for part in i18n_tools.review(path)}
    assert said["cards"].translated == said["cards"].total > len(CONTROLS)
    assert said["flow"].translated == 0


@pytest.mark.parametrize(
    "missing",
    [("cards:consent", "Your choice"), (CARD_CONTROLS, "Quick exit"), (CARD_CONTROLS, "Draft translation")],
)
def test_a_card_language_missing_a_card_string_or_control_fails_the_check(
    tmp_path: Path, missing: tuple[str, str]
) -> None:
    found = problems(card_catalogue(tmp_path, "ml", missing=missing))
    assert any("enabled for the cards but their section is incomplete: 1 untranslated" in p for p in found), found


def test_a_fuzzy_card_string_counts_as_missing(tmp_path: Path) -> None:
    path = card_catalogue(tmp_path, "tr")
    catalogue = polib.pofile(str(path))
    catalogue.find("Phone", msgctxt=CARD_CONTROLS).flags.append("fuzzy")
    catalogue.save()
    assert any("their section is incomplete: 1 untranslated or fuzzy" in p for p in problems(path))


def test_a_card_language_needs_only_its_cards_headers_and_a_known_scope(tmp_path: Path) -> None:
    path = card_catalogue(tmp_path, "uk")
    catalogue = polib.pofile(str(path))
    del catalogue.metadata["X-Review-Cards"]
    catalogue.save()
    assert any("must say X-Review-Cards" in p for p in problems(path))
    assert not any("X-Review-Flow" in p for p in problems(path))  # the flow is not offered in it
    catalogue.metadata.update({"X-Review-Cards": "draft", "X-Enabled": "sometimes"})
    catalogue.save()
    assert any("X-Enabled must be one of yes, cards, no" in p for p in problems(path))


def test_a_card_language_is_offered_for_the_cards_only(tmp_path: Path) -> None:
    card_catalogue(tmp_path, "ml")
    copy_of(tmp_path, "cy")
    assert set(offered_languages(str(tmp_path))) == {"en", "cy"}
    with_cards = offered_languages(str(tmp_path), cards=True)
    assert list(with_cards) == ["en", "cy", "ml"]
    malayalam = with_cards["ml"]
    assert malayalam.cards_only
    assert not with_cards["cy"].cards_only
    assert malayalam.draft_in("cards")
    assert malayalam.name == "മലയാളം"


def test_the_readme_table_gives_each_languages_scope(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    card_catalogue(tmp_path, "ml")
    copy_of(tmp_path, "cy")
    monkeypatch.setattr(i18n_tools, "CATALOGUES", tmp_path)
    table = i18n_tools.languages_table().splitlines()
    assert table[0] == "| language | code | offered for | cards | flow | interface | staff |"
    assert "| English (the source) | `en` | everything | reviewed | reviewed | reviewed | reviewed |" in table
    assert "| Welsh | `cy` | everything | draft | draft | draft | draft |" in table
    assert "| Malayalam | `ml` | the cards only | draft | - | - | - |" in table
