"""A grouped question's conditional fields without JavaScript: every field is on the page, each asked only
after an answer sits under the field it depends on, and fields asked after the same answer share one line
saying which answer that is, read first in their description."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from flask import Flask

from tests.scenarios import ROUTES
from tests.web.test_form import Browser


class Page(HTMLParser):
    """For each element with an id: its attributes, and the ids (or ".class") of the elements around it."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.around: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.around[found["id"]], self.attrs[found["id"]] = list(self.stack), found
        if tag not in self.VOID:
            self.stack.append(found.get("id") or "." + (found.get("class") or tag))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.stack.pop()

    def described_by(self, element_id: str) -> list[str]:
        return self.attrs[element_id].get("aria-describedby", "").split()


def support_page(app: Flask, staff: Any) -> str:
    browser = Browser(staff.client("first-responder"), app)
    browser.get("/form/")
    browser.post("/form/start")
    for _ in range(60):
        if browser.current()[0] == "support":
            return browser.html
        browser.answer(ROUTES["adult-consent-with-support"])
    raise AssertionError("the support question was never asked")


def test_a_field_asked_after_an_answer_sits_under_the_field_it_depends_on(app: Flask, staff: Any) -> None:
    html = support_page(app, staff)
    page = Page(html)
    order = [
        html.index(f'id="f-{fid}-field"') for fid in ("does-pv-need-support", "pv-phone-number", "pv-phone-number-yes")
    ]
    assert order == sorted(order)
    assert page.around["f-does-pv-need-support-field"][-1] == ".fieldset"  # asked always: in the question's own
    assert page.around["f-pv-phone-number-field"][-1] == ".conditional"  # asked after "Yes, they want support"
    # one level further in, asked after an answer to that one; never inside the field it depends on, whose
    # error marks its own inputs only
    assert page.around["f-pv-phone-number-yes-field"].count(".conditional") == 2
    assert "f-pv-phone-number-field" not in page.around["f-pv-phone-number-yes-field"]
    assert page.around["f-no-contact-details-field"].count(".conditional") == 2


def test_fields_asked_after_the_same_answer_share_one_line_read_first(app: Flask, staff: Any) -> None:
    html = support_page(app, staff)
    page = Page(html)
    assert html.count("Only if you chose: Yes, someone else&#39;s number") == 1
    alternative = page.described_by("f-pv-phone-number-alternative")
    relation = page.described_by("f-alternative-number-relation-to-pv")
    assert alternative[0] == relation[0]  # the same line
    assert alternative[0].endswith("-when")
    own = page.described_by("f-pv-phone-number-yes")
    assert own[0].endswith("-when")
    assert own[0] != alternative[0]  # its own answer: its own line
    assert own[1:] == ["f-pv-phone-number-yes-hint"]  # then the hint, in the order they are shown
