"""Dates on the staff pages: typed in three boxes (day, month, year) whatever the browser's region,
read as whole days in UK time, refused with a clear message when impossible, and every time shown
in UK time with its zone."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask import Flask

from assistant import audit
from assistant.extensions import db
from assistant.storage.models import User
from tests.conftest import Staff

ROW = re.compile(r'<tr role="row">\s*<td [^>]*><time.*?</tr>', re.S)


def entry_at(app: Flask, staff: Staff, at: dt.datetime, target: str) -> None:
    with app.app_context():
        worker = db.session.get(User, staff.user("caseworker").id)
        audit.record("view", target, actor=worker).at = at
        db.session.commit()


@pytest.mark.parametrize(("role", "url"), [("analyst", "/statistics/"), ("admin", "/admin/audit")])
def test_three_boxes_for_each_date_and_uk_time(staff: Staff, role: str, url: str) -> None:
    page = staff.client(role).get(url).text
    assert 'type="date"' not in page
    for name in ("from", "to"):
        assert f'<input class="input" id="{name}" name="{name}-day"' in page
        assert f'id="{name}-month" name="{name}-month"' in page
        assert f'id="{name}-year" name="{name}-year"' in page
    assert "UTC" not in page
    assert "UK time" in page


@pytest.mark.parametrize(("role", "url"), [("analyst", "/statistics/"), ("admin", "/admin/audit")])
@pytest.mark.parametrize(
    ("boxes", "field", "message"),
    [
        (
            {"from-day": "30", "from-month": "2", "from-year": "2024"},
            "from",
            "Enter a real date, for example 31 3 2025.",
        ),
        (
            {"to-day": "31", "to-month": "", "to-year": "2024"},
            "to",
            "Enter the day, month and year, for example 31 3 2025.",
        ),
        (
            {"from-day": "1o", "from-month": "3", "from-year": "2024"},
            "from",
            "Enter the day, month and year as numbers",
        ),
        ({"to-day": "1", "to-month": "1", "to-year": "1066"}, "to", "Enter a year from 1900 to 9000."),
        (
            {
                "from-day": "2",
                "from-month": "3",
                "from-year": "2024",
                "to-day": "1",
                "to-month": "3",
                "to-year": "2024",
            },
            "to",
            "The end date must be the same as or after the start date.",
        ),
    ],
)
def test_an_impossible_date_is_refused_with_a_message_keeping_what_was_typed(
    staff: Staff, role: str, url: str, boxes: dict[str, str], field: str, message: str
) -> None:
    response = staff.client(role).get(url, query_string=boxes)
    assert response.status_code == 400
    assert f'href="#{field}"' in response.text
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    for name, value in boxes.items():
        if value:
            assert f'name="{name}"' in response.text
            assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', response.text)


@pytest.mark.parametrize(("role", "url"), [("analyst", "/statistics/"), ("admin", "/admin/audit")])
def test_a_wrong_date_names_which_and_outlines_only_its_own_boxes(staff: Staff, role: str, url: str) -> None:
    boxes = {"from-day": "30", "from-month": "2", "from-year": "2024"}
    page = html.unescape(staff.client(role).get(url, query_string=boxes).text)
    assert "The start date (From): Enter a real date, for example 31 3 2025." in page
    assert (
        '<fieldset class="fieldset date-boxes has-error" role="group" aria-describedby="from-hint from-error">' in page
    )
    assert '<fieldset class="fieldset date-boxes" role="group" aria-describedby="to-hint">' in page  # "To" is fine
    assert 'novalidate class="has-error"' not in page  # not the whole form


def test_the_audit_trail_filters_whole_days_in_uk_time_and_shows_the_zone(app: Flask, staff: Staff) -> None:
    entry_at(app, staff, dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC), "NRM-SUMMER")  # 1 July, 00:30 BST
    entry_at(app, staff, dt.datetime(2024, 1, 15, 14, 5, tzinfo=dt.UTC), "NRM-WINTER")
    admin = staff.client("admin")
    july = admin.get("/admin/audit", query_string={"from-day": "1", "from-month": "7", "from-year": "2024"}).text
    rows = [row for row in ROW.findall(july) if "NRM-" in row]
    assert len(rows) == 1
    assert "NRM-SUMMER" in rows[0]
    assert "1 July 2024, 00:30 BST" in rows[0]
    winter = admin.get("/admin/audit?target=NRM-WINTER").text
    assert "15 January 2024, 14:05 GMT" in winter
    # the paging links carry the dates as one ISO value, which the boxes read back
    assert 'value="1"' in admin.get("/admin/audit?from=2024-07-01").text


def test_statistics_take_the_boxes_and_keep_them(staff: Staff) -> None:
    shown = staff.client("analyst").get(
        "/statistics/", query_string={"from-day": "1", "from-month": "1", "from-year": "2026", "to-day": ""}
    )
    assert shown.status_code == 200  # from the start of a quarter: whole ended quarters (docs/data-protection.md)
    assert re.search(r'name="from-day"[^>]*value="1"', shown.text)
    assert re.search(r'name="from-year"[^>]*value="2026"', shown.text)
