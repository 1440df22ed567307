"""Files given as evidence (``upload``): the answer lists the files added, each with a one-line description.

The files themselves are uploaded beforehand, over HTTP in chunks (assistant/evidence); the engine only
sees their ids and descriptions. What types and sizes are allowed is declared here, as data, so the
upload service and the pages that ask for files say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .base import CONTROL, N_, Control, Invalid, Kind, Lists, Nn_, is_storable

if TYPE_CHECKING:
    from ..spec import Question

# Types by the extension a file of that content gets, with their media types.
ALLOWED_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_BYTES = 25 * 1024 * 1024
MAX_FILES = 10  # per referral
DESCRIPTION_LENGTH = 200
FILE_ID = re.compile(r"[0-9a-f]{32}")


def validate(question: Question, value: Any, lists: Lists, today: dt.date) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise Invalid(N_("Add the files again"))
    if len(value) > MAX_FILES:
        raise Invalid(Nn_("Add %(num)s file or fewer", "Add %(num)s files or fewer"), num=MAX_FILES)
    files: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not FILE_ID.fullmatch(item["file"]):
            raise Invalid(N_("Add the files again"))
        description = item.get("description")
        if not isinstance(description, str) or not is_storable(description):
            raise Invalid(N_("Describe each file in one line"))
        description = " ".join(CONTROL.sub("", description).split())
        if not description:
            raise Invalid(N_("Describe each file in one line"))
        if len(description) > DESCRIPTION_LENGTH:
            raise Invalid(
                Nn_(
                    "Describe each file in %(num)s character or fewer",
                    "Describe each file in %(num)s characters or fewer",
                ),
                num=DESCRIPTION_LENGTH,
            )
        if any(f["file"] == item["file"] for f in files):
            continue  # the same file twice counts once
        files.append({"file": item["file"], "description": description})
    return files


def _control(prompt: Any) -> Control:
    return Control("upload", group=True)


UPLOAD = Kind("upload", validate, empty=N_("Add at least one file"), control=_control)
