"""Scanning a file with ClamAV's daemon before it is accepted, when ``CLAMD_SOCKET`` names its socket.

Without it files are not scanned, and staff see "not scanned" beside each. When the daemon is set
but cannot be reached the file is refused for now (the worker can try again): nothing unscanned
slips in while it is down.
"""

from __future__ import annotations

import io

from flask import current_app

CLEAN, INFECTED, NOT_SCANNED = "clean", "infected", "not-scanned"


class ScannerDown(Exception):
    """The daemon is configured but did not answer."""


def scan(data: bytes) -> str:
    socket_path = current_app.config.get("CLAMD_SOCKET", "")
    if not socket_path:
        return NOT_SCANNED
    import clamd  # only when a daemon is configured

    try:
        daemon = clamd.ClamdUnixSocket(path=socket_path)
        result = daemon.instream(io.BytesIO(data))
    except (clamd.ConnectionError, OSError) as error:
        raise ScannerDown(str(error)) from error
    status, _signature = result.get("stream", ("ERROR", None))
    if status == "OK":
        return CLEAN
    if status == "FOUND":
        return INFECTED
    raise ScannerDown(status)
