"""The flow extractor gives translators the quality checks' messages and the required messages, in context."""

from __future__ import annotations

from pathlib import Path

from assistant.i18n_extract import extract_flow

FLOW = Path(__file__).resolve().parents[2] / "flows" / "nrm.yaml"


def test_quality_messages_and_required_messages_are_extracted_in_their_context() -> None:
    with FLOW.open("rb") as file:
        found = {message for _, _, message, _ in extract_flow(file, None, None, {})}
    contexts = {context for context, _ in found}
    assert {f"nrm:quality:{check}" for check in ("too-short", "repeated", "no-timeline")} <= contexts
    assert ("nrm:pv-name-first-name", "Enter the person's first name") in found


def test_a_grouped_questions_fields_are_extracted_each_in_its_own_context() -> None:
    with FLOW.open("rb") as file:
        found = {message for _, _, message, _ in extract_flow(file, None, None, {})}
    assert ("nrm:pv-name", "What is their name?") in found  # the group's own text
    assert ("nrm:pv-name-last-name", "Last name") in found
    assert ("nrm:pv-name-last-name", "Enter the person's last name") in found
    assert ("nrm:fr-location", "England") in found  # a field's options
    assert ("nrm:pv-want-to-submit-nrm", "Use an interpreter if they need one.") in found  # a field's variant
