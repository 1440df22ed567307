"""What a file is, from its bytes rather than its name, and images made safe to show."""

from __future__ import annotations

import io
import zipfile

import filetype
from PIL import Image, ImageOps

from ..engine.kinds.upload import ALLOWED_TYPES

THUMBNAIL_SIZE = (320, 320)
IMAGES = {"jpg", "png"}


def detect(data: bytes) -> str | None:
    """The allowed type (``jpg``, ``png``, ``pdf``, ``doc``, ``docx``) the content is, or None."""
    guessed = filetype.guess(data)
    extension = guessed.extension if guessed is not None else None
    if extension == "zip" or extension == "docx":
        return "docx" if _is_word_document(data) else None
    if extension in IMAGES:
        return extension if _is_image(data) else None
    return extension if extension in ALLOWED_TYPES else None


def _is_word_document(data: bytes) -> bool:
    """A DOCX file is a zip archive holding the document's body at word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def _is_image(data: bytes) -> bool:
    """The header says image; the decoder must agree, or it cannot be shown as a thumbnail."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:
        return False
    return True


def thumbnail(data: bytes) -> bytes:
    """A small PNG of the image, upright, drawn from its pixels only: no EXIF (so no location) or
    other metadata is carried over."""
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail(THUMBNAIL_SIZE)
        pixels = upright.convert("RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB")
        clean = Image.new(pixels.mode, pixels.size)
        clean.paste(pixels)
        out = io.BytesIO()
        clean.save(out, format="PNG")
    return out.getvalue()
