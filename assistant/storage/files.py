"""Files that hold secrets or personal data: readable by their owner only, from the moment they exist.

Creating a file with the mode set at once (not chmod afterwards) leaves no moment when another
account on the machine could open it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> None:
    """Make the folder (and its parents) if missing; a folder made here is the owner's only."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def create_private(path: Path) -> None:
    """Create an empty file readable and writable by the owner only, unless it exists already."""
    private_folder(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def write_private(path: Path, content: str) -> None:
    """Write a new file that only its owner can read."""
    private_folder(path.parent)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), "w") as file:
        file.write(content)
