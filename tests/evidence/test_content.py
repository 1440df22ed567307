"""The type of a file comes from its content, never its name."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from assistant.evidence import content
from tests.evidence import samples


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.jpeg(), "jpg"),
        (samples.png(), "png"),
        (samples.pdf(), "pdf"),
        (samples.docx(), "docx"),
        (samples.doc(), "doc"),
    ],
)
def test_each_allowed_type_is_recognised_by_its_content(data: bytes, expected: str) -> None:
    assert content.detect(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        samples.executable(),
        samples.plain_zip(),  # a zip archive that is not a Word document
        samples.docx(body="word/other.xml"),
        b"just some text that calls itself a PDF",
        samples.png()[:20],  # a PNG header with no image after it
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    assert content.detect(data) is None


def test_a_thumbnail_keeps_no_exif_and_no_location() -> None:
    original = samples.jpeg(size=(1200, 900))
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x8825)  # the synthetic photo has a location

    small = content.thumbnail(original)

    with Image.open(io.BytesIO(small)) as image:
        assert max(image.size) <= 320
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"Synthetic Camera" not in small
