"""Who sees a referral's files: the unit, the panel while the referral is with it, the organisation
that made it, an API client; downloads are audited, thumbnails carry no location."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from flask import Flask
from PIL import Image
from sqlalchemy import select

from assistant.extensions import db
from assistant.storage.models import AuditEntry, EvidenceFile, Referral
from tests.evidence import samples
from tests.evidence.referrals import submit_with_files
from tests.web.test_api import bearer, create_client

PHOTO = samples.jpeg(size=(800, 600))
LETTER = samples.pdf()


def _submitted(chat: Any, list_values: dict[str, str]) -> tuple[str, list[str]]:
    return submit_with_files(
        chat, [(PHOTO, "Photo of the synthetic letter"), (LETTER, "Scan of a synthetic payslip")], list_values
    )


def _audited(app: Flask, action: str) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.target).where(AuditEntry.action == action)))


def test_the_caseworker_sees_the_files_and_downloads_one_on_the_audit_trail(
    app: Flask, chat: Any, staff: Any, list_values: dict[str, str]
) -> None:
    reference, (photo_id, letter_id) = _submitted(chat, list_values)
    caseworker = staff.client("caseworker")

    page = caseworker.get(f"/casework/referrals/{reference}").text
    assert "Photo of the synthetic letter" in page
    assert "Scan of a synthetic payslip" in page
    assert f"/evidence/{reference}/{photo_id}/thumbnail" in page
    assert f"/evidence/{reference}/{letter_id}/thumbnail" not in page  # no thumbnail of a PDF
    assert "not scanned for viruses" in page

    download = caseworker.get(f"/evidence/{reference}/{letter_id}")
    assert download.status_code == 200
    assert download.data == LETTER
    assert download.mimetype == "application/pdf"
    assert f'filename="{reference}-2.pdf"' in download.headers["Content-Disposition"]
    assert f"{reference}:{letter_id}" in _audited(app, "evidence-download")


def test_a_thumbnail_is_made_on_the_server_without_the_photos_location(
    app: Flask, chat: Any, staff: Any, list_values: dict[str, str]
) -> None:
    reference, (photo_id, _letter_id) = _submitted(chat, list_values)
    thumbnail = staff.client("caseworker").get(f"/evidence/{reference}/{photo_id}/thumbnail")
    assert thumbnail.status_code == 200
    assert thumbnail.mimetype == "image/png"
    with Image.open(io.BytesIO(thumbnail.data)) as image:
        assert max(image.size) <= 320
        assert not image.getexif()
    assert b"Synthetic Camera" not in thumbnail.data


def test_the_organisation_that_made_it_sees_its_files_and_no_one_else_does(
    app: Flask, chat: Any, staff: Any, list_values: dict[str, str]
) -> None:
    reference, (photo_id, _letter_id) = _submitted(chat, list_values)
    colleague = staff.client("first-responder", "salvation-army")
    assert "Photo of the synthetic letter" in colleague.get(f"/referrals/{reference}").text
    assert colleague.get(f"/evidence/{reference}/{photo_id}").data == PHOTO

    assert staff.client("first-responder", "barnardos").get(f"/evidence/{reference}/{photo_id}").status_code == 404
    assert staff.client("analyst").get(f"/evidence/{reference}/{photo_id}").status_code == 403
    assert staff.client("caseworker").get(f"/evidence/{reference}/{'0' * 32}").status_code == 404


def test_the_panel_sees_the_files_only_while_the_referral_is_before_it(
    app: Flask, chat: Any, staff: Any, list_values: dict[str, str]
) -> None:
    reference, (photo_id, _letter_id) = _submitted(chat, list_values)
    panel = staff.client("panel")
    assert panel.get(f"/evidence/{reference}/{photo_id}").status_code == 404
    with app.app_context():
        referral = db.session.scalars(select(Referral).where(Referral.reference == reference)).one()
        referral.status = "rg-negative-proposed"
        db.session.commit()
    assert panel.get(f"/evidence/{reference}/{photo_id}").data == PHOTO


def test_the_intake_api_lists_each_file_and_serves_it(
    app: Flask, chat: Any, staff: Any, list_values: dict[str, str]
) -> None:
    reference, (photo_id, letter_id) = _submitted(chat, list_values)
    token = create_client(app)
    api = app.test_client()

    listed = api.get("/api/v1/referrals", headers=bearer(token)).json["referrals"]
    files = next(r for r in listed if r["reference"] == reference)["files"]
    assert [(f["id"], f["type"], f["size"], f["sha256"]) for f in files] == [
        (photo_id, "jpg", len(PHOTO), hashlib.sha256(PHOTO).hexdigest()),
        (letter_id, "pdf", len(LETTER), hashlib.sha256(LETTER).hexdigest()),
    ]
    assert files[0]["description"] == "Photo of the synthetic letter"
    assert files[0]["scan"] == "not-scanned"

    served = api.get(f"/api/v1/referrals/{reference}/files/{photo_id}", headers=bearer(token))
    assert served.status_code == 200
    assert served.data == PHOTO
    assert served.mimetype == "image/jpeg"
    assert api.get(f"/api/v1/referrals/{reference}/files/{photo_id}").status_code == 401
    assert api.get(f"/api/v1/referrals/{reference}/files/{'0' * 32}", headers=bearer(token)).status_code == 404
    assert any(t and t.startswith("api:") for t in _audited(app, "evidence-download"))


def test_files_added_but_left_out_of_the_answer_are_dropped_at_submission(
    app: Flask, chat: Any, list_values: dict[str, str]
) -> None:
    _reference, ids = submit_with_files(chat, [(LETTER, "Scan of a synthetic payslip")], list_values, left_out=PHOTO)
    with app.app_context():
        assert set(db.session.scalars(select(EvidenceFile.id))) == set(ids)
