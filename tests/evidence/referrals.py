"""A referral submitted with evidence files, through the chat and the upload routes."""

from __future__ import annotations

from typing import Any

from tests.evidence.uploading import QUESTION, Uploader
from tests.web.chats import complete


def submit_with_files(
    chat: Any, files: list[tuple[bytes, str]], lists: dict[str, str], left_out: bytes | None = None
) -> tuple[str, list[str]]:
    """Start, upload ``files`` (content, description), answer every question, submit: the reference
    and the file ids. ``left_out`` is uploaded too, but not given in the answer."""
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    if left_out is not None:
        assert up.send(left_out).status_code == 200
    ids = []
    for data, _description in files:
        done = up.send(data)
        assert done.status_code == 200, done.json
        ids.append(done.json["id"])
    complete(chat, {}, lists)
    assert chat.send("change", question_id=QUESTION)["prompt"]["kind"] == "upload"
    value = [{"file": i, "description": d} for i, (_data, d) in zip(ids, files, strict=True)]
    turn = chat.answer(QUESTION, value)
    assert turn["ok"], turn
    submitted = chat.send("submit")
    return str(submitted["submitted"]["reference"]), ids
