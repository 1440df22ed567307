"""Human-friendly referral references with a check character.

``NRM-7K3M-9QXR``: the prefix its flow declares for the kind (docs/flows.md), seven random
characters from an alphabet without look-alike characters (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), then an
ISO 7064 MOD 37,36 check character, which catches any single mistyped character and most swapped pairs.
"""

from __future__ import annotations

import secrets

from stdnum.iso7064 import mod_37_36

from .engine.integration import PREFIX

ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"


def new_reference(prefix: str) -> str:
    """A new reference starting with ``prefix``, the kind's prefix its flow declares (in capitals)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    check = mod_37_36.calc_check_digit(body)
    return f"{prefix.upper()}-{body[:4]}-{body[4:]}{check}"


def is_valid_reference(reference: str) -> bool:
    prefix, _, rest = reference.upper().partition("-")
    compact = rest.replace("-", "")
    return bool(PREFIX.match(prefix)) and len(compact) == 8 and mod_37_36.is_valid(compact)
