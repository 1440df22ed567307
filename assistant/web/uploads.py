"""Resumable evidence uploads over HTTP (docs/protocol.md, "Evidence uploads"), for the chat.

``POST /uploads/`` announces a file (JSON: conversation_id, question_id, size) and answers its id;
``PATCH /uploads/<id>`` sends the chunk at the offset in ``Upload-Offset``, answered with the new
acknowledged offset; ``HEAD`` (or ``GET``) ``/uploads/<id>`` gives the acknowledged offset after a
reconnect; ``DELETE`` takes a file off the draft. Every request needs the page's CSRF token
(``X-CSRFToken``) and a first responder of the draft's organisation; anything else is 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..access import current_staff, roles_required
from ..accounts.roles import Role
from ..engine.kinds.base import N_
from ..evidence import uploads as service
from ..evidence.uploads import CHUNK_BYTES, NotFound, UploadError
from ..storage.models import EvidenceFile

uploads = Blueprint("uploads", __name__, url_prefix="/uploads")
STATUS = {
    "offset_mismatch": 409,
    "too_large": 413,
    "too_many": 409,
    "wrong_type": 415,
    "infected": 422,
    "scanner_down": 503,
}


@uploads.before_request
@roles_required(Role.FIRST_RESPONDER)
def _first_responders_only() -> None:
    """Only first responders upload, to their organisation's drafts."""


@uploads.errorhandler(NotFound)
def _not_found(_error: NotFound) -> tuple[Response, int]:
    return jsonify(error={"code": "not_found", "message": _("This file could not be found.")}), 404


@uploads.errorhandler(UploadError)
def _refused(error: UploadError) -> tuple[Response, int]:
    with force_locale(error.language):
        if isinstance(error.message, tuple):
            message = ngettext(*error.message, **error.params)
        else:
            message = _(error.message, **error.params)
    body: dict[str, Any] = {"error": {"code": error.code, "message": message}}
    if error.offset is not None:
        body["offset"] = error.offset
    response = jsonify(body)
    if error.offset is not None:
        response.headers["Upload-Offset"] = str(error.offset)
    return response, STATUS.get(error.code, 400)


@uploads.post("/")
def create() -> tuple[Response, int]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UploadError("invalid", N_("Send the file's details as JSON"))
    file = service.create(
        str(data.get("conversation_id", "")), str(data.get("question_id", "")), data.get("size"), current_staff()
    )
    return _described(file), 201


@uploads.route("/<file_id>", methods=["GET", "HEAD"])
def progress(file_id: str) -> Response:
    return _described(service.status(file_id, current_staff()))


@uploads.patch("/<file_id>")
def append(file_id: str) -> Response:
    given = request.headers.get("Upload-Offset", "")
    offset = int(given) if given.isdigit() else None  # the service refuses None, once it knows the upload
    return _described(service.append(file_id, offset, request.get_data(cache=False), current_staff()))


@uploads.delete("/<file_id>")
def remove(file_id: str) -> tuple[str, int]:
    service.remove(file_id, current_staff())
    return "", 204


def _described(file: EvidenceFile) -> Response:
    complete = file.status == "complete"
    response = jsonify(
        id=file.id,
        offset=file.received,
        size=file.size,
        chunk_size=CHUNK_BYTES,
        complete=complete,
        type=file.extension if complete else None,
    )
    response.headers["Upload-Offset"] = str(file.received)
    response.headers["Cache-Control"] = "no-store"
    return response
