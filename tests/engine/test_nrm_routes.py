"""Every route through the NRM flow, on the engine alone."""

from __future__ import annotations

import pytest
import yaml

from assistant.engine import TurnRejected
from tests.engine.conftest import FLOWS, TODAY, Walk, as_prompt
from tests.scenarios import ROUTES, answer_for, shown_fields

SUPPORT = {"does-pv-need-support", "pv-phone-number", "pv-phone-number-yes"}
DECISION = {"who-contact", "pv-contact-details"}
LOCAL_AUTHORITY = {
    "local-authority-contacted-about-child-local-authority-name",
    "local-authority-contacted-about-child-local-authority-phone",
    "local-authority-contacted-about-child-local-authority-email",
}
IDENTIFYING = {
    "pv-name-first-name",
    "pv-name-last-name",
    "pv-name-nickname",
    "pv-dob",
    "pv-contact-details",
    "pv-phone-number",
    "pv-phone-number-yes",
    "pv-contact-details-email-input",
}
RESPONDER = {
    "fr-details-first-name",
    "fr-details-last-name",
    "fr-details-role",
    "fr-details-phone",
    "fr-alternative-contact",
}


@pytest.mark.parametrize("route", ["child", "age-not-sure"])
def test_a_child_or_possible_child_is_referred_automatically(walk: Walk, route: str) -> None:
    asked = walk.through(ROUTES[route])
    answers = walk.snapshot.answers
    assert set(asked) >= LOCAL_AUTHORITY
    assert "pv-under-age-at-time-of-exploitation" not in asked
    assert walk.engine.question(walk.snapshot, "pv-want-to-submit-nrm").kind == "info"
    assert answers["pv-want-to-submit-nrm"] == "yes"
    assert not (SUPPORT | DECISION) & set(asked)
    assert {"pv-name-first-name", "pv-dob"} <= set(asked)
    assert set(asked) >= RESPONDER
    assert walk.engine.flow.kind_of(answers) == "nrm"


def test_an_adult_who_consents_and_wants_support_gets_support_and_decision_questions(walk: Walk) -> None:
    asked = walk.through(ROUTES["adult-consent-with-support"])
    assert "pv-under-age-at-time-of-exploitation" in asked
    assert not LOCAL_AUTHORITY & set(asked)
    assert "explain-nrm-before-consent" in asked
    assert walk.engine.question(walk.snapshot, "pv-want-to-submit-nrm").kind == "choice"
    assert {"does-pv-need-support", "pv-phone-number", "who-contact"} <= set(asked)
    assert set(asked) >= RESPONDER
    assert walk.engine.flow.kind_of(walk.snapshot.answers) == "nrm"


def test_an_adult_who_consents_without_support_skips_contact_by_the_support_provider(walk: Walk) -> None:
    asked = walk.through(ROUTES["adult-consent-without-support"])
    assert "does-pv-need-support" in asked
    assert "pv-phone-number" not in asked
    assert "who-contact" in asked


def test_an_adult_who_refuses_but_cooperates_is_a_duty_to_notify_report_with_name_and_contact(walk: Walk) -> None:
    asked = walk.through(ROUTES["adult-refusal-cooperating"])
    assert {"refuse-nrm", "pv-gender", "pv-nationality", "pv-name-first-name", "pv-contact-details"} <= set(asked)
    assert not ({"does-pv-need-support", "pv-dob", "who-contact"} & set(asked))
    assert walk.engine.flow.kind_of(walk.snapshot.answers) == "dtn"


def test_an_adult_who_refuses_and_does_not_cooperate_is_asked_nothing_identifying(walk: Walk) -> None:
    asked = walk.through(ROUTES["adult-refusal-not-cooperating"])
    assert {"refuse-nrm", "pv-gender", "pv-nationality"} <= set(asked)
    assert not IDENTIFYING & set(asked)
    assert not IDENTIFYING & set(walk.engine.submission(walk.snapshot))
    assert walk.engine.flow.kind_of(walk.snapshot.answers) == "dtn"


@pytest.mark.parametrize(
    "route", ["adult-consent-with-support", "adult-refusal-cooperating", "adult-refusal-not-cooperating"]
)
def test_an_adult_is_asked_for_consent_straight_after_the_age_questions(walk: Walk, route: str) -> None:
    asked = walk.through(ROUTES[route])
    start = asked.index("pv-under-age")
    assert asked[start : start + 5] == [
        "pv-under-age",
        "pv-under-age-at-time-of-exploitation",
        "consent",
        "explain-nrm-before-consent",
        "pv-want-to-submit-nrm",
    ]
    assert asked[start - 1] == "pv-age"  # the age questions are one turn, and consent the next


def test_a_duty_to_notify_asks_about_co_operation_before_the_account(walk: Walk) -> None:
    asked = walk.through(ROUTES["adult-refusal-not-cooperating"])
    consent = asked.index("pv-want-to-submit-nrm")
    assert asked[consent + 1 : consent + 4] == ["refuse-nrm", "cooperation", "authorities-cooperation"]
    assert asked.index("authorities-cooperation") < asked.index("how-did-the-exploitation-start")


# What could single out the person an anonymous Duty to Notify report is about. The report asks for
# region instead of town, and keeps the account of the exploitation.
SINGLING_OUT = {
    "birthplace",
    "family",
    "education",
    "employment-history",
    "current-pv-location-uk-city",
    "reported-to-police-crime-reference",
    "authorities-cooperation-details",
    "pv-name-first-name",
    "pv-name-last-name",
    "pv-name-nickname",
    "pv-dob",
    "does-pv-have-children",
    "does-pv-have-children-yes-amount",
    "pv-interpreter-requirements",
    "pv-interpreter-requirements-language",
    "pv-other-help-with-communication",
    "pv-other-help-with-communication-aid",
    "pv-ho-reference",
    "pv-ho-reference-type",
    "does-pv-need-support",
    "pv-phone-number",
    "pv-phone-number-yes",
    "pv-phone-number-alternative",
    "alternative-number-relation-to-pv",
    "no-contact-details",
    "who-contact",
    "pv-contact-details",
    "pv-contact-details-email-input",
    "pv-contact-details-email-check",
    "pv-contact-details-street",
    "pv-contact-details-town",
    "pv-contact-details-county",
    "pv-contact-details-postcode",
    "pv-contact-details-post-check",
    "someone-else",
    "someone-else-first-name",
    "someone-else-last-name",
    "someone-else-email-input",
    "someone-else-street",
    "someone-else-town",
    "someone-else-county",
    "someone-else-postcode",
    "someone-else-permission-check",
}
# Walks that between them reach every branch of the anonymous report.
ANONYMOUS_BRANCHES = [
    {},
    {
        "potential-victim-exploitative-situation-multiple": "no",
        "still-in-exploitative-situation": "no",
        "is-this-the-first-chance-to-report": "not-sure",
        "where-exploitation-happened": "uk-and-overseas",
        "any-other-pvs": "not-sure",
        "types-of-exploitation": ["other"],
    },
    {"is-this-the-first-chance-to-report": "no", "where-exploitation-happened": "overseas"},
]


@pytest.mark.parametrize("branch", ANONYMOUS_BRANCHES)
def test_an_anonymous_duty_to_notify_asks_nothing_that_could_single_the_person_out(
    walk: Walk, branch: dict[str, object]
) -> None:
    asked = walk.through({**ROUTES["adult-refusal-not-cooperating"], **branch})
    assert not SINGLING_OUT & set(asked)
    assert not SINGLING_OUT & set(walk.engine.submission(walk.snapshot))
    assert "current-pv-location-uk-region" in asked  # the region stands in for the town


@pytest.mark.parametrize("branch", ANONYMOUS_BRANCHES)
def test_every_free_text_question_of_an_anonymous_report_says_to_keep_the_person_anonymous(
    walk: Walk, branch: dict[str, object]
) -> None:
    asked = walk.through({**ROUTES["adult-refusal-not-cooperating"], **branch})
    flow = walk.engine.flow
    free_text = [
        qid
        for qid in asked[asked.index("pv-want-to-submit-nrm") :]
        if (question := flow.answerable(qid))
        and question.kind in ("text", "textarea")
        and question.section != "responder"
    ]
    assert len(free_text) > 15
    for qid in free_text:
        hint = walk.engine.question(walk.snapshot, qid).hint or ""
        assert "could identify them" in hint, qid
    # asked before consent, so the same on every route: it must not invite the person's name either
    assert "not the person's name" in (flow.questions["reference"].hint or "")


def test_a_duty_to_notify_with_co_operation_asks_the_home_office_identifying_questions_and_no_more(
    walk: Walk,
) -> None:
    asked = set(walk.through(ROUTES["adult-refusal-cooperating"]))
    home_office = {
        "birthplace",
        "family",
        "education",
        "employment-history",
        "current-pv-location-uk-city",
        "reported-to-police-crime-reference",
        "pv-name-first-name",
        "pv-name-last-name",
        "pv-name-nickname",
        "pv-contact-details",
        "pv-contact-details-email-input",
        "pv-contact-details-email-check",
    }
    assert home_office <= asked
    assert not (SINGLING_OUT - home_office - {"authorities-cooperation-details"}) & asked
    assert walk.engine.question(walk.snapshot, "how-did-the-exploitation-start").hint == (
        walk.engine.flow.questions["how-did-the-exploitation-start"].hint
    )


def _finish(walk: Walk) -> list[str]:
    """Answer what a change makes necessary, keeping each previous answer, until the review: the ids
    asked, a group's fields after it."""
    asked = []
    while walk.snapshot.state != "review":
        question = walk.engine.question(walk.snapshot)
        prompt = as_prompt(question)
        value = answer_for(prompt, {}, walk.engine.previous(walk.snapshot))
        asked += [question.id, *(shown_fields(prompt, value) if question.fields else [])]
        walk.snapshot = walk.engine.answer(walk.snapshot, question.id, value, TODAY)
    return asked


def _change(walk: Walk, field: str, value: object) -> None:
    """Change one answer from the review: its group is asked, with the other answers kept."""
    walk.snapshot = walk.engine.change(walk.snapshot, field)
    prompt = as_prompt(walk.engine.question(walk.snapshot))
    value = answer_for(prompt, {field: value}, walk.engine.previous(walk.snapshot))
    walk.snapshot = walk.engine.answer(walk.snapshot, walk.snapshot.state, value, TODAY)


def test_withdrawing_consent_from_the_review_makes_an_anonymous_report_and_drops_what_identifies(
    walk: Walk,
) -> None:
    account = "Offered a job abroad by an acquaintance."
    walk.through(
        {
            **ROUTES["adult-consent-with-support"],
            "authorities-cooperation": "no",
            "how-did-the-exploitation-start": account,
        }
    )
    assert {"birthplace", "pv-name-first-name", "pv-dob", "who-contact"} <= set(walk.snapshot.answers)
    _change(walk, "pv-want-to-submit-nrm", "no")
    assert walk.snapshot.answers["refuse-nrm"] is not None  # asked with the consent it explains
    asked = _finish(walk)
    # re-asked with the new hint so that the worker checks it for names, with the text kept to edit
    assert "how-did-the-exploitation-start" in asked
    assert walk.snapshot.answers["how-did-the-exploitation-start"] == account
    assert walk.snapshot.answers["authorities-cooperation"] == "no"
    assert not SINGLING_OUT & set(walk.snapshot.answers)
    assert not SINGLING_OUT & set(walk.engine.submission(walk.snapshot))
    assert walk.engine.flow.kind_of(walk.snapshot.answers) == "dtn"


def test_giving_consent_from_the_review_asks_what_a_referral_needs(walk: Walk) -> None:
    walk.through(ROUTES["adult-refusal-not-cooperating"])
    _change(walk, "pv-want-to-submit-nrm", "yes")
    asked = _finish(walk)
    assert {"birthplace", "does-pv-need-support", "pv-name-first-name", "who-contact"} <= set(asked)
    assert "refuse-nrm" not in walk.engine.submission(walk.snapshot)
    assert walk.engine.flow.kind_of(walk.snapshot.answers) == "nrm"


@pytest.mark.parametrize(
    ("where", "uk", "overseas"),
    [("uk", True, False), ("overseas", False, True), ("uk-and-overseas", True, True)],
)
def test_each_location_branch_asks_for_its_places(walk: Walk, where: str, uk: bool, overseas: bool) -> None:
    asked = walk.through({**ROUTES["adult-consent-without-support"], "where-exploitation-happened": where})
    assert ("where-exploitation-happened-uk-city" in asked) is uk
    assert ("where-exploitation-happened-overseas-country" in asked) is overseas
    assert "current-pv-location-uk-city" in asked


@pytest.mark.parametrize(
    ("fixed", "follow_up"),
    [
        ({"potential-victim-exploitative-situation-multiple": "yes"}, "when-did-the-exploitation-take-place-multiple"),
        ({"potential-victim-exploitative-situation-multiple": "no"}, "when-did-the-exploitation-take-place"),
        (
            {"were-they-taken-somewhere-by-their-exploiter": "yes"},
            "were-they-taken-somewhere-by-their-exploiter-journey-details",
        ),
        ({"still-in-exploitative-situation": "yes"}, "what-is-keeping-them-in-situation"),
        ({"still-in-exploitative-situation": "no"}, "how-why-did-they-leave-the-situation"),
        ({"is-this-the-first-chance-to-report": "no"}, "why-report-now"),
        ({"exploiters-location": "yes"}, "are-exploiters-in-the-uk"),
        ({"types-of-exploitation": ["other"]}, "other-exploitation-details"),
        ({"reported-to-police": "yes"}, "reported-to-police-crime-reference"),
        ({"future-exploitation-concerns": "yes"}, "future-exploitation-reasons"),
    ],
)
def test_follow_up_questions_are_asked_only_when_their_answer_calls_for_them(
    walk: Walk, fixed: dict[str, object], follow_up: str
) -> None:
    assert follow_up in walk.through({**ROUTES["adult-consent-without-support"], **fixed})


def test_types_of_exploitation_needs_at_least_one(walk: Walk) -> None:
    walk.through(ROUTES["adult-consent-without-support"])
    snapshot = walk.engine.change(walk.snapshot, "types-of-exploitation")
    with pytest.raises(TurnRejected) as rejected:
        walk.engine.answer(snapshot, "types", {"types-of-exploitation": []}, TODAY)
    assert rejected.value.code == "invalid"
    assert [f.question_id for f in rejected.value.fields] == ["types-of-exploitation"]


def test_the_consent_questions_link_the_consent_card_and_every_linked_card_exists(walk: Walk) -> None:
    flow = walk.engine.flow
    assert flow.questions[flow.step_of("explain-nrm-before-consent")].card == "consent"
    assert flow.questions[flow.step_of("pv-want-to-submit-nrm")].card == "consent"
    cards = yaml.safe_load((FLOWS / "cards" / "victim.yaml").read_text(encoding="utf-8"))["cards"]
    assert {q.card for q in flow.questions.values() if q.card} <= {card["id"] for card in cards}
