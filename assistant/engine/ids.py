"""The names a flow file uses: what an id may be, the two states that are not questions, and the keys of
a question and of a grouped question's field."""

from __future__ import annotations

import re

REVIEW = "review"
SUBMITTED = "submitted"
VALID_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")  # lower case, digits and single hyphens

QUESTION_KEYS = frozenset(
    [
        "id",
        "kind",
        "text",
        "hint",
        "help",
        "required",
        "options",
        "lookup",
        "repeat",
        "free_text",
        "max_length",
        "no_urls",
        "min",
        "max",
        "records",
        "next",
        "variants",
        "comment",
        "card",
        "required_message",
        "not_same_as",
        "same_message",
        "fields",
    ]
)
# A field of a grouped question: a question of its own, answered in its group's turn (docs/flows.md).
FIELD_KEYS = frozenset(
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
        "if",
        "when",
    ]
)
