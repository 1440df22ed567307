"""The analysts' statistics: the quarterly tables from the columns kept in the clear, never the answers,
with small numbers suppressed, cuts only over ended quarters; the exports are rounded and audited.
Every referral here is synthetic."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from assistant import quarterly_cache
from assistant.extensions import db
from assistant.storage import crypto
from assistant.storage.models import AuditEntry, Referral
from assistant.web.statistics import SMALL, WITHHELD, Cell, suppress
from tests import factories
from tests.conftest import Chat, Staff, sign_in
from tests.scenarios import ROUTES
from tests.web.chats import complete

# Five NRM referrals of children: three in England (labour), two in Wales (labour and sexual).
ENGLAND = {**ROUTES["child"], "fr-location": "england", "types-of-exploitation": ["forced-to-work"]}
WALES = {**ROUTES["child"], "fr-location": "wales", "types-of-exploitation": ["forced-to-work", "prostitution"]}
DUTY_TO_NOTIFY = ROUTES["adult-refusal-not-cooperating"]


def submit(new_chat: Any, list_values: dict[str, str], fixed: dict[str, Any], times: int = 1) -> None:
    chat: Chat = new_chat()
    for _ in range(times):
        chat.start()
        complete(chat, fixed, list_values)
        assert chat.send("submit")["submitted"]["reference"]


def table(html: str, key: str) -> dict[str, str]:
    """A statistics table as {category key: what the page shows}."""
    found = re.search(rf'<table class="table" id="table-{key}".*?</table>', html, re.S)
    assert found, f"no table {key}"
    return {
        k: re.sub(r"</?em>", "", v) for k, v in re.findall(r'<td data-key="([^"]+)"[^>]*>(.*?)</td>', found.group(0))
    }


def total(html: str) -> str:
    return re.search(r'<p class="page-title" id="total">([^<]*)</p>', html).group(1)


@pytest.fixture
def analyst(staff: Staff) -> FlaskClient:
    return staff.client("analyst")


def back_to(when: dt.datetime) -> None:
    """Move every referral submitted so far to ``when``: a quarter that has ended."""
    db.session.execute(update(Referral).where(Referral.submitted_at > when).values(submitted_at=when))
    quarterly_cache.forget()  # rewriting an ended quarter, which nothing but a test does: count it again
    db.session.commit()


FEBRUARY = dt.datetime(2025, 2, 10, 9, tzinfo=dt.UTC)


def test_counts_by_category_with_small_numbers_suppressed(
    app: Flask, new_chat: Any, list_values: dict[str, str], analyst: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(new_chat, list_values, ENGLAND, times=3)
    submit(new_chat, list_values, WALES, times=2)
    with app.app_context():
        back_to(FEBRUARY)

    def never(*_args: Any) -> bytes:
        raise AssertionError("the statistics must not decrypt anything")

    with monkeypatch.context() as patched:
        patched.setattr(crypto.keyring, "decrypt", never)
        page = analyst.get("/statistics/")
    assert page.status_code == 200
    html = page.text
    assert "a count from 1 to 4 shows as “fewer than 5”" in html
    assert total(html) == "5"
    assert table(html, "quarter_kind") == {"2025-Q1:nrm": "5", "2025-Q1:dtn": "0", "2025-Q1:total": "5"}
    assert "January to March 2025" in html
    assert table(html, "age_at_exploitation") == {"adult": "0", "child": "5", "unknown": "0"}
    # two small counts that add up to 5 could be 1 and 4, 2 and 3...: nothing more is withheld
    assert table(html, "nation") == {
        "england": "fewer than 5",
        "wales": "fewer than 5",
        "scotland": "0",
        "northern-ireland": "0",
        "not-recorded": "0",
    }
    assert table(html, "exploitation") == {
        "labour": "5",
        "sexual": "fewer than 5",
        "criminal": "0",
        "domestic": "0",
        "organ-harvesting": "0",
        "unknown": "0",
    }
    assert table(html, "exploitation_combination") == {"labour": "fewer than 5", "labour+sexual": "fewer than 5"}
    assert (
        '<caption id="caption-exploitation">By type of exploitation (a referral may count under several)</caption>'
        in html
    )
    assert "Labour &amp; Sexual" in html

    submit(new_chat, list_values, DUTY_TO_NOTIFY)
    with app.app_context():
        back_to(FEBRUARY)
    html = analyst.get("/statistics/").text
    assert total(html) == "6"
    # one Duty to Notify report: the 5 NRM referrals would give it away (6 - 5), so they are withheld too
    assert table(html, "quarter_kind") == {
        "2025-Q1:nrm": "withheld",
        "2025-Q1:dtn": "fewer than 5",
        "2025-Q1:total": "6",
    }
    assert table(html, "age_at_exploitation") == {"adult": "0", "child": "6", "unknown": "0"}  # exploited as a child


def test_referrals_of_the_current_quarter_are_counted_nationally_only(
    app: Flask, new_chat: Any, list_values: dict[str, str], analyst: FlaskClient
) -> None:
    submit(new_chat, list_values, ENGLAND, times=2)
    html = analyst.get("/statistics/").text
    assert total(html) == "fewer than 5"
    now = dt.datetime.now(dt.UTC)
    assert table(html, "quarter_kind")[f"{now.year}-Q{(now.month - 1) // 3 + 1}:nrm"] == "fewer than 5"
    assert table(html, "nation")["england"] == "0"  # the quarter has not ended
    # the quarter in progress is said to be so, and left off the chart's trend line
    row = re.search(r"<tr data-partial>\s*<th scope=\"row\">([^<]*)</th>", html)
    assert row, "the current quarter is not marked as in progress"
    assert row.group(1).endswith("(so far)")
    with app.app_context():
        back_to(FEBRUARY)
    in_range = analyst.get("/statistics/?from=2025-01-01&to=2025-03-31").text
    assert table(in_range, "nation")["england"] == "fewer than 5"
    empty = analyst.get("/statistics/?to=2024-12-31").text
    assert total(empty) == "0"
    assert "No referrals were submitted in this period." in empty


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=31/01/2024", "from", "Enter the day, month and year, for example 31 3 2025."),
        ("from=2024-03-02&to=2024-03-01", "to", "The end date must be the same as or after the start date."),
        ("to=9999-12-31", "to", "Enter a year from 1900 to 9000."),
    ],
)
def test_a_wrong_date_is_explained(analyst: FlaskClient, query: str, field: str, message: str) -> None:
    for url in ("/statistics/", "/statistics/export.csv", "/statistics/export.xlsx"):
        response = analyst.get(f"{url}?{query}")
        assert response.status_code == 400
        assert f'href="#{field}"' in response.text
        assert message in response.text


def test_the_exports_round_to_5_keep_suppression_and_are_audited(
    app: Flask, new_chat: Any, list_values: dict[str, str], analyst: FlaskClient
) -> None:
    submit(new_chat, list_values, ENGLAND, times=3)
    submit(new_chat, list_values, WALES, times=4)
    with app.app_context():
        back_to(FEBRUARY)
    response = analyst.get("/statistics/export.csv?from=2020-01-01&to=")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="nrm-statistics-2020-01-01.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Table", "Caption", "Quarter", "NRM referral", "Duty to Notify report", "All referrals"]
    national = "Referrals by quarter and type of referral"
    assert ["quarter_kind", national, "January to March 2025", "5", "0", "5"] in rows  # 7 rounds to 5
    assert ["exploitation", "By type of exploitation (a referral may count under several)", "Labour", "5"] in rows
    assert ["nation", "By nation of the referring first responder", "Wales", "fewer than 5"] in rows
    counts = [row[3] for row in rows if len(row) == 4 and row[0] in ("nation", "gender", "exploitation")]
    assert counts
    assert not [count for count in counts if count not in ("0", "5", "10", "fewer than 5", "withheld")]
    workbook = analyst.get("/statistics/export.xlsx?from=2020-01-01")
    assert workbook.headers["Content-Disposition"] == 'attachment; filename="nrm-statistics-2020-01-01.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(workbook.data))
    assert book.sheetnames[:3] == ["quarter_kind", "age_at_exploitation", "gender"]
    sheet = book["quarter_kind"]
    assert sheet["A1"].value == national
    assert [c.value for c in sheet[4]] == ["January to March 2025", 5, 0, 5]
    with app.app_context():
        targets = db.session.scalars(select(AuditEntry.target).where(AuditEntry.action == "export")).all()
        assert targets == ["statistics:2020-01-01..", "statistics:2020-01-01.."]
    # the page itself is not audited
    analyst.get("/statistics/")
    with app.app_context():
        by_analyst = select(AuditEntry.action).where(AuditEntry.actor_role == "analyst", AuditEntry.action != "sign-in")
        assert db.session.scalars(by_analyst).all() == ["export", "export"]


def row_labels(html: str, key: str) -> dict[str, str]:
    """A statistics table as {category key: the row's label}."""
    found = re.search(rf'<table class="table" id="table-{key}".*?</table>', html, re.S)
    assert found, f"no table {key}"
    return {k: v for v, k in re.findall(r'<th scope="row">([^<]*)</th>\s*<td data-key="([^"]+)"', found.group(0))}


def test_each_tables_other_row_says_what_it_holds(app: Flask, analyst: FlaskClient) -> None:
    # 21 nationalities, so one of them is counted in the nationality table's "all other" row
    nationalities = ["AL", "VN", "ER", "SD", "GB", "AF", "IN", "IR", "CN", "SO", "SY"]
    nationalities += ["IQ", "ET", "RO", "NG", "PH", "EG", "PK", "NP", "BR", "PL"]
    with app.app_context():
        for number, nationality in enumerate(nationalities):
            factories.referral(submitted_at=FEBRUARY, nationality=nationality, gender=("other", "male")[number % 2])
        db.session.commit()
    html = analyst.get("/statistics/?from=2025-01-01&to=2025-03-31").text
    assert row_labels(html, "gender")["other"] == "Other"
    assert row_labels(html, "nationality")["other"] == "All other nationalities"
    rows = list(csv.reader(io.StringIO(analyst.get("/statistics/export.csv?from=2025-01-01").data.decode("utf-8-sig"))))
    by_table = {(row[0], row[2]) for row in rows if len(row) == 4}
    assert ("gender", "Other") in by_table
    assert ("gender", "All other nationalities") not in by_table
    assert ("nationality", "All other nationalities") in by_table
    book = openpyxl.load_workbook(io.BytesIO(analyst.get("/statistics/export.xlsx?from=2025-01-01").data))
    assert "Other" in [row[0].value for row in book["gender"].iter_rows(min_row=4)]
    assert "All other nationalities" not in [row[0].value for row in book["gender"].iter_rows(min_row=4)]
    assert "All other nationalities" in [row[0].value for row in book["nationality"].iter_rows(min_row=4)]


@pytest.mark.parametrize(
    ("counts", "adds_up", "marks"),
    [
        ([5, 6], True, [None, None]),
        ([0, 0], True, [None, None]),
        ([0, 7, 3], True, [None, WITHHELD, SMALL]),  # 3 = total - 7: so 7 is withheld
        ([9, 3, 12], True, [WITHHELD, SMALL, None]),  # the smallest shown count goes
        ([1, 1, 9], True, [SMALL, SMALL, WITHHELD]),  # two hidden adding up to 2 are both 1
        ([4, 4, 20], True, [SMALL, SMALL, WITHHELD]),  # ... and to 8 both 4
        ([2, 3, 9], True, [SMALL, SMALL, None]),  # 5 could be 1 + 4 or 2 + 3
        ([1, 9], False, [SMALL, None]),  # rows that do not add up to the total give nothing away
        ([3], True, [SMALL]),  # nothing left to withhold (the total is suppressed too)
    ],
)
def test_suppression(counts: list[int], adds_up: bool, marks: list[str | None]) -> None:
    cells = suppress([Cell(str(i), str(i), count) for i, count in enumerate(counts)], adds_up)
    assert [cell.mark for cell in cells] == marks


# Who may see these pages ----------------------------------------------------------------------------

STATISTICS_PAGES = ["/statistics/", "/statistics/export.csv", "/statistics/export.xlsx"]


@pytest.mark.parametrize("role", ["first-responder", "caseworker", "panel", "admin"])
def test_other_roles_are_forbidden(app: Flask, staff: Staff, role: str) -> None:
    client = staff.client(role)
    for url in STATISTICS_PAGES:
        assert client.get(url).status_code == 403, url
    with app.app_context():
        assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()


def test_anonymous_users_are_sent_to_sign_in(client: FlaskClient) -> None:
    for url in STATISTICS_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/sign-in?next=")


def test_an_analyst_starts_on_the_statistics(app: Flask, staff: Staff) -> None:
    client = app.test_client()
    analyst = staff.user("analyst")
    assert sign_in(client, analyst.email).location == "/statistics/"
    assert 'aria-current="page">Statistics</a>' in client.get("/statistics/").text


def test_counts_of_a_thousand_or_more_are_written_with_separators(app: Flask, analyst: FlaskClient) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--referrals", "1234", "--random-seed", "3"])
    assert result.exit_code == 0, result.output
    html = analyst.get("/statistics/").text
    assert total(html) == "1,234"
    welsh = analyst.get("/statistics/?lang=cy").text
    assert total(welsh) == "1,234"
    french = analyst.get("/statistics/?lang=fr").text
    assert total(french).replace("\u202f", " ").replace("\xa0", " ") == "1 234"
