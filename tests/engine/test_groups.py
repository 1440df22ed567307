"""Grouped questions: one turn, several fields, each answer under its own field id."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.engine import Engine, FlowError, Snapshot, TurnRejected, parse_flow
from assistant.engine.kinds import KINDS
from tests.engine.conftest import TODAY, Walk
from tests.scenarios import ROUTES

# The turns each route may take at most (a group is one turn), walked with every follow-up asked.
TURN_LIMITS = {
    "adult-consent-with-support": 45,
    "adult-consent-without-support": 45,
    "child": 45,
    "age-not-sure": 45,
    "adult-refusal-not-cooperating": 30,
    "adult-refusal-cooperating": 36,
}


@pytest.mark.parametrize(("route", "limit"), TURN_LIMITS.items())
def test_each_route_takes_no_more_turns_than_its_target(walk: Walk, route: str, limit: int) -> None:
    asked = walk.through(ROUTES[route])
    assert walk.snapshot.state == "review"
    assert asked.turns <= limit


def test_every_required_question_and_field_says_what_is_missing(nrm: Engine) -> None:
    flow = nrm.flow
    missing = [
        q.id
        for q in [*flow.questions.values(), *flow.fields.values()]
        if q.kind != "group" and KINDS[q.kind].takes_answer and q.required and not q.required_message
    ]
    assert missing == []


def adult_answers(walk: Walk) -> dict[str, Any]:
    walk.through(ROUTES["adult-consent-with-support"])
    return dict(walk.snapshot.answers)


def groups(nrm: Engine) -> list[str]:
    return [q.id for q in nrm.flow.questions.values() if q.kind == "group"]


def test_the_flow_groups_what_is_answered_in_one_breath(nrm: Engine) -> None:
    flow = nrm.flow
    for field, group in [
        ("pv-name-last-name", "pv-name"),
        ("pv-dob", "pv-name"),
        ("pv-phone-number-yes", "support"),
        ("fr-details-phone", "fr-details"),
        ("fr-alternative-contact", "fr-details"),
        ("where-exploitation-happened-uk-city", "where-exploited"),
    ]:
        assert flow.step_of(field) == group


@pytest.mark.parametrize(
    "group",
    [
        "about-your-work",
        "pv-age",
        "local-authority-contact",
        "consent",
        "cooperation",
        "situations",
        "journey",
        "still-exploited",
        "last-contact",
        "first-chance",
        "indicators",
        "dishonesty",
        "others-involved",
        "where-exploited",
        "current-location",
        "exploiters-now",
        "types",
        "other-victims",
        "future-risk",
        "police",
        "support",
        "pv-name",
        "pv-identity",
        "communication",
        "ho-reference",
        "pv-letters",
        "someone-else-contact",
        "fr-details",
    ],
)
def test_an_empty_group_names_each_required_field_it_is_missing(walk: Walk, group: str) -> None:
    answers = {**adult_answers(walk), "pv-under-age": "yes"} if group == "local-authority-contact" else None
    answers = answers or dict(walk.snapshot.answers) or adult_answers(walk)
    snapshot = Snapshot(group, answers)
    question = walk.engine.question(snapshot)
    # the fields asked whatever the answers: required, and not waiting on an earlier field's answer
    expected = [f for f in question.fields if f.required and f.when is None and KINDS[f.kind].takes_answer]
    with pytest.raises(TurnRejected) as rejected:
        walk.engine.answer(snapshot, group, {}, TODAY)
    fields = rejected.value.fields
    assert rejected.value.code == "invalid"
    assert [f.question_id for f in fields] == [f.id for f in expected]
    assert [f.message for f in fields] == [f.required_message for f in expected]
    assert rejected.value.message == fields[0].message  # the turn's own message is the first field's


def test_groups_cover_every_kind_of_field_they_hold(nrm: Engine) -> None:
    kinds = {f.kind for f in nrm.flow.fields.values()}
    assert {"choice", "multichoice", "text", "textarea", "date", "phone", "email", "select", "number", "info"} <= kinds
    assert set(groups(nrm)) >= {"pv-name", "fr-details", "support", "where-exploited"}


def test_each_invalid_field_gets_its_own_error_and_valid_ones_are_not_lost(walk: Walk) -> None:
    snapshot = Snapshot("fr-details", adult_answers(walk))
    value = {
        "fr-details-first-name": "Alex",
        "fr-details-last-name": "",
        "fr-details-role": "Caseworker",
        "fr-details-phone": "12",
        "fr-alternative-contact": "not an email",
    }
    with pytest.raises(TurnRejected) as rejected:
        walk.engine.answer(snapshot, "fr-details", value, TODAY)
    errors = {f.question_id: f.message for f in rejected.value.fields}
    assert errors == {
        "fr-details-last-name": "Enter your last name",
        "fr-details-phone": "The number is too short: check for a missing digit or area code",
        "fr-alternative-contact": "Enter an email address in the correct format, like name@example.com",
    }
    done = walk.engine.answer(
        snapshot,
        "fr-details",
        {
            **value,
            "fr-details-last-name": "Smith",
            "fr-details-phone": "020 7946 0123",
            "fr-alternative-contact": "team@example.org",
        },
        TODAY,
    )
    assert done.state == "supporting-documents"  # then evidence, if any, and the review
    assert done.answers["fr-details-phone"] == "+442079460123"  # each field normalised by its own kind
    assert done.answers["fr-details-first-name"] == "Alex"


def test_a_field_waiting_on_an_earlier_answer_is_asked_only_after_it(walk: Walk) -> None:
    snapshot = Snapshot("support", adult_answers(walk))
    with pytest.raises(TurnRejected) as rejected:
        walk.engine.answer(snapshot, "support", {"does-pv-need-support": "yes", "pv-phone-number": "yes"}, TODAY)
    assert [(f.question_id, f.message) for f in rejected.value.fields] == [
        ("pv-phone-number-yes", "Enter their phone number")
    ]
    done = walk.engine.answer(snapshot, "support", {"does-pv-need-support": "no", "pv-phone-number-yes": "junk"}, TODAY)
    assert done.answers["does-pv-need-support"] == "no"
    assert "pv-phone-number" not in done.answers  # not asked: neither validated nor kept
    assert "pv-phone-number-yes" not in done.answers


def test_changing_a_group_drops_the_answers_its_new_answer_no_longer_asks_for(walk: Walk) -> None:
    walk.through(ROUTES["adult-consent-with-support"])
    assert walk.snapshot.answers["pv-phone-number-yes"] == "+442079460123"
    snapshot = walk.engine.change(walk.snapshot, "pv-phone-number-yes")  # a field changes through its group
    assert snapshot.state == "support"
    assert walk.engine.previous(snapshot)["pv-phone-number-yes"] == "+442079460123"
    snapshot = walk.engine.answer(snapshot, "support", {"does-pv-need-support": "no"}, TODAY)
    assert snapshot.state == "review"
    submitted = walk.engine.submission(snapshot)
    assert submitted["does-pv-need-support"] == "no"
    assert not {"pv-phone-number", "pv-phone-number-yes"} & set(submitted)


def test_the_review_shows_each_field_on_its_own_row(walk: Walk) -> None:
    walk.through(ROUTES["adult-consent-with-support"])
    rows = [qid for _, qids in walk.engine.review(walk.snapshot) for qid in qids]
    assert rows[rows.index("fr-details-first-name") :] == [
        "fr-details-first-name",
        "fr-details-last-name",
        "fr-details-role",
        "fr-details-phone",
        "fr-alternative-contact",
        "supporting-documents",
    ]
    assert "fr-details" not in rows
    assert list(walk.engine.submission(walk.snapshot)) == rows


def flow_with(questions: str) -> str:
    return f"flow: t\nversion: 1\ntitle: T\nsections:\n  - id: s\n    title: S\n    questions:\n{questions}"


GROUP = """\
      - id: who
        kind: group
        text: Who
        fields:
          - {id: first, kind: text, text: First}
          - {id: any, kind: choice, text: Any, options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]}
"""


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("          - {id: first, kind: text, text: Again}\n", "duplicate question id 'first'"),
        ("          - {id: more, kind: text, text: M, when: {later: [x]}}\n", "'when' names an earlier field"),
        ("          - {id: more, kind: text, text: M, when: {any: [maybe]}}\n", "'when' names an earlier field"),
        ("          - {id: more, kind: text, text: M, if: 'any == \"yes\"'}\n", "use 'when' for a field of its group"),
        ("          - {id: more, kind: group, text: M, fields: []}\n", "a group cannot hold another group"),
        ("          - {id: more, kind: text, text: M, next: review}\n", "unknown key 'next'"),
    ],
)
def test_the_loader_reports_a_badly_made_group(extra: str, problem: str) -> None:
    with pytest.raises(FlowError) as error:
        parse_flow(flow_with(GROUP + extra))
    assert problem in str(error.value)


def test_a_well_made_group_loads_and_conditions_may_name_its_fields() -> None:
    source = flow_with(
        GROUP
        + '          - {id: which, kind: text, text: Which, when: {any: ["yes"]}}\n'
        + "        next: [{if: 'any == \"yes\"', goto: more}, {goto: review}]\n"
        + "      - {id: more, kind: text, text: More}\n"
    )
    flow = parse_flow(source)
    assert [f.id for f in flow.questions["who"].fields] == ["first", "any", "which"]
    assert flow.questions["who"].fields[2].when == ("any", ("yes",))


def test_only_a_group_has_fields() -> None:
    with pytest.raises(FlowError) as error:
        parse_flow(flow_with("      - {id: a, kind: text, text: A, fields: [{id: b, kind: text, text: B}]}\n"))
    assert "only a group has 'fields'" in str(error.value)


def test_a_group_is_asked_with_the_fields_the_latest_answers_call_for() -> None:
    flow = parse_flow(
        flow_with(
            '      - {id: kid, kind: choice, text: Kid, options: [{value: "yes", label: "Y"}, {value: "no", label: "N"}]}\n'
            + GROUP
            + "          - {id: school, kind: text, text: School, if: 'kid == \"yes\"'}\n"
        )
    )
    who = flow.questions["who"]
    child, adult = {"kid": "yes"}, {"kid": "no"}
    assert [f.id for f in who.resolved(child).fields] == ["first", "any", "school"]
    assert [f.id for f in who.resolved(adult).fields] == ["first", "any"]
    # each form is made once and kept: asked again, in any order, each is the one its answers call for
    assert [f.id for f in who.resolved(child).fields] == ["first", "any", "school"]
    assert who.resolved(adult) is who.resolved({"kid": "no", "first": "Synthetic"})
