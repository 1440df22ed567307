"""Files are scanned by ClamAV's daemon before they are accepted when CLAMD_SOCKET is set. The test
starts clamd with a signature database of its own: one hash signature of a synthetic file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from assistant.extensions import db
from assistant.storage.models import AuditEntry, EvidenceChunk, EvidenceFile
from tests.evidence import samples
from tests.evidence.uploading import Uploader

# A file that is an allowed type (a PNG) and matches the test's signature: it stands for malware.
FLAGGED = samples.png() + b"synthetic-signature-payload"
SIGNATURE = "Synthetic.Evidence.Test-1"


def _clamd() -> str | None:
    return shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if Path(p).exists()), None)


@pytest.fixture(scope="module")
def clamd_socket() -> Iterator[str]:
    """clamd on a Unix socket, with only a custom MD5 hash signature (.hdb) of FLAGGED."""
    command = _clamd()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("clamd is not installed (apt-get install clamav-daemon)")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon): scanning is not tested here")
    folder = Path(tempfile.mkdtemp(prefix="clamd-"))  # short: a socket path must fit in 108 bytes
    (folder / "db").mkdir()
    md5 = hashlib.md5(FLAGGED).hexdigest()
    (folder / "db" / "synthetic.hdb").write_text(f"{md5}:{len(FLAGGED)}:{SIGNATURE}\n")
    socket_path = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        f"LocalSocket {socket_path}\nDatabaseDirectory {folder / 'db'}\nForeground yes\n"
        f"LogFile {folder / 'clamd.log'}\nTemporaryDirectory {folder}\n"
    )
    daemon = subprocess.Popen(
        [command, "--config-file", str(folder / "clamd.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        import clamd

        for _ in range(300):  # it loads its database, then listens
            if daemon.poll() is not None:
                pytest.fail(f"clamd stopped: {(folder / 'clamd.log').read_text(errors='replace')[-2000:]}")
            try:
                if clamd.ClamdUnixSocket(path=str(socket_path)).ping() == "PONG":
                    break
            except (clamd.ConnectionError, OSError):
                time.sleep(0.1)
        yield str(socket_path)
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_file_matching_a_signature_is_refused_and_audited(
    app: Flask, chat: Any, clamd_socket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", clamd_socket)
    chat.start()
    refused = Uploader(chat.web, chat.conversation_id).send(FLAGGED)
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "infected"
    assert _count(app, EvidenceFile) == 0
    assert _count(app, EvidenceChunk) == 0
    with app.app_context():
        targets = db.session.scalars(select(AuditEntry.target).where(AuditEntry.action == "evidence-refused")).all()
    assert [t.rsplit(":", 1)[-1] for t in targets if t] == ["infected"]


def test_a_clean_file_is_accepted_as_scanned(
    app: Flask, chat: Any, clamd_socket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", clamd_socket)
    chat.start()
    accepted = Uploader(chat.web, chat.conversation_id).send(samples.png())
    assert accepted.status_code == 200
    assert accepted.json["complete"]
    with app.app_context():
        assert db.session.scalars(select(EvidenceFile.scan)).all() == ["clean"]


def test_with_the_scanner_configured_but_down_a_file_is_refused_for_now(
    app: Flask, chat: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(app.config, "CLAMD_SOCKET", str(tmp_path / "no-such.sock"))
    chat.start()
    refused = Uploader(chat.web, chat.conversation_id).send(samples.png())
    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "scanner_down"
    assert _count(app, EvidenceFile) == 0
