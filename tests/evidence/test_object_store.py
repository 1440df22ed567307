"""Files in an S3-compatible object store when one is configured: moto's standalone server on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from assistant.extensions import db
from assistant.storage.models import EvidenceBlob
from tests.evidence import samples
from tests.evidence.referrals import submit_with_files
from tests.evidence.uploading import Uploader

BUCKET = "synthetic-evidence"
MARKER = b"SYNTHETIC-OBJECT-STORE-MARKER"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-2"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _moto_server() -> str | None:
    beside = Path(sys.executable).parent / "moto_server"
    return str(beside) if beside.exists() else shutil.which("moto_server")


@pytest.fixture
def object_store(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """moto's S3 server on a loopback port, with an empty bucket, as the app's evidence store."""
    command = _moto_server()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("moto_server is not installed (pip install -e '.[dev]')")
        pytest.skip("moto_server is not installed (pip install -e '.[dev]')")
    import boto3

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    port = _free_port()
    server = subprocess.Popen(
        [command, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # until it listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        client = boto3.client("s3", endpoint_url=endpoint)
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        monkeypatch.setitem(app.config, "EVIDENCE_S3_BUCKET", BUCKET)
        monkeypatch.setitem(app.config, "EVIDENCE_S3_ENDPOINT_URL", endpoint)
        app.extensions.pop("evidence_s3", None)
        yield client
    finally:
        app.extensions.pop("evidence_s3", None)
        server.terminate()
        server.wait(timeout=10)


def _objects(client: Any) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def test_a_file_is_kept_sealed_in_the_object_store_and_read_back(
    app: Flask, chat: Any, staff: Any, object_store: Any, list_values: dict[str, str]
) -> None:
    letter = samples.pdf().replace(b"%%EOF", MARKER * 10 + b"\n%%EOF")
    reference, [file_id] = submit_with_files(chat, [(letter, "Synthetic letter")], list_values)

    stored = _objects(object_store)
    assert list(stored) == [f"evidence/{file_id}"]
    assert stored[f"evidence/{file_id}"].startswith(b"v1:test:")
    assert MARKER not in stored[f"evidence/{file_id}"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EvidenceBlob)) == 0

    assert staff.client("caseworker").get(f"/evidence/{reference}/{file_id}").data == letter


def test_a_removed_file_leaves_the_object_store(app: Flask, chat: Any, object_store: Any) -> None:
    chat.start()
    up = Uploader(chat.web, chat.conversation_id)
    file_id = up.send(samples.png()).json["id"]
    assert list(_objects(object_store)) == [f"evidence/{file_id}"]
    assert chat.web.delete(f"/uploads/{file_id}", headers=up.headers()).status_code == 204
    assert _objects(object_store) == {}
