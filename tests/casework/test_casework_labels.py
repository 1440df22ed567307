"""One table names each casework action and one words each refusal, for every page that shows them."""

from __future__ import annotations

from assistant.casework import lifecycle
from assistant.web import admin, labels
from assistant.web.errors import REFUSALS, not_allowed_message


def test_every_action_has_its_labels_in_one_table() -> None:
    assert set(labels.ACTION) == set(lifecycle.ACTIONS)
    assert all(labels.EVENT[name] is action.done for name, action in labels.ACTION.items())
    assert all(admin.ACTION_LABELS[name] is action.audited for name, action in labels.ACTION.items())
    deciding = {name for name, role in lifecycle.ACTIONS.items() if role in ("caseworker", "panel")}
    assert set(labels.DECISIONS) == deciding - {"pass-to-police"}  # passed on with a form of its own


def test_every_refusal_the_lifecycle_gives_is_worded_once(app: object) -> None:
    assert set(lifecycle.GUARDS.values()) | {"unknown_action", "wrong_status"} <= set(REFUSALS)
    assert not_allowed_message("reasons_required", on="reconsider") == "Enter the new information."
    assert not_allowed_message("reasons_required", on="decision") == "Enter the reasons."
    assert not_allowed_message("unknown_action", on="decision") == "Choose a decision."
    assert not_allowed_message("recovery_period", until="1 April 2025").endswith("is over, on 1 April 2025.")
    assert not_allowed_message("no-such-code") == not_allowed_message("wrong_status")
