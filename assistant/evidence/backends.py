"""Where a complete file's encrypted bytes are kept: the database (the default) or an S3-compatible
object store when ``EVIDENCE_S3_BUCKET`` is set. Either way the bytes are sealed before they leave
the service, so the store never holds them in plaintext."""

from __future__ import annotations

from typing import Any, Protocol

from flask import current_app
from sqlalchemy import delete

from ..extensions import db
from ..storage.models import EvidenceBlob


class Backend(Protocol):
    name: str

    def put(self, file_id: str, sealed: bytes) -> None: ...

    def get(self, file_id: str) -> bytes: ...

    def delete(self, file_ids: list[str]) -> None: ...


class DatabaseBackend:
    name = "database"

    def put(self, file_id: str, sealed: bytes) -> None:
        db.session.add(EvidenceBlob(file_id=file_id, data=sealed))

    def get(self, file_id: str) -> bytes:
        blob = db.session.get(EvidenceBlob, file_id)
        if blob is None:
            raise LookupError(file_id)
        return blob.data

    def delete(self, file_ids: list[str]) -> None:
        if file_ids:
            db.session.execute(delete(EvidenceBlob).where(EvidenceBlob.file_id.in_(file_ids)))


class S3Backend:
    name = "s3"

    def __init__(self, bucket: str, endpoint_url: str | None) -> None:
        import boto3  # only when an object store is configured

        self.bucket = bucket
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url or None)

    def put(self, file_id: str, sealed: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=_key(file_id), Body=sealed)

    def get(self, file_id: str) -> bytes:
        found = self.client.get_object(Bucket=self.bucket, Key=_key(file_id))
        data: bytes = found["Body"].read()
        return data

    def delete(self, file_ids: list[str]) -> None:
        for file_id in file_ids:  # deleting a missing key is not an error in S3
            self.client.delete_object(Bucket=self.bucket, Key=_key(file_id))


def _key(file_id: str) -> str:
    return f"evidence/{file_id}"


def backend(name: str | None = None) -> Backend:
    """The configured backend, or the one a file was stored in (``name``)."""
    bucket = current_app.config.get("EVIDENCE_S3_BUCKET", "")
    if name == "database" or (name is None and not bucket):
        return DatabaseBackend()
    cached = current_app.extensions.get("evidence_s3")
    if cached is None:
        cached = current_app.extensions["evidence_s3"] = S3Backend(
            bucket, current_app.config.get("EVIDENCE_S3_ENDPOINT_URL") or None
        )
    s3: Backend = cached
    return s3
