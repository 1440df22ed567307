"""The category columns a new referral is filed under, from its answers and its organisation."""

from __future__ import annotations

from flask import Flask, current_app

from assistant.casework import categories
from assistant.extensions import db
from tests import factories


def nrm():  # type: ignore[no-untyped-def]
    return current_app.extensions["flows"].current("nrm").flow


def test_every_statistics_category_is_filed_from_the_answers_and_the_organisation(app: Flask) -> None:
    answers = {
        "pv-under-age": "no",
        "pv-under-age-at-time-of-exploitation": "yes",
        "pv-gender": "unknown",
        "pv-nationality": "AL",
        "where-exploitation-happened": "uk-and-overseas",
        "types-of-exploitation": ["forced-to-work", "prostitution"],
        "fr-location": "wales",
        "reported-to-police-police-forces": "dyfed-powys",
        "any-other-pvs": "not-sure",
        "when-last-contact": "within-the-last-3-month",
    }
    with app.app_context():
        police = factories.organisation("police-dyfed-powys", "police")
        db.session.flush()
        filed = categories.filed_under(nrm(), answers, police.id)
    assert filed == {
        "age_group": "adult",
        "age_at_exploitation": "child",  # exploited while still a child
        "jurisdiction": "wales",
        "exploitation": ["labour", "sexual"],
        "gender": "other",  # the Home Office counts "neither male nor female" as other
        "nationality": "AL",
        "exploitation_place": "uk-and-overseas",
        "organisation_type": "police",
        "police_force_area": "dyfed-powys",
        "other_victims": "not-sure",
        "exploiter_contact": "last-year",  # within the last 3 months, in the summaries' coarser band
    }


def test_unanswered_or_unknown_answers_are_not_recorded(app: Flask) -> None:
    with app.app_context():
        unit = factories.organisation("single-competent-authority", "unit")
        db.session.flush()
        filed = categories.filed_under(nrm(), {"pv-under-age": "yes", "pv-nationality": "atlantis"}, unit.id)
    assert filed["age_at_exploitation"] == "child"  # a child now was a child then
    assert filed["nationality"] is None  # not on the list
    assert (filed["gender"], filed["exploitation_place"], filed["organisation_type"]) == (None, None, None)
    assert filed["police_force_area"] is None
    assert (filed["other_victims"], filed["exploiter_contact"]) == (None, None)


def test_the_organisation_type_is_that_of_the_organisation_the_referral_names(app: Flask) -> None:
    """Not the account's: a worker may refer for the organisation they name. Without one named, the account's."""
    with app.app_context():
        charity = factories.organisation("salvation-army", "ngo")
        db.session.flush()
        named = categories.filed_under(nrm(), {"user-organisation": "police-scotland"}, charity.id)
        unnamed = categories.filed_under(nrm(), {}, charity.id)
    assert (named["organisation_type"], unnamed["organisation_type"]) == ("police", "ngo")
