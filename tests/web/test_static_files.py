"""Static files come compressed and cacheable from the app itself, with the security headers (WhiteNoise)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import brotli
import pytest

from assistant.static_files import built, content_version

ROOT = Path(__file__).resolve().parents[2]


def versioned(page: str, name: str) -> str:
    found = re.search(rf'"(/static/[0-9a-f]{{12}}/{re.escape(name)})"', page)
    assert found, f"the page does not link {name} by a versioned URL"
    return found.group(1)


@pytest.fixture
def chat_page(staff: Any) -> tuple[Any, str]:
    web = staff.client("first-responder")
    return web, web.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_a_script_comes_compressed_and_cached_for_a_year(
    chat_page: tuple[Any, str], encoding: str, decompress: Any
) -> None:
    web, page = chat_page
    url = versioned(page, "bundle/main.js")
    response = web.get(url, headers={"Accept-Encoding": encoding}, buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert decompress(response.get_data()) == (ROOT / "static" / "bundle" / "main.js").read_bytes()


def test_static_files_keep_the_security_headers(chat_page: tuple[Any, str]) -> None:
    web, page = chat_page
    response = web.get(versioned(page, "bundle/main.js"), headers={"Accept-Encoding": "br"}, buffered=True)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_every_static_link_names_the_version(chat_page: tuple[Any, str], staff: Any) -> None:
    _web, page = chat_page
    for name in ("bundle/main.js", "favicon.svg"):
        versioned(page, name)
    sign_in_page = staff.client("caseworker").get("/casework/", follow_redirects=True).get_data(as_text=True)
    versioned(sign_in_page, "staff.css")
    assert '"/static/' + "bundle" not in page  # nothing unversioned, which would be cached a minute only


def test_an_unversioned_address_still_answers_but_briefly_cached(chat_page: tuple[Any, str]) -> None:
    web, _page = chat_page
    response = web.get("/static/bundle/main.js", headers={"Accept-Encoding": "identity"}, buffered=True)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == "max-age=60, public"


def test_the_chats_bundle_is_built_from_its_sources_as_they_are() -> None:
    # static/bundle/ (esbuild, at `make setup`) is what the page loads: tests of an edit to static/chat/
    # would otherwise run the scripts as they were before it.
    bundle = ROOT / "static" / "bundle" / "main.js"
    assert bundle.is_file(), "static/bundle/ is missing: run make setup"
    edited = [p.name for p in (ROOT / "static" / "chat").glob("*.js") if p.stat().st_mtime > bundle.stat().st_mtime]
    assert not edited, f"{edited} changed since static/bundle/ was built: run make setup"


def test_a_changed_file_gets_a_new_version_and_its_own_compressed_copies(tmp_path: Path) -> None:
    source = tmp_path / "static"
    source.mkdir()
    (source / "a.js").write_text("let a = 1;\n" * 200)
    before = content_version(source)
    folder = built(source, tmp_path / "build", before)
    assert sorted(p.name for p in folder.iterdir()) == ["a.js", "a.js.br", "a.js.gz"]
    (source / "a.js").write_text("let a = 2;\n" * 200)
    after = content_version(source)
    assert after != before
    assert gzip.decompress((built(source, tmp_path / "build", after) / "a.js.gz").read_bytes()).startswith(
        b"let a = 2;"
    )
