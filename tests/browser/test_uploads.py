"""A photo attached on a phone-sized page, over a connection that drops in the middle of the upload."""

from __future__ import annotations

import hashlib
import io
import os
from typing import Any

from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.chat_driver import Chat, intake, shot
from tests.browser.conftest import LiveServer
from tests.scenarios import ROUTES


def _photo() -> bytes:
    """A synthetic photo of noise: large enough (about 1 MB) to go in several chunks."""
    image = Image.frombytes("RGB", (700, 500), os.urandom(700 * 500 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


def test_a_photo_survives_a_dropped_connection_and_goes_with_the_referral(page: Page, live: LiveServer) -> None:
    photo = _photo()
    chunks: list[str] = []
    dropped: list[str] = []

    def flaky(route: Any) -> None:
        """Drop the second chunk on its way, once: as a phone losing signal would."""
        request = route.request
        if request.method == "PATCH":
            chunks.append(request.headers.get("upload-offset", ""))
            if len(chunks) == 2 and not dropped:
                dropped.append(chunks[-1])
                route.abort("internetdisconnected")
                return
        route.continue_()

    page.route("**/uploads/**", flaky)
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer_until("supporting-documents")

    page.locator("input[data-picker=files]").set_input_files(
        {"name": "synthetic-photo.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    expect(page.locator(".upload-status")).to_have_text("Uploaded", timeout=30_000)
    assert dropped, "no chunk was dropped"
    assert chunks.count(dropped[0]) >= 2  # the dropped chunk was sent again, from the acknowledged offset
    assert chunks[0] == "0"
    assert "0" not in chunks[1:]
    expect(page.locator("progress")).to_have_attribute("value", "100")

    page.get_by_label("Describe this file in one line").fill("Photo of a synthetic tenancy letter")
    page.locator(".evidence-files").scroll_into_view_if_needed()
    shot(page, "chat-upload.png")
    chat.answer("supporting-documents", keep=True)
    assert chat.screen() == "review"
    page.get_by_role("button", name="Submit referral").click()
    expect(page.locator("#turn .panel")).to_be_visible()

    [record] = [r for r in intake(live) if r["files"]]
    [file] = record["files"]
    assert file["type"] == "jpg"
    assert file["size"] == len(photo)
    assert file["sha256"] == hashlib.sha256(photo).hexdigest()
    assert file["description"] == "Photo of a synthetic tenancy letter"


def test_a_file_that_is_not_what_its_name_says_is_refused_with_an_error_and_nothing_to_describe(
    page: Page, live: LiveServer
) -> None:
    page.goto(live.url)
    chat = Chat(page, ROUTES["child"])
    chat.answer_until("supporting-documents")

    page.locator("input[data-picker=files]").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": b"synthetic text, not a PDF\n" * 20}
    )
    refused = page.locator(".evidence-file")
    expect(refused.locator(".error-message")).to_have_text("Error: The file must be a JPG, PNG, PDF, DOC or DOCX")
    expect(refused.locator("input, progress")).to_have_count(0)  # nothing kept, so nothing to describe
    refused.get_by_role("button", name="Remove letter.pdf").click()
    expect(page.locator(".evidence-file")).to_have_count(0)
