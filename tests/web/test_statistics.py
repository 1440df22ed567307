"""The analysts' statistics: counts by category from the columns kept in the clear, never the answers,
with small numbers suppressed; the CSV export is audited. Every referral here is synthetic."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from assistant.extensions import db
from assistant.storage import crypto
from assistant.storage.models import AuditEntry, Referral
from assistant.web.statistics import SMALL, WITHHELD, Cell, suppress
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
    return {k: re.sub(r"</?em>", "", v) for k, v in re.findall(r'<td data-key="([^"]+)">(.*?)</td>', found.group(0))}


def total(html: str) -> str:
    return re.search(r'<p class="page-title" id="total">([^<]*)</p>', html).group(1)


@pytest.fixture
def analyst(staff: Staff) -> FlaskClient:
    return staff.client("analyst")


def test_counts_by_category_with_small_numbers_suppressed(
    app: Flask, new_chat: Any, list_values: dict[str, str], analyst: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(new_chat, list_values, ENGLAND, times=3)
    submit(new_chat, list_values, WALES, times=2)

    def never(*_args: Any) -> bytes:
        raise AssertionError("the statistics must not decrypt anything")

    with monkeypatch.context() as patched:
        patched.setattr(crypto.keyring, "decrypt", never)
        page = analyst.get("/statistics/")
    assert page.status_code == 200
    html = page.text
    assert "a count from 1 to 4 shows as “fewer than 5”" in html
    assert total(html) == "5"
    assert table(html, "kind") == {"nrm": "5", "dtn": "0"}
    assert table(html, "age_group") == {"adult": "0", "child": "5", "unknown": "0"}
    # two small counts that add up to 5 could be 1 and 4, 2 and 3...: nothing more is withheld
    assert table(html, "jurisdiction") == {
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
    assert table(html, "status")["awaiting-rg"] == "5"
    now = dt.datetime.now(dt.UTC)
    assert table(html, "quarter") == {f"{now.year}-Q{(now.month - 1) // 3 + 1}": "5"}
    assert '<caption id="caption-exploitation">By type of exploitation (a referral may have several)</caption>' in html

    submit(new_chat, list_values, DUTY_TO_NOTIFY)
    html = analyst.get("/statistics/").text
    assert total(html) == "6"
    # one Duty to Notify report: the 5 NRM referrals would give it away (6 - 5), so they are withheld too
    assert table(html, "kind") == {"nrm": "withheld", "dtn": "fewer than 5"}
    assert table(html, "age_group") == {"adult": "fewer than 5", "child": "withheld", "unknown": "0"}
    assert table(html, "status")["dtn-received"] == "fewer than 5"
    assert table(html, "status")["awaiting-rg"] == "withheld"


def test_a_total_from_1_to_4_is_suppressed_and_the_date_range_filters(
    app: Flask, new_chat: Any, list_values: dict[str, str], analyst: FlaskClient
) -> None:
    submit(new_chat, list_values, ENGLAND, times=2)
    html = analyst.get("/statistics/").text
    assert total(html) == "fewer than 5"
    assert table(html, "kind") == {"nrm": "fewer than 5", "dtn": "0"}
    with app.app_context():
        first = db.session.scalars(select(Referral.id).order_by(Referral.id)).first()
        db.session.execute(
            update(Referral).where(Referral.id == first).values(submitted_at=dt.datetime(2024, 2, 10, 9, tzinfo=dt.UTC))
        )
        db.session.commit()
    in_range = analyst.get("/statistics/?from=2024-01-01&to=2024-03-31").text
    assert total(in_range) == "fewer than 5"
    assert table(in_range, "quarter") == {"2024-Q1": "fewer than 5"}
    assert "January to March 2024" in in_range
    assert table(analyst.get("/statistics/?from=2024-02-10&to=2024-02-10").text, "quarter") == {
        "2024-Q1": "fewer than 5"
    }
    empty = analyst.get("/statistics/?to=2023-12-31").text
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
    for url in ("/statistics/", "/statistics/export.csv"):
        response = analyst.get(f"{url}?{query}")
        assert response.status_code == 400
        assert f'href="#{field}"' in response.text
        assert message in response.text


def test_the_csv_export_has_the_same_suppressed_tables_and_is_audited(
    app: Flask, new_chat: Any, list_values: dict[str, str], analyst: FlaskClient
) -> None:
    submit(new_chat, list_values, ENGLAND, times=3)
    submit(new_chat, list_values, WALES, times=2)
    response = analyst.get("/statistics/export.csv?from=2020-01-01&to=")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="nrm-statistics-2020-01-01.csv"'
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Table", "Category", "Label", "Count"]
    assert ["total", "total", "All referrals", "5"] in rows
    assert ["kind", "nrm", "NRM referral", "5"] in rows
    assert ["jurisdiction", "wales", "Wales", "fewer than 5"] in rows
    assert ["exploitation", "sexual", "Sexual", "fewer than 5"] in rows
    assert not [row for row in rows[1:] if row[3] not in ("0", "5", "fewer than 5")]
    with app.app_context():
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert (entry.target, entry.actor_role, entry.outcome) == ("statistics:2020-01-01..", "analyst", "ok")
    # the page itself is not audited
    analyst.get("/statistics/")
    with app.app_context():
        by_analyst = select(AuditEntry.action).where(AuditEntry.actor_role == "analyst", AuditEntry.action != "sign-in")
        assert db.session.scalars(by_analyst).all() == ["export"]


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

STATISTICS_PAGES = ["/statistics/", "/statistics/export.csv"]


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
