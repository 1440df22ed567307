"""The upload question without JavaScript: a plain file input sent with the form (multipart)."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from assistant.intake import intake_records
from tests.evidence import samples
from tests.scenarios import ROUTES
from tests.web.test_form import Browser, field

QUESTION = "supporting-documents"


def _at_the_upload_question(app: Flask, staff: Any) -> Browser:
    browser = Browser(staff.client("first-responder"), app)
    browser.get("/form/")
    browser.post("/form/start")
    for _ in range(200):
        if browser.current()[0] == QUESTION:
            return browser
        browser.answer(ROUTES["child"])
    raise AssertionError("the upload question never came")


def _add(browser: Browser, data: bytes, name: str, description: str) -> str:
    form = {
        "csrf_token": field(browser.html, "csrf_token"),
        "question_id": QUESTION,
        "kind": "upload",
        "description": description,
        "file": (io.BytesIO(data), name),
    }
    client: FlaskClient = browser.client
    browser.html = client.post(
        "/form/files/add", data=form, content_type="multipart/form-data", follow_redirects=True
    ).text
    return browser.html


def test_files_are_added_removed_and_submitted_without_javascript(app: Flask, staff: Any) -> None:
    browser = _at_the_upload_question(app, staff)
    assert 'type="file"' in browser.html
    assert 'enctype="multipart/form-data"' in browser.html
    assert 'accept=".jpg,.png,.pdf,.doc,.docx,' in browser.html

    _add(browser, samples.jpeg(), "photo.jpg", "Photo of a synthetic letter")
    _add(browser, samples.pdf(), "payslip.pdf", "Synthetic payslip")
    assert "Photo of a synthetic letter" in browser.html
    assert "Synthetic payslip" in browser.html

    removed = re.search(
        r'name="file_id" value="([0-9a-f]{32})">Remove<span class="vh"> Synthetic payslip', browser.html
    )
    assert removed
    browser.post("/form/files/remove", file_id=removed.group(1))
    assert "Synthetic payslip" not in browser.html

    browser.post("/form/answer", question_id=QUESTION, kind="upload", client_msg_id="files-1")
    assert "Check your answers" in browser.html
    assert "1. Photo of a synthetic letter" in browser.html
    browser.post("/form/submit", client_msg_id="submit-1")
    with app.app_context():
        [record] = intake_records()
    assert [(f["type"], f["description"]) for f in record["files"]] == [("jpg", "Photo of a synthetic letter")]


def test_a_file_that_is_not_what_its_name_says_gets_a_clear_error_and_is_not_kept(app: Flask, staff: Any) -> None:
    browser = _at_the_upload_question(app, staff)
    html = _add(browser, samples.executable(), "photo.jpg", "Not really a photo")
    assert "There is a problem" in html
    assert "The file must be a JPG, PNG, PDF, DOC or DOCX" in html
    assert 'value="Not really a photo"' in html  # what was typed is kept
    assert "Remove" not in html


def test_a_file_needs_its_one_line_description(app: Flask, staff: Any) -> None:
    browser = _at_the_upload_question(app, staff)
    html = _add(browser, samples.png(), "scan.png", "   ")
    assert "Describe the file in one line" in html
    assert "There is a problem" in html
