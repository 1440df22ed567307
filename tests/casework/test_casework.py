"""The single expert unit's queue and decisions, and the independent panel, through their pages.

Referrals are completed through the chat (synthetic answers), then worked on by signed-in staff."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assistant.casework import decisions, queue
from assistant.casework.lifecycle import NotAllowed
from assistant.extensions import db
from assistant.storage.models import AuditEntry, Referral, ReferralEvent, User
from tests.conftest import Staff, csrf
from tests.scenarios import ROUTES
from tests.web.chats import complete

ADULT = {
    **ROUTES["adult-consent-without-support"],
    "fr-location": "england",
    "types-of-exploitation": ["forced-to-work"],
}
CHILD = {**ROUTES["child"], "fr-location": "wales", "types-of-exploitation": ["prostitution", "unpaid-household-work"]}
DTN = {
    **ROUTES["adult-refusal-not-cooperating"],
    "fr-location": "scotland",
    "reported-to-police": "yes",
    "reported-to-police-police-forces": "scotland",
    "types-of-exploitation": ["forced-to-commit-crime"],
}


@pytest.fixture
def submit(app: Flask, new_chat: Any, list_values: dict[str, str]) -> Any:
    """``submit(answers, days_ago=0)``: a referral completed through the chat; returns its reference."""

    def make(fixed: dict[str, Any], days_ago: int = 0) -> str:
        chat = new_chat()
        chat.start()
        complete(chat, fixed, list_values)
        reference = chat.send("submit")["submitted"]["reference"]
        if days_ago:
            update(app, reference, submitted_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago))
        return reference

    return make


@pytest.fixture
def caseworker(staff: Staff) -> FlaskClient:
    return staff.client("caseworker")


def update(app: Flask, reference: str, **values: Any) -> None:
    with app.app_context():
        referral = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        for name, value in values.items():
            setattr(referral, name, value)
        db.session.commit()


def load(app: Flask, reference: str) -> Referral:
    with app.app_context():
        referral = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        db.session.expunge(referral)
        return referral


def post(client: FlaskClient, url: str, page: str = "/casework/", **data: Any) -> Any:
    return client.post(url, data={"csrf_token": csrf(client.get(page).text), **data})


def references(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([A-Z]{3}-[A-Z0-9-]+)</a></th>', page)


def listed(app: Flask, **filters: Any) -> list[str]:
    with app.test_request_context():
        return [item.referral.reference for item in queue.listing(queue.Filters(**filters))]


def text_of(response: Any) -> str:
    return html.unescape(response.text)


def test_caseworkers_and_panel_members_land_on_their_queues(staff: Staff, app: Flask) -> None:
    from tests.conftest import sign_in

    for role, home in (("caseworker", "/casework/"), ("panel", "/panel/")):
        client = app.test_client()
        assert sign_in(client, staff.user(role).email).location == home


def test_the_queue_lists_workable_referrals_oldest_first(app: Flask, submit: Any, caseworker: FlaskClient) -> None:
    child = submit(CHILD, days_ago=2)
    adult = submit(ADULT, days_ago=30)
    dtn = submit(DTN)
    page = caseworker.get("/casework/")
    assert page.status_code == 200
    assert references(page.text) == [adult, child, dtn]
    body = text_of(page)
    for label in (
        "Child",
        "Adult",
        "Wales",
        "Scotland",
        "Sexual, Domestic servitude",
        "Criminal",
        "Labour",
        "Duty to Notify report",
        "Not claimed",
        "Awaiting Reasonable Grounds decision",
    ):
        assert label in body
    assert body.count('class="tag late"') == 1  # the adult's: 30 days ago is past the target
    assert "<caption>3 referrals to work on</caption>" in body


def test_each_filter_of_the_queue(app: Flask, submit: Any, caseworker: FlaskClient) -> None:
    adult, child, dtn = submit(ADULT, days_ago=30), submit(CHILD), submit(DTN)
    assert listed(app, kind="dtn") == [dtn]
    assert listed(app, kind="nrm") == [adult, child]
    assert listed(app, age_group="child") == [child]
    assert listed(app, age_group="adult") == [adult, dtn]
    assert listed(app, jurisdiction="wales") == [child]
    assert listed(app, exploitation="domestic") == [child]
    assert listed(app, exploitation="labour") == [adult]
    assert listed(app, exploitation="organ-harvesting") == []
    assert listed(app, waiting="overdue") == [adult]
    assert listed(app, kind="nrm", age_group="child", jurisdiction="wales", exploitation="sexual") == [child]
    # and through the page, with the chosen filter kept selected
    page = caseworker.get("/casework/?exploitation=criminal&age_group=nonsense")
    assert references(page.text) == [dtn]
    assert '<option value="criminal" selected>' in page.text


def test_due_soon_is_due_today_or_the_next_working_day(app: Flask, submit: Any) -> None:
    with app.app_context():
        target = app.config["RG_TARGET_WORKING_DAYS"]
    today = queue.local_date(dt.datetime.now(dt.UTC))
    by_days: dict[int, str] = {}
    for days in (0, target - 2, target - 1, target, target + 1):
        day = today
        while queue.working_days_between(day, today) < days or not queue.is_working_day(day):
            day -= dt.timedelta(days=1)
        if queue.working_days_between(day, today) != days or days in by_days:
            continue
        reference = submit(ADULT)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=queue.LONDON).astimezone(dt.UTC)
        update(app, reference, submitted_at=noon)
        by_days[days] = reference
    assert set(by_days) == {0, target - 2, target - 1, target, target + 1}
    assert listed(app, waiting="due-soon") == [by_days[target], by_days[target - 1]]
    assert listed(app, waiting="overdue") == [by_days[target + 1]]
    with app.test_request_context():
        [item] = [i for i in queue.listing(queue.Filters()) if i.referral.reference == by_days[target + 1]]
        assert (item.days_waiting, item.overdue) == (target + 1, True)


def test_claiming_and_releasing(app: Flask, submit: Any, staff: Staff, caseworker: FlaskClient) -> None:
    reference = submit(ADULT)
    url = f"/casework/referrals/{reference}"
    page = caseworker.get(url)
    assert "Nobody has claimed this referral." in page.text
    assert post(caseworker, f"{url}/claim").location == url
    assert "You have claimed this referral." in caseworker.get(url).text

    other = staff.client("caseworker")
    refused = post(other, f"{url}/claim")
    assert refused.status_code == 400
    assert "Another caseworker has claimed this referral." in text_of(refused)
    assert f"Claimed by {caseworker.user.name}." in other.get(url).text
    assert post(other, f"{url}/release").status_code == 400
    assert caseworker.user.name in other.get("/casework/").text
    assert references(caseworker.get("/casework/").text) == [reference, reference]  # mine, and in the queue

    released = post(caseworker, f"{url}/release")
    assert released.location == "/casework/"
    assert "it is back in the queue" in text_of(caseworker.get("/casework/"))
    assert load(app, reference).claimed_by_id is None


def test_claim_next_takes_the_oldest_matching_referral(app: Flask, submit: Any, caseworker: FlaskClient) -> None:
    old, new, dtn = submit(ADULT, days_ago=3), submit(ADULT), submit(DTN, days_ago=5)
    assert post(caseworker, "/casework/claim-next", kind="nrm").location == f"/casework/referrals/{old}"
    assert post(caseworker, "/casework/claim-next", kind="nrm").location == f"/casework/referrals/{new}"
    none_left = post(caseworker, "/casework/claim-next", kind="nrm")
    assert none_left.location == "/casework/?kind=nrm"
    assert "There are no referrals to claim that match these filters." in caseworker.get(none_left.location).text
    assert post(caseworker, "/casework/claim-next").location == f"/casework/referrals/{dtn}"
    mine = caseworker.get("/casework/").text
    assert "My claimed referrals" in mine
    assert {load(app, r).claimed_by_id for r in (old, new, dtn)} == {caseworker.user.id}


def test_a_decision_needs_a_choice_and_reasons(app: Flask, submit: Any, caseworker: FlaskClient) -> None:
    reference = submit(ADULT)
    url = f"/casework/referrals/{reference}"
    assert post(caseworker, f"{url}/decide", action="rg-positive", reasons="Too early").status_code == 400
    post(caseworker, f"{url}/claim")

    no_reasons = post(caseworker, f"{url}/decide", page=url, action="rg-positive", reasons="  ")
    assert no_reasons.status_code == 400
    assert '<a href="#reasons">Enter the reasons.</a>' in no_reasons.text
    assert 'value="rg-positive" id="action" checked' in no_reasons.text
    no_choice = post(caseworker, f"{url}/decide", page=url, reasons="Typed before choosing")
    assert no_choice.status_code == 400
    assert '<a href="#action">Choose a decision.</a>' in no_choice.text
    assert ">Typed before choosing</textarea>" in no_choice.text
    assert load(app, reference).status == "awaiting-rg"

    done = post(caseworker, f"{url}/decide", page=url, action="rg-positive", reasons="Credible synthetic account.")
    assert done.location == url
    referral = load(app, reference)
    assert (referral.status, referral.claimed_by_id) == ("rg-positive", None)
    assert referral.recovery_ends_at is not None
    page = text_of(caseworker.get(url))
    assert "Recorded: Positive Reasonable Grounds decision." in page
    assert "Credible synthetic account." in page  # in the timeline
    assert references(caseworker.get("/casework/").text) == []  # in its recovery period


def test_the_referral_page_shows_every_answer_by_section(
    app: Flask, submit: Any, caseworker: FlaskClient, list_values: dict[str, str]
) -> None:
    reference = submit(CHILD)
    page = text_of(caseworker.get(f"/casework/referrals/{reference}"))
    assert "In which part of the UK are you working on this case?" in page
    assert "What kinds of exploitation did they go through?" in page
    assert '<h3 class="section-title">About this report</h3>' in page
    named = app.extensions["lookups"].label("organisations", list_values["organisations"], "en")
    assert summary_row(page, "First responder organisation") == named  # as the referral names it
    assert caseworker.get("/casework/referrals/NRM-0000-0000").status_code == 404


def summary_row(page: str, term: str) -> str:
    """The value of one row of the referral's summary (its first list), as text."""
    summary = page.split('<dl class="summary-list">', 1)[1].split("</dl>", 1)[0]
    found = re.search(rf"<dt>{re.escape(term)}</dt>\s*<dd>(.*?)</dd>", summary, re.S)
    assert found, f"no {term!r} in the summary"
    return re.sub(r"\s+", " ", found.group(1)).strip()


def test_the_summary_names_the_organisation_the_referral_names(
    app: Flask, submit: Any, caseworker: FlaskClient
) -> None:
    """A worker of one organisation's account may refer for the organisation they name (here, another's):
    the caseworker reads, and the statistics count, the organisation the referral names."""
    reference = submit({**ADULT, "user-organisation": "police-scotland"})  # from a Salvation Army account
    page = text_of(caseworker.get(f"/casework/referrals/{reference}"))
    assert summary_row(page, "First responder organisation") == "Police Scotland"
    assert load(app, reference).organisation_type == "police"  # not the account's (an NGO)


def test_cg_decision_only_after_the_recovery_period(app: Flask, submit: Any, caseworker: FlaskClient) -> None:
    reference = submit(ADULT)
    url = f"/casework/referrals/{reference}"
    post(caseworker, f"{url}/claim")
    post(caseworker, f"{url}/decide", page=url, action="rg-positive", reasons="Synthetic reasons.")
    post(caseworker, f"{url}/claim")
    page = text_of(caseworker.get(url))
    assert "The recovery period ends on" in page
    assert 'name="action"' not in page
    early = post(caseworker, f"{url}/decide", page=url, action="cg-positive", reasons="Synthetic reasons.")
    assert early.status_code == 400
    assert "once the recovery period is over, on" in text_of(early)

    update(app, reference, recovery_ends_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    assert reference in references(caseworker.get("/casework/").text)
    assert 'value="cg-positive"' in caseworker.get(url).text
    done = post(caseworker, f"{url}/decide", page=url, action="cg-positive", reasons="Synthetic conclusive reasons.")
    assert done.location == url
    assert load(app, reference).status == "cg-positive"


def test_a_duty_to_notify_report_is_passed_to_a_police_force(app: Flask, submit: Any, caseworker: FlaskClient) -> None:
    reference = submit(DTN)
    url = f"/casework/referrals/{reference}"
    post(caseworker, f"{url}/claim")
    page = caseworker.get(url).text
    assert '<option value="scotland" selected>' in page  # the force that gave a crime reference
    missing = post(caseworker, f"{url}/decide", page=url, action="pass-to-police", police_force="")
    assert missing.status_code == 400
    assert '<a href="#police-force">' in missing.text
    done = post(caseworker, f"{url}/decide", page=url, action="pass-to-police", police_force="cheshire")
    assert done.location == url
    referral = load(app, reference)
    assert (referral.status, referral.police_force) == ("passed-to-police", "cheshire")
    assert "Cheshire Constabulary" in caseworker.get(url).text
    with app.app_context():
        event = db.session.scalars(select(ReferralEvent).where(ReferralEvent.action == "pass-to-police")).one()
        assert event.detail == {"police_force": "cheshire"}


def propose_negative(caseworker: FlaskClient, reference: str, reasons: str = "Synthetic negative reasons.") -> None:
    url = f"/casework/referrals/{reference}"
    post(caseworker, f"{url}/claim")
    assert post(caseworker, f"{url}/decide", page=url, action="rg-negative", reasons=reasons).status_code == 302


def test_the_panel_sends_back_and_upholds(app: Flask, submit: Any, staff: Staff, caseworker: FlaskClient) -> None:
    reference = submit(ADULT)
    propose_negative(caseworker, reference, "First synthetic proposal.")
    assert load(app, reference).status == "rg-negative-proposed"
    assert references(caseworker.get("/casework/").text) == []

    panel = staff.client("panel")
    queue_page = panel.get("/panel/")
    assert references(queue_page.text) == [reference]
    url = f"/panel/referrals/{reference}"
    page = text_of(panel.get(url))
    assert "Negative Reasonable Grounds decision proposed" in page
    assert "First synthetic proposal." in page
    assert "In which part of the UK are you working on this case?" in page

    no_reasons = post(panel, f"{url}/review", page=url, action="send-back", reasons="")
    assert no_reasons.status_code == 400
    assert '<a href="#reasons">' in no_reasons.text
    sent_back = post(panel, f"{url}/review", page=url, action="send-back", reasons="Synthetic: look again.")
    assert sent_back.location == "/panel/"
    assert load(app, reference).status == "awaiting-rg"
    assert panel.get(url).status_code == 404  # no longer with the panel
    assert references(panel.get("/panel/").text) == []

    propose_negative(caseworker, reference, "Second synthetic proposal.")
    upheld = post(panel, f"{url}/review", page=url, action="uphold", reasons="Synthetic: agreed.")
    assert upheld.location == "/panel/"
    referral = load(app, reference)
    assert (referral.status, referral.proposed_by_id) == ("rg-negative", None)
    late = post(panel, f"{url}/review", page="/panel/", action="uphold", reasons="Again.")
    assert late.location == "/panel/"


def test_the_proposer_cannot_review_their_own_decision(
    app: Flask, submit: Any, staff: Staff, caseworker: FlaskClient
) -> None:
    reference = submit(ADULT)
    propose_negative(caseworker, reference)
    panel = staff.client("panel")
    with app.test_request_context():
        referral = decisions.get_for_update(reference)
        member = db.session.get(User, panel.user.id)
        referral.proposed_by_id = member.id  # as if the panel member had proposed it
        with pytest.raises(NotAllowed) as refused:
            decisions.take(referral, member, "uphold", "Synthetic reasons.")
        assert refused.value.code == "not_independent"
        db.session.commit()
    url = f"/panel/referrals/{reference}"
    assert "another panel member must review it" in panel.get(url).text
    attempt = post(panel, f"{url}/review", page=url, action="uphold", reasons="Synthetic reasons.")
    assert attempt.status_code == 400
    assert "another panel member must review it" in attempt.text
    assert load(app, reference).status == "rg-negative-proposed"


def test_the_timeline_and_the_audit_trail(app: Flask, submit: Any, staff: Staff, caseworker: FlaskClient) -> None:
    reference = submit(ADULT)
    url = f"/casework/referrals/{reference}"
    caseworker.get(url)
    post(caseworker, f"{url}/claim")
    post(caseworker, f"{url}/decide", page=url, reasons="No choice made")
    post(caseworker, f"{url}/decide", page=url, action="rg-negative", reasons="")
    post(caseworker, f"{url}/decide", page=url, action="rg-negative", reasons="Synthetic reasons.")
    panel = staff.client("panel")
    post(
        panel,
        f"/panel/referrals/{reference}/review",
        page=f"/panel/referrals/{reference}",
        action="uphold",
        reasons="Synthetic review.",
    )
    with app.app_context():
        referral = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        events = db.session.scalars(
            select(ReferralEvent).where(ReferralEvent.referral_id == referral.id).order_by(ReferralEvent.id)
        ).all()
        assert [(e.action, e.status) for e in events] == [
            ("submitted", "awaiting-rg"),
            ("claimed", "awaiting-rg"),
            ("rg-negative", "rg-negative-proposed"),
            ("uphold", "rg-negative"),
        ]
        assert events[2].detail == {"reasons": "Synthetic reasons."}
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.target == reference).order_by(AuditEntry.id)
        ).all()
        trail = [(e.action, e.actor_role, e.outcome) for e in entries]
    assert ("view", "caseworker", "ok") in trail
    assert ("claim", "caseworker", "ok") in trail
    assert ("rg-negative", "caseworker", "ok") in trail
    assert ("view", "panel", "ok") in trail  # the page the panel member reviewed from
    assert ("uphold", "panel", "ok") in trail
    # a refused step is recorded too: the one without reasons (the one without a choice names no action)
    assert [entry for entry in trail if entry[2] == "refused"] == [("rg-negative", "caseworker", "refused")]


def test_each_role_sees_only_its_own_pages(app: Flask, submit: Any, staff: Staff, caseworker: FlaskClient) -> None:
    reference = submit(ADULT)
    responder, panel = staff.client("first-responder"), staff.client("panel")
    for url in ("/casework/", f"/casework/referrals/{reference}"):
        assert responder.get(url).status_code == 403
        assert panel.get(url).status_code == 403
    assert caseworker.get("/panel/").status_code == 403
    assert panel.get(f"/panel/referrals/{reference}").status_code == 404  # not with the panel
    assert app.test_client().get("/casework/").status_code == 302  # sign in first
    assert post(responder, f"/casework/referrals/{reference}/claim", page="/referrals/").status_code == 403
