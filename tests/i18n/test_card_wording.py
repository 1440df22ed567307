"""Wording the review of the catalogues found wrong in the cards read to the person (issue 14)."""

from __future__ import annotations

import re

import polib
import pytest

from assistant.i18n_tools import CATALOGUES, catalogue_files


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(CATALOGUES / code / "LC_MESSAGES" / "messages.po"))


def translation(code: str, context: str | None, msgid_start: str) -> str:
    (entry,) = [e for e in catalogue(code) if e.msgctxt == context and e.msgid.startswith(msgid_start)]
    # (exactly one: a prefix that matched two would test the wrong string)
    return entry.msgstr


# A word of each language's own explanation: a department of the UK government that also handles immigration.
IMMIGRATION = {"so": "socdaal", "ti": "ስደት", "am": "ስደት"}


@pytest.mark.parametrize("code", sorted(IMMIGRATION))
def test_each_card_naming_the_home_office_explains_it_in_the_cards_language(code: str) -> None:
    cards: dict[str, list[polib.POEntry]] = {}
    for entry in catalogue(code):
        if (entry.msgctxt or "").startswith("cards:") and "Home Office" in entry.msgid:
            cards.setdefault(entry.msgctxt, []).append(entry)
    assert len(cards) == 4
    for context, entries in cards.items():
        first = min(entries, key=lambda e: e.linenum)  # the first mention the person reads on that card
        said = first.msgstr[first.msgstr.index("Home Office") :]
        assert said.startswith("Home Office ("), (context, first.msgstr)
        assert IMMIGRATION[code] in said[: said.index(")")], (context, first.msgstr)


def test_every_catalogue_keeps_the_helplines_english_name_the_caller_will_hear() -> None:
    for path in catalogue_files():
        entry = polib.pofile(str(path)).find("Modern Slavery and Exploitation Helpline", msgctxt="cards:emergency")
        assert entry is not None
        assert "Modern Slavery and Exploitation Helpline" in entry.msgstr, path


def test_tigrinya_says_united_kingdom_not_great_britain() -> None:
    for entry in catalogue("ti"):
        if "UK" in entry.msgid:
            assert "ዓባይ ብሪጣንያ" not in entry.msgstr, entry.msgid


def test_amharic_buttons_use_the_polite_imperative() -> None:
    # The polite (plural, respectful) imperative starts with ይ or ያ: ይቀጥሉ, not the familiar ቀጥል.
    buttons = ["Continue", "Skip this question", "Back", "Change", "Submit referral", "Send report", "Close"]
    buttons += ["Quick exit", "Show full screen", "Sign out", "Filter", "Claim next", "Record the decision", "Delete"]
    buttons += ["Disable the account", "Create the account", "Apply filters", "Back to the queue", "Keep it"]
    amharic = catalogue("am")
    for msgid in buttons:
        entry = amharic.find(msgid, msgctxt=None)
        assert entry is not None, msgid
        verb = entry.msgstr.split()[-1]
        assert verb[0] in "ይያ", (msgid, verb)


@pytest.mark.parametrize(
    ("code", "context", "msgid_start", "wrong", "right"),
    [
        # "o hyd" at the end read as "what kept happening"; "Er hynny" is "even so".
        ("cy", "cards:consent", "If you do not agree", "beth ddigwyddodd o hyd", "Er hynny"),
        ("sq", "cards:what-happens-next", "If it is positive", "për t'u marrë veten", "për ta marrë veten"),
        ("zh_Hans", "cards:emergency", "If you are in danger now", "拨打免费", "免费"),
        ("pl", "cards:what-happens-next", "If you asked", "chcesz", "poprosiłeś lub poprosiłaś"),
        # "may" covers both: trafficked or forced to work
        ("pl", "cards:what-is-the-nrm", "The National Referral", "były zmuszane", "mogły paść ofiarą"),
        ("ro", "cards:what-happens-next", "If you asked", "card", "fișa"),
    ],
)
def test_smaller_slips_are_fixed(code: str, context: str, msgid_start: str, wrong: str, right: str) -> None:
    said = translation(code, context, msgid_start)
    assert wrong not in said
    assert right in said


def test_romanian_never_calls_a_card_a_bank_card() -> None:
    for entry in catalogue("ro"):
        assert not re.search(r"\bcard", entry.msgstr), entry.msgid
