"""The caseworker's and the panel's referral pages get to the point: a summary first, a link that
jumps to the decision form, and the answers folded by section with a count."""

from __future__ import annotations

import html
import re
from typing import Any

from flask import Flask

from tests.conftest import Staff, csrf
from tests.scenarios import ROUTES
from tests.web.chats import submitted

ADULT = {
    **ROUTES["adult-consent-without-support"],
    "fr-location": "england",
    "types-of-exploitation": ["forced-to-work"],
}


def post(client: Any, url: str, page: str, **data: Any) -> Any:
    return client.post(url, data={"csrf_token": csrf(client.get(page).text), **data})


def test_the_summary_comes_first_and_a_link_jumps_to_the_decision(
    app: Flask, new_chat: Any, staff: Staff, list_values: dict[str, str]
) -> None:
    reference = submitted(new_chat(), ADULT, list_values)
    caseworker = staff.client("caseworker")
    url = f"/casework/referrals/{reference}"
    before = caseworker.get(url).text
    assert 'href="#decision"' not in before  # nothing to decide until it is claimed
    post(caseworker, f"{url}/claim", url)
    page = html.unescape(caseworker.get(url).text)
    jump = page.index('<a class="jump-link" href="#decision">Go to the decision</a>')
    summary = page.index('<dl class="summary-list">')
    answers = page.index('<details class="answers-section">')
    form = page.index('id="decision"')
    assert jump < summary < answers < form
    assert page.count('id="decision"') == 1
    assert re.search(r'<form method="post" action="[^"]+/decide" id="decision"', page)
    for shown in ("NRM referral", "Adult", "England", "Labour"):
        assert shown in page[summary:answers]
    assert "(target for the Reasonable Grounds decision: 5 working days)" in page[summary:answers]


def test_the_answers_fold_by_section_with_a_count(
    app: Flask, new_chat: Any, staff: Staff, list_values: dict[str, str]
) -> None:
    reference = submitted(new_chat(), ADULT, list_values)
    page = html.unescape(staff.client("caseworker").get(f"/casework/referrals/{reference}").text)
    sections = re.findall(r'<details class="answers-section">(.*?)</details>', page, re.S)
    assert len(sections) > 3
    for section in sections:
        count = re.search(r'<span class="hint">(\d+) answers?</span></summary>', section)
        assert count, section[:200]
        assert int(count.group(1)) == section.count('<div class="summary-row">')


def test_the_panel_jumps_to_its_review(app: Flask, new_chat: Any, staff: Staff, list_values: dict[str, str]) -> None:
    reference = submitted(new_chat(), ADULT, list_values)
    caseworker = staff.client("caseworker")
    url = f"/casework/referrals/{reference}"
    post(caseworker, f"{url}/claim", url)
    post(caseworker, f"{url}/decide", url, action="rg-negative", reasons="Synthetic proposal.")
    panel = staff.client("panel")
    page = panel.get(f"/panel/referrals/{reference}").text
    assert '<a class="jump-link" href="#decision">Go to your review</a>' in page
    assert re.search(r'<form method="post" action="[^"]+/review" id="decision"', page)
    assert '<details class="answers-section">' in page
