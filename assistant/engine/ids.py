"""The names a flow file uses: what an id may be, the two states that are not questions, and the keys of
a question and of a grouped question's field."""

from __future__ import annotations

import re

REVIEW = "review"
SUBMITTED = "submitted"
VALID_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")  # lower case, digits and single hyphens

# What a question and a grouped question's field both take: each is a question of its own.
_ASKED_KEYS = frozenset(
    [
        "id",
        "kind",
        "text",
        "hint",
        "help",
        "required",
        "required_message",
        "options",
        "lookup",
        "repeat",
        "free_text",
        "max_length",
        "no_urls",
        "min",
        "max",
        "records",
        "variants",
        "comment",
        "not_same_as",
        "same_message",
    ]
)
# A question is a step of the flow: where it goes next, the card it relies on, a group's fields.
QUESTION_KEYS = _ASKED_KEYS | {"next", "card", "fields"}
# A field is answered in its group's turn (docs/flows.md): asked only if a condition holds, or `when` an
# earlier field of the group has a given answer.
FIELD_KEYS = _ASKED_KEYS | {"if", "when"}
