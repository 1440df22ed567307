"""The upload question of the form without JavaScript: a plain file input sent with the form
(multipart), one file at a time, each with its one-line description."""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Flask, request
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from .. import conversations
from ..access import current_staff
from ..engine.kinds.upload import DESCRIPTION_LENGTH, MAX_BYTES
from ..evidence import uploads
from ..storage.models import EvidenceFile

# The form's file travels in the request body: room for the largest file and the form's fields.
FORM_BYTES = MAX_BYTES + 64 * 1024
FILE_ENDPOINTS = ("form.add_file", "form.answer")


class Refused(Exception):
    """The file was not added: ``turn`` is the question again, with the reason as its error."""

    def __init__(self, turn: dict[str, Any]) -> None:
        super().__init__(turn.get("error"))
        self.turn = turn


def allow_files(app: Flask) -> None:
    """Raise the request size limit for the form's file posts only, before anything reads the body."""

    @app.before_request
    def _room_for_a_file() -> None:
        if request.endpoint in FILE_ENDPOINTS and request.mimetype == "multipart/form-data":
            request.max_content_length = FORM_BYTES


def add_chosen(current: dict[str, str], question_id: str, required: bool = False) -> None:
    """Add the file chosen in the form; nothing chosen is fine on Continue, not on "Add this file"."""
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        if required:
            _refuse(current, question_id, _("Choose a file to add"))
        return
    description = " ".join(request.form.get("description", "").split())
    if not description:
        _refuse(current, question_id, _("Describe the file in one line"))
    if len(description) > DESCRIPTION_LENGTH:
        _refuse(current, question_id, _("Describe the file in %(num)s characters or fewer", num=DESCRIPTION_LENGTH))
    data = chosen.stream.read(MAX_BYTES + 1)
    try:
        uploads.add_whole(current["id"], question_id, data, description, current_staff())
    except uploads.UploadError as error:
        with force_locale(error.language):
            message = (
                ngettext(*error.message, **error.params)
                if isinstance(error.message, tuple)
                else _(error.message, **error.params)
            )
        _refuse(current, question_id, message)
    except uploads.NotFound:
        _refuse(current, question_id, _("This file could not be found."))


def answer(current: dict[str, str], question_id: str) -> list[dict[str, str]] | None:
    """Every file added to the question, with its description: the question's answer."""
    previous = _previous_descriptions(current)
    added = [
        {"file": f.id, "description": f.description or previous.get(f.id, "")}
        for f in uploads.pending(current["id"], question_id)
    ]
    return added or None


def listed(conversation_id: str, prompt: dict[str, Any]) -> list[dict[str, Any]]:
    previous = {i["file"]: i["description"] for i in prompt.get("previous") or [] if isinstance(i, dict)}
    return [_row(f, previous) for f in uploads.pending(conversation_id, prompt["question_id"])]


def remove(file_id: str) -> None:
    with contextlib.suppress(uploads.NotFound):  # gone already: nothing to remove
        uploads.remove(file_id, current_staff())


def _row(file: EvidenceFile, previous: dict[str, str]) -> dict[str, Any]:
    return {
        "id": file.id,
        "extension": file.extension,
        "size": file.size,
        "description": file.description or previous.get(file.id, ""),
    }


def _previous_descriptions(current: dict[str, str]) -> dict[str, str]:
    turn = conversations.resume(current["id"], current["token"], current_staff())
    previous = turn.get("prompt", {}).get("previous") or []
    return {i["file"]: i["description"] for i in previous if isinstance(i, dict)}


def _refuse(current: dict[str, str], question_id: str, message: str) -> None:
    turn = conversations.resume(current["id"], current["token"], current_staff())
    turn["ok"] = False
    turn["error"] = {"code": "invalid", "message": message, "question_id": question_id}
    raise Refused(turn)
