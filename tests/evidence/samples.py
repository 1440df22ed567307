"""Synthetic files of each allowed type, and impostors, made in memory for the tests."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

# Somewhere in the North Sea: a synthetic location to prove it does not survive into a thumbnail.
GPS = {1: "N", 2: (56.0, 0.0, 0.0), 3: "E", 4: (2.0, 0.0, 0.0)}


def jpeg(size: tuple[int, int] = (64, 48), with_location: bool = True) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    if with_location:
        exif[0x010F] = "Synthetic Camera"  # Make
        exif[0x8825] = GPS  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx(body: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(body, '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


def doc() -> bytes:
    """The OLE2 compound file header Word 97-2003 documents start with, then the Word stream's own
    signature (its file information block) in the next sector."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    return header + b"\xec\xa5\xc1\x00" + bytes(2048)


def executable() -> bytes:
    return b"MZ\x90\x00" + bytes(200)


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "synthetic")
    return out.getvalue()
