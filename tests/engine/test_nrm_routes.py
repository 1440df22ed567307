"""Every route through the NRM flow, on the engine alone."""

from __future__ import annotations

import pytest

from assistant.engine import TurnRejected
from tests.engine.conftest import TODAY, Walk
from tests.scenarios import ROUTES

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
        walk.engine.answer(snapshot, "types-of-exploitation", [], TODAY)
    assert rejected.value.code == "invalid"
