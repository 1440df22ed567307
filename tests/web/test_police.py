"""The police liaison's pages: only their own force's reports, summarised by categories alone (no
name, reference or free text, in the page or the export), counts suppressed or rounded, every view
and export audited. Every referral here is synthetic."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from assistant import police
from assistant.extensions import db
from assistant.quarterly import quarter_bounds
from assistant.storage.models import AuditEntry, Referral
from tests import factories
from tests.conftest import LIAISON_FORCE, Staff
from tests.scenarios import ROUTES
from tests.web.chats import complete

# Distinctive synthetic text in every answer and reference: it must never reach the liaison.
SECRET = "Zebralantern Quickfoot 4471"
REFERENCE = "DTN-ZQ4471"


def month_of(quarter: str, step: int, day: int = 10) -> dt.datetime:
    start, _end = quarter_bounds(int(quarter[:4]), int(quarter[-1]))
    return (start + dt.timedelta(days=31 * step + day)).replace(hour=12)


@pytest.fixture
def quarter(app: Flask) -> str:
    """The latest ended quarter, with six Kent reports in its first month, one in Essex and one in Kent
    the quarter after."""
    with app.app_context():
        which = police.chosen_quarter(None)
        assert which is not None
        answers = {"reference": SECRET, "pv-first-name": SECRET, "details-last-contact": SECRET}
        first = month_of(which, 0)
        factories.referral(
            submitted_at=first,
            reference=REFERENCE,
            kind="dtn",
            status="passed-to-police",
            police_force=LIAISON_FORCE,
            answers=answers,
            exploitation=["labour", "sexual"],
            exploitation_place="uk",
            other_victims="yes",
            exploiter_contact="last-month",
        )
        for _ in range(4):  # NRM referrals that name the force
            factories.referral(submitted_at=first, police_force_area=LIAISON_FORCE, answers=answers)
        factories.referral(submitted_at=month_of(which, 1), police_force_area=LIAISON_FORCE, answers=answers)
        factories.referral(submitted_at=first, kind="dtn", police_force="essex", answers=answers)
        factories.referral(submitted_at=dt.datetime.now(dt.UTC), police_force_area=LIAISON_FORCE, answers=answers)
        # A Duty to Notify report that names the force but was not passed to it is not the force's.
        factories.referral(submitted_at=first, kind="dtn", police_force_area=LIAISON_FORCE, answers=answers)
        db.session.commit()
        return which


def test_other_roles_are_refused_and_a_liaison_sees_only_their_force(staff: Staff, quarter: str) -> None:
    for role in ("first-responder", "caseworker", "panel", "analyst", "admin", "translator"):
        client = staff.client(role)
        assert client.get("/police/").status_code == 403, role
        assert client.get(f"/police/{LIAISON_FORCE}/").status_code == 403, role
        assert client.get(f"/police/{LIAISON_FORCE}/export.csv").status_code == 403, role
    liaison = staff.client("police-liaison")
    assert liaison.get("/police/").headers["Location"].endswith(f"/police/{LIAISON_FORCE}/")
    assert liaison.get(f"/police/{LIAISON_FORCE}/").status_code == 200
    for other in ("essex", "no-such-force"):
        assert liaison.get(f"/police/{other}/").status_code == 404
        assert liaison.get(f"/police/{other}/export.csv").status_code == 404


def test_the_page_counts_by_type_and_month_and_summarises_each_report(app: Flask, staff: Staff, quarter: str) -> None:
    html = staff.client("police-liaison").get(f"/police/{LIAISON_FORCE}/").get_data(as_text=True)
    with app.app_context():
        months = police.report(LIAISON_FORCE, quarter).months
    first, second = months[0].isoformat(), months[1].isoformat()
    shown = {
        key: html.split(f'data-key="{key}">', 1)[1].split("</td>", 1)[0]
        for key in (f"labour:{first}", f"labour:{second}", "labour:quarter", f"sexual:{first}", "total:quarter")
    }
    # Five of labour in July and one in August: August is fewer than 5, so July is withheld too, or
    # the quarter's total would give August away.
    assert shown == {
        f"labour:{first}": "<em>withheld</em>",
        f"labour:{second}": "<em>fewer than 5</em>",
        "labour:quarter": "6",
        f"sexual:{first}": "<em>fewer than 5</em>",
        "total:quarter": "6",
    }
    assert html.count('class="report-summary"') == 6
    assert "Labour, Sexual" in html
    assert "<dd>In the last month</dd>" in html  # the Duty to Notify report's last contact
    assert html.count("<dd>Not recorded</dd>") == 5 * 3  # the NRM referrals record neither, nor place
    assert "Duty to Notify report" in html


def test_no_name_reference_or_free_text_reaches_the_page_or_the_export(staff: Staff, quarter: str) -> None:
    liaison = staff.client("police-liaison")
    page = liaison.get(f"/police/{LIAISON_FORCE}/?quarter={quarter}").get_data(as_text=True)
    export = liaison.get(f"/police/{LIAISON_FORCE}/export.csv?quarter={quarter}").get_data(as_text=True)
    for shown in (page, export):
        assert "Zebralantern" not in shown
        assert "Quickfoot" not in shown
        assert "4471" not in shown
        assert "NRM-TEST" not in shown
        assert "DTN-" not in shown


def test_the_export_rounds_counts_to_five_and_lists_each_summary(staff: Staff, quarter: str) -> None:
    response = staff.client("police-liaison").get(f"/police/{LIAISON_FORCE}/export.csv?quarter={quarter}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    counts = {row[0]: row[1:] for row in rows[2:9]}
    assert counts["Labour"] == ["withheld", "fewer than 5", "0", "5"]  # six in the quarter, rounded to 5
    assert counts["Sexual"] == ["fewer than 5", "0", "0", "fewer than 5"]
    assert counts["All reports"] == ["withheld", "fewer than 5", "0", "5"]
    summaries = rows[rows.index([]) + 2 :]
    assert len(summaries) == 6
    assert all(row[4] == "Kent Police" for row in summaries)
    assert ["Yes", "In the last month"] in [row[5:] for row in summaries]


def test_only_ended_quarters_are_offered(staff: Staff, quarter: str) -> None:
    liaison = staff.client("police-liaison")
    year = int(quarter[:4]) + 1
    for asked in (f"{year}Q4", "2026-Q3", "last"):
        response = liaison.get(f"/police/{LIAISON_FORCE}/?quarter={asked}")
        assert response.status_code == 400
        assert "Choose one of the quarters offered." in response.get_data(as_text=True)
    assert liaison.get(f"/police/{LIAISON_FORCE}/export.csv?quarter={year}Q4").status_code == 400


def test_every_view_and_export_is_audited_and_labelled(app: Flask, staff: Staff, quarter: str) -> None:
    liaison = staff.client("police-liaison")
    liaison.get(f"/police/{LIAISON_FORCE}/")
    liaison.get(f"/police/{LIAISON_FORCE}/export.csv")
    liaison.get("/police/essex/")  # refused: nothing of Essex is shown, so nothing is recorded
    with app.app_context():
        entries = db.session.execute(
            select(AuditEntry.action, AuditEntry.target, AuditEntry.actor_role).where(
                AuditEntry.action.like("police-%")
            )
        ).all()
    target = f"police:{LIAISON_FORCE}:{quarter}"
    assert sorted(entries) == [("police-export", target, "police-liaison"), ("police-view", target, "police-liaison")]
    trail = staff.client("admin").get("/admin/audit").get_data(as_text=True)
    assert "Viewed a police force&#39;s report summaries" in trail
    assert "Exported a police force&#39;s report summaries" in trail


def test_a_liaison_without_a_force_is_told_to_ask_an_administrator(app: Flask, staff: Staff) -> None:
    liaison = staff.client("police-liaison")
    with app.app_context():
        user = db.session.get(factories.User, liaison.user.id)  # type: ignore[attr-defined]
        user.police_force_area = None
        db.session.commit()
    html = liaison.get("/police/").get_data(as_text=True)
    assert "no police force area yet" in html
    assert liaison.get(f"/police/{LIAISON_FORCE}/").status_code == 404


def test_flask_users_create_gives_a_liaison_their_force(app: Flask) -> None:
    runner = app.test_cli_runner()
    base = ["users", "create", "--name", "Synthetic Liaison", "--role", "police-liaison"]
    base += ["--organisation", "police-kent", "--password", "correct horse battery staple"]
    missing = runner.invoke(args=[*base, "--email", "a@example.org"])
    assert missing.exit_code != 0
    assert "needs --force" in missing.output
    unknown = runner.invoke(args=[*base, "--email", "b@example.org", "--force", "atlantis"])
    assert unknown.exit_code != 0
    assert "no police force 'atlantis'" in unknown.output
    made = runner.invoke(args=[*base, "--email", "c@example.org", "--force", "kent"])
    assert made.exit_code == 0, made.output
    not_liaison = runner.invoke(args=[*base[:5], "analyst", *base[6:], "--email", "d@example.org", "--force", "kent"])
    assert not_liaison.exit_code != 0
    assert "only a police liaison's account holds a force" in not_liaison.output
    with app.app_context():
        emails = db.session.scalars(select(factories.User.email).where(factories.User.email.like("_@example.org")))
        assert list(emails) == ["c@example.org"]  # a refused force leaves no account behind
        user = db.session.scalars(select(factories.User).where(factories.User.email == "c@example.org")).one()
        assert (user.role, user.police_force_area) == ("police-liaison", "kent")


def test_a_submitted_referral_is_filed_under_both_summary_categories(
    app: Flask, new_chat: Any, list_values: dict[str, str]
) -> None:
    chat = new_chat()
    chat.start()
    complete(chat, {**ROUTES["child"], "any-other-pvs": "no", "when-last-contact": "over-a-year-ago"}, list_values)
    reference = chat.send("submit")["submitted"]["reference"]
    with app.app_context():
        found = db.session.execute(
            select(Referral.other_victims, Referral.exploiter_contact).where(Referral.reference == reference)
        ).one()
    assert tuple(found) == ("no", "over-a-year")
