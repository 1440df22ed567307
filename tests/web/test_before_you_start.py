"""Before the first question, the chat and the form say how long a referral takes and what to have ready;
the words of the chat page come in another language for a switch in place (/chat/labels)."""

from __future__ import annotations

import html
from typing import Any

BEFORE = '<section class="before-start" id="before-start" aria-labelledby="before-start-title">'


def test_the_chat_and_the_form_say_how_long_it_takes_and_what_to_have_ready(staff: Any) -> None:
    worker = staff.client("first-responder")
    for url in ("/", "/form/"):
        page = html.unescape(worker.get(url).get_data(as_text=True))
        assert BEFORE in page, url
        assert "A referral usually takes 30 to 45 minutes" in page
        assert "What to have ready" in page
        for ready in ("The person's consent", "Their details", "What happened", "Your own contact details"):
            assert ready in page, (url, ready)
    chat = worker.get("/").get_data(as_text=True)
    assert chat.index("before-start") < chat.index('id="turn"')  # above the first question


def test_the_chat_pages_words_come_in_another_language_without_a_referral(staff: Any) -> None:
    worker = staff.client("first-responder")
    page = worker.get("/chat/labels?lang=cy").get_data(as_text=True)
    assert '<html lang="cy"' in page
    assert 'id="ui-strings"' in page
    assert 'id="first-prompt"' not in page  # no question, no draft: only the page's words
    assert BEFORE.replace(">", " hidden>") in page  # its words only: the page shows or hides it
    # no style either: the script parses this page, and a style with another response's nonce would be
    # reported as a violation of the content security policy; the chat page itself keeps its own
    assert "<style" not in page
    assert "<style" in worker.get("/?lang=cy").get_data(as_text=True)
