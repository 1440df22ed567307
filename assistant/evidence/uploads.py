"""Resumable uploads of evidence files, and the files of a draft or a referral.

An upload is announced with its size, then sent in chunks, each at the offset the server has
acknowledged so far; after a dropped connection the client asks for that offset and carries on.
Each chunk is encrypted as it arrives. When the last one is in, the whole file is checked (its
type from its content, its size, a virus scan when configured), sealed and stored, and its chunks
dropped; a file refused at any point leaves nothing behind. Each call is one unit of work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable
from typing import Any

import filetype
from sqlalchemy import delete, func, select

from .. import audit
from ..access import may_work_on
from ..engine.kinds.base import N_, Nn_
from ..engine.kinds.upload import ALLOWED_TYPES, MAX_BYTES, MAX_FILES
from ..extensions import db
from ..storage import store
from ..storage.crypto import seal, unseal
from ..storage.models import Conversation, EvidenceChunk, EvidenceFile, User
from ..storage.unit_of_work import unit_of_work
from . import content, scanning
from .backends import backend

log = logging.getLogger(__name__)
CHUNK_BYTES = 192 * 1024  # below the service's request size limit
WRONG_TYPE = N_("The file must be a JPG, PNG, PDF, DOC or DOCX")
BAD_CHUNK = N_("Send the file in parts of the size the service gives")


class UploadError(Exception):
    """The upload cannot go on: ``code`` for the client, ``message`` a message id to translate.
    ``language`` is the draft's, for the message; ``offset`` the acknowledged one, on a conflict."""

    def __init__(self, code: str, message: str | tuple[str, str], language: str = "en", **params: Any) -> None:
        super().__init__(code)
        self.code, self.message, self.language, self.params = code, message, language, params
        self.offset: int | None = None


class NotFound(LookupError):
    """No such upload or draft that this user may work on."""


def create(
    conversation_id: str, question_id: str, size: Any, user: User, description: str | None = None
) -> EvidenceFile:
    """Announce a file of ``size`` bytes for the draft's upload question."""
    with unit_of_work():
        conversation = _draft(conversation_id, user)
        if not _asks_for_files(conversation, question_id):
            raise NotFound(question_id)
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise UploadError("invalid", N_("Choose a file that is not empty"), conversation.language)
        if size > MAX_BYTES:
            raise UploadError("too_large", N_("The file must be 25 MB or smaller"), conversation.language)
        count = db.session.scalar(
            select(func.count()).select_from(EvidenceFile).where(EvidenceFile.conversation_id == conversation.id)
        )
        if (count or 0) >= MAX_FILES:
            raise UploadError(
                "too_many",
                Nn_("You can add %(num)s file at most", "You can add %(num)s files at most"),
                conversation.language,
                num=MAX_FILES,
            )
        file = EvidenceFile(
            id=uuid.uuid4().hex,
            conversation_id=conversation.id,
            question_id=question_id,
            created_by_id=user.id,
            size=size,
            received=0,
            description=description,
        )
        db.session.add(file)
        conversation.updated_at = dt.datetime.now(dt.UTC)  # an upload keeps the draft alive
    return file


def status(file_id: str, user: User) -> EvidenceFile:
    file, _conversation = _upload(file_id, user)
    db.session.rollback()
    return file


def append(file_id: str, offset: Any, data: bytes, user: User) -> EvidenceFile:
    """Store the chunk at ``offset``; an offset other than the acknowledged one is a conflict."""
    with unit_of_work():
        file, conversation = _upload(file_id, user, for_update=True)
        if not isinstance(offset, int) or len(data) > CHUNK_BYTES:
            raise UploadError("invalid", BAD_CHUNK, conversation.language)
        if file.status == "complete":
            return file  # the last chunk's answer was lost: it was acknowledged all the same
        if offset != file.received:
            conflict = UploadError("offset_mismatch", N_("Send the file from where it stopped"), conversation.language)
            conflict.offset = file.received
            raise conflict
        if not data or file.received + len(data) > file.size:
            _refuse(file, "too_large")
            raise UploadError("too_large", N_("The file is larger than it said it was"), conversation.language)
        if offset == 0 and not _may_be_allowed(data):
            _refuse(file, "wrong_type")
            raise UploadError("wrong_type", WRONG_TYPE, conversation.language)
        sealed = seal(data, _chunk_aad(file.id, offset))
        db.session.add(EvidenceChunk(file_id=file.id, offset=offset, data=sealed))
        file.received += len(data)
        if file.received == file.size:
            _finish(file, conversation)
    return file


def remove(file_id: str, user: User) -> None:
    """Take a file off the draft before it is submitted."""
    with unit_of_work():
        file, _conversation = _upload(file_id, user, for_update=True)
        _delete([file])


def pending(conversation_id: str, question_id: str) -> list[EvidenceFile]:
    """The complete files of a draft's question, oldest first."""
    query = (
        select(EvidenceFile)
        .where(
            EvidenceFile.conversation_id == conversation_id,
            EvidenceFile.question_id == question_id,
            EvidenceFile.status == "complete",
        )
        .order_by(EvidenceFile.created_at, EvidenceFile.id)
    )
    return list(db.session.scalars(query))


def missing(conversation_id: str, file_ids: Iterable[str]) -> list[str]:
    """Those of ``file_ids`` that are not complete files of this draft."""
    wanted = set(file_ids)
    query = select(EvidenceFile.id).where(
        EvidenceFile.conversation_id == conversation_id,
        EvidenceFile.status == "complete",
        EvidenceFile.id.in_(wanted),
    )
    return sorted(wanted - set(db.session.scalars(query)))


def keep_only(conversation_id: str, file_ids: Iterable[str]) -> None:
    """At submission: files added but not in the answers are dropped (inside the caller's unit of work)."""
    kept = set(file_ids)
    query = select(EvidenceFile).where(EvidenceFile.conversation_id == conversation_id)
    _delete([f for f in db.session.scalars(query) if f.id not in kept])


def discard_draft(conversation_id: str) -> None:
    """Every file of a draft being deleted (inside the caller's unit of work)."""
    _delete(list(db.session.scalars(select(EvidenceFile).where(EvidenceFile.conversation_id == conversation_id))))


def purge(cutoff: dt.datetime) -> int:
    """Delete uploads never finished and untouched since ``cutoff``, and every file of the drafts
    untouched since then (which the draft purge is about to delete): how many files went."""
    stale_drafts = select(Conversation.id).where(Conversation.status == "draft", Conversation.updated_at < cutoff)
    query = select(EvidenceFile).where(
        (EvidenceFile.conversation_id.in_(stale_drafts))
        | ((EvidenceFile.status == "uploading") & (EvidenceFile.updated_at < cutoff))
    )
    files = list(db.session.scalars(query))
    _delete(files)
    return len(files)


def read(file: EvidenceFile) -> bytes:
    """The file's bytes, decrypted."""
    return unseal(backend(file.location).get(file.id), _file_aad(file.id))


def files_of(conversation_id: str) -> list[EvidenceFile]:
    query = select(EvidenceFile).where(
        EvidenceFile.conversation_id == conversation_id, EvidenceFile.status == "complete"
    )
    return list(db.session.scalars(query.order_by(EvidenceFile.created_at, EvidenceFile.id)))


def _finish(file: EvidenceFile, conversation: Conversation) -> None:
    chunks = db.session.scalars(
        select(EvidenceChunk).where(EvidenceChunk.file_id == file.id).order_by(EvidenceChunk.offset)
    )
    data = b"".join(unseal(c.data, _chunk_aad(file.id, c.offset)) for c in chunks)
    extension = content.detect(data)
    if extension is None:
        _refuse(file, "wrong_type")
        raise UploadError("wrong_type", WRONG_TYPE, conversation.language)
    try:
        verdict = scanning.scan(data)
    except scanning.ScannerDown:
        log.warning("virus scanner unavailable: upload refused for now")
        _refuse(file, "scanner_down")
        raise UploadError(
            "scanner_down", N_("The file could not be checked for viruses. Try again later"), conversation.language
        ) from None
    if verdict == scanning.INFECTED:
        _refuse(file, "infected")
        raise UploadError("infected", N_("The file contains a virus and was not added"), conversation.language)
    place = backend()
    place.put(file.id, seal(data, _file_aad(file.id)))
    db.session.execute(delete(EvidenceChunk).where(EvidenceChunk.file_id == file.id))
    file.status, file.extension, file.media_type = "complete", extension, ALLOWED_TYPES[extension]
    file.sha256, file.scan, file.location = hashlib.sha256(data).hexdigest(), verdict, place.name
    audit.record("evidence-upload", f"file:{file.id}")


def _refuse(file: EvidenceFile, reason: str) -> None:
    """Drop the upload now and record why; committed even though the caller then raises."""
    _delete([file])
    audit.record("evidence-refused", f"file:{file.id}:{reason}"[:64], outcome="refused")
    db.session.commit()


def _delete(files: list[EvidenceFile]) -> None:
    ids = [f.id for f in files]
    if not ids:
        return
    for name in {f.location for f in files if f.status == "complete"}:
        backend(name).delete([f.id for f in files if f.location == name and f.status == "complete"])
    db.session.execute(delete(EvidenceChunk).where(EvidenceChunk.file_id.in_(ids)))
    db.session.execute(delete(EvidenceFile).where(EvidenceFile.id.in_(ids)))


def _may_be_allowed(head: bytes) -> bool:
    """The first chunk already shows most wrong files: a DOCX starts as any zip archive does."""
    guessed = filetype.guess(head)
    return guessed is not None and (guessed.extension in ALLOWED_TYPES or guessed.extension == "zip")


def _draft(conversation_id: str, user: User) -> Conversation:
    conversation = store.get_conversation(db.session, conversation_id, for_update=True)
    if conversation is None or not may_work_on(user, conversation) or conversation.status != "draft":
        db.session.rollback()
        raise NotFound(conversation_id)
    return conversation


def _upload(file_id: str, user: User, for_update: bool = False) -> tuple[EvidenceFile, Conversation]:
    file = db.session.get(EvidenceFile, file_id) if isinstance(file_id, str) else None
    if file is None:
        raise NotFound(file_id)
    conversation = store.get_conversation(db.session, file.conversation_id, for_update=for_update)
    if conversation is None or not may_work_on(user, conversation) or conversation.status != "draft":
        raise NotFound(file_id)
    if for_update:
        db.session.refresh(file)  # read again under the draft's lock
    return file, conversation


def _asks_for_files(conversation: Conversation, question_id: str) -> bool:
    from ..conversations import engine_for  # the service that knows the flows

    question = engine_for(conversation).flow.questions.get(question_id)
    return question is not None and question.kind == "upload"


def _chunk_aad(file_id: str, offset: int) -> bytes:
    return f"evidence_chunks.data:{file_id}:{offset}".encode()


def _file_aad(file_id: str) -> bytes:
    return f"evidence.file:{file_id}".encode()


def add_whole(conversation_id: str, question_id: str, data: bytes, description: str, user: User) -> EvidenceFile:
    """A file sent in one request (the form without JavaScript), stored as the chunks of an upload."""
    file = create(conversation_id, question_id, len(data), user, description)
    for offset in range(0, len(data), CHUNK_BYTES):
        file = append(file.id, offset, data[offset : offset + CHUNK_BYTES], user)
    return file
