"""Who may see a referral's files, and the files as staff and API clients see them.

The caseworkers see every referral's files, the panel those of referrals before it, first
responders those of their organisation's referrals; a download is on the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .. import audit
from ..access import NotFound, may_work_on
from ..accounts.roles import Role
from ..casework import lifecycle
from ..extensions import db
from ..storage import store
from ..storage.models import EvidenceFile, Referral, User
from ..storage.unit_of_work import unit_of_work
from . import content, uploads


@dataclass(frozen=True)
class Listed:
    """A referral's file as it is listed: what it is, never its content."""

    id: str
    number: int  # 1, 2, ... in the order of the answers
    type: str
    media_type: str
    size: int
    sha256: str
    scan: str
    description: str

    @property
    def is_image(self) -> bool:
        return self.type in content.IMAGES

    def download_name(self, reference: str) -> str:
        return f"{reference}-{self.number}.{self.type}"

    def record(self) -> dict[str, Any]:
        """As the intake format gives it (README, "Intake format")."""
        return {
            "id": self.id,
            "type": self.type,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "scan": self.scan,
            "description": self.description,
        }


def may_see(user: User, referral: Referral) -> bool:
    if user.role == Role.CASEWORKER:
        return True
    if user.role == Role.PANEL:
        return referral.status in lifecycle.PANEL_STATES
    return may_work_on(user, referral)


def listing(referral: Referral) -> list[Listed]:
    """The referral's files in the order its answers give them, with their descriptions."""
    described: dict[str, str] = {}
    for value in referral.answers.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("file"), str):
                    described[item["file"]] = str(item.get("description", ""))
    if not described:
        return []
    query = select(EvidenceFile).where(
        EvidenceFile.conversation_id == referral.conversation_id, EvidenceFile.status == "complete"
    )
    found = {f.id: f for f in db.session.scalars(query)}
    files = [found[i] for i in described if i in found]
    return [
        Listed(f.id, n, f.extension or "", f.media_type or "", f.size, f.sha256 or "", f.scan, described[f.id])
        for n, f in enumerate(files, start=1)
    ]


def open_file(
    reference: str, file_id: str, user: User | None, audited: bool = True, target: str | None = None
) -> tuple[Listed, bytes]:
    """A file of a referral ``user`` may see (an API client, named in ``target``, when None),
    decrypted, with the download on the audit trail; NotFound for anything else."""
    with unit_of_work():
        referral = store.get_referral(db.session, reference)
        if referral is None or (user is not None and not may_see(user, referral)):
            raise NotFound(reference)
        listed = next((f for f in listing(referral) if f.id == file_id), None)
        file = db.session.get(EvidenceFile, file_id) if listed is not None else None
        if listed is None or file is None:
            raise NotFound(file_id)
        data = uploads.read(file)
        if audited:
            where = target or f"{reference}:{file_id}"
            audit.record("evidence-download", where, actor=user, by_staff=user is not None)
    return listed, data


def thumbnail(reference: str, file_id: str, user: User) -> bytes:
    """A small copy of an image file, with no metadata: shown on the referral's page (not audited
    as a download: the page's view is)."""
    listed, data = open_file(reference, file_id, user, audited=False)
    if not listed.is_image:
        raise NotFound(file_id)
    return content.thumbnail(data)
