"""Phone numbers: every UK number in the forms people write it, Ofcom's drama ranges among them, kept in
E.164; an international one with its country code; and a refusal that says what is wrong with the number."""

from __future__ import annotations

import pytest

from assistant.engine.spec import Question
from assistant.engine.validators import Invalid, validate
from tests.engine.conftest import TODAY, FakeLists

PHONE = Question(id="q", kind="phone", text="Phone number?", section="s", line=1)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # UK mobiles, allocated or not yet in the library's ranges, and Ofcom's drama range 07700 900xxx
        ("07911654321", "+447911654321"),
        ("07911 123456", "+447911123456"),
        ("07700900123", "+447700900123"),
        ("07700 900 123", "+447700900123"),
        ("07700 900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+447700900123", "+447700900123"),
        ("+44 (0) 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("(07700) 900123", "+447700900123"),
        ("07700.900.123", "+447700900123"),
        ("٠٧٧٠٠٩٠٠١٢٣", "+447700900123"),  # typed with Arabic-Indic digits
        # landlines and other ranges, drama ones among them
        ("020 7946 0123", "+442079460123"),
        ("(020) 7946 0123", "+442079460123"),
        ("0113 496 0000", "+441134960000"),
        ("01632 960123", "+441632960123"),
        ("028 9649 6000", "+442896496000"),
        ("016977 3456", "+44169773456"),  # one of the few nine-digit area numbers
        ("0300 123 4567", "+443001234567"),
        ("0808 157 0192", "+448081570192"),
        ("0800 1111", "+448001111"),
        ("01624 123456", "+441624123456"),  # the Isle of Man shares +44
        # abroad, with the country code
        ("+33 1 23 45 67 89", "+33123456789"),
        ("+1 202 555 0123", "+12025550123"),
        ("00353 1 234 5678", "+35312345678"),
    ],
)
def test_uk_numbers_in_every_usual_form_and_international_ones_are_accepted(typed: str, kept: str) -> None:
    assert validate(PHONE, typed, FakeLists(), TODAY) == kept


@pytest.mark.parametrize(
    ("typed", "message", "params"),
    [
        ("0791165432", "The number is too short: check for a missing digit or area code", {}),
        ("12345", "The number is too short: check for a missing digit or area code", {}),
        ("079116543210", "The number is too long: check for an extra digit", {}),
        ("1" * 41, "The number is too long: check for an extra digit", {}),
        ("04123 456789", "No UK phone number starts with %(start)s", {"start": "04"}),
        ("06123 456789", "No UK phone number starts with %(start)s", {"start": "06"}),
        ("07700 9OO 123", "A phone number can only have digits, spaces, brackets, hyphens and a + at the start", {}),
        (
            "020 7946 0123 ext 12",
            "A phone number can only have digits, spaces, brackets, hyphens and a + at the start",
            {},
        ),
        ("07700 + 900123", "A phone number can only have digits, spaces, brackets, hyphens and a + at the start", {}),
        ("+999 123 456", "The digits after the + are not a country code", {}),
        ("+33 1 23", "The number is too short: check for a missing digit or area code", {}),
        ("+33 1 23 45 67 89 00", "The number is too long: check for an extra digit", {}),
        ("+1 123 456 7890", "No phone number in the country with code +%(code)s looks like this", {"code": 1}),
    ],
)
def test_a_refused_number_says_what_is_wrong_with_it(typed: str, message: str, params: dict[str, object]) -> None:
    with pytest.raises(Invalid) as refused:
        validate(PHONE, typed, FakeLists(), TODAY)
    assert (refused.value.message, refused.value.params) == (message, params)
