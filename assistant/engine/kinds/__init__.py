"""Every kind of question a flow may ask, one module each (docs/flows.md, "Adding a kind of question")."""

from __future__ import annotations

from .base import N_, Control, Invalid, Kind, Lists, Nn_, is_empty, is_storable
from .choice import CHOICE, MULTICHOICE
from .date import DATE
from .email import EMAIL
from .group import GROUP
from .info import INFO
from .number import NUMBER
from .phone import PHONE
from .postcode import POSTCODE
from .select import SELECT
from .text import TEXT, TEXTAREA
from .upload import UPLOAD

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (CHOICE, MULTICHOICE, TEXT, TEXTAREA, DATE, NUMBER, EMAIL, PHONE, POSTCODE, SELECT, INFO, UPLOAD, GROUP)
}

__all__ = ["KINDS", "N_", "Control", "Invalid", "Kind", "Lists", "Nn_", "is_empty", "is_storable"]
