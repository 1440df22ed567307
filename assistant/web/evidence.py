"""A referral's evidence files: downloads and image thumbnails for the staff who may see the
referral (assistant/evidence/access.py says who)."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from ..access import NotFound, current_staff, roles_required
from ..accounts.roles import Role
from ..evidence import access

evidence = Blueprint("evidence", __name__, url_prefix="/evidence")
READERS = (Role.CASEWORKER, Role.PANEL, Role.FIRST_RESPONDER)


@evidence.get("/<reference>/<file_id>")
@roles_required(*READERS)
def download(reference: str, file_id: str) -> Response:
    try:
        listed, data = access.open_file(reference, file_id, current_staff())
    except NotFound:
        abort(404)
    return file_response(data, listed.media_type, listed.download_name(reference))


@evidence.get("/<reference>/<file_id>/thumbnail")
@roles_required(*READERS)
def thumbnail(reference: str, file_id: str) -> Response:
    try:
        data = access.thumbnail(reference, file_id, current_staff())
    except NotFound:
        abort(404)
    return file_response(data, "image/png", None)


def file_response(data: bytes, media_type: str, name: str | None) -> Response:
    """The bytes as a download (or inline, for a thumbnail), never cached, never sniffed as HTML."""
    response = Response(data, mimetype=media_type)
    if name is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
