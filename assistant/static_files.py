"""Static files served compressed and cacheable by the app itself (WhiteNoise), embedded server included.

At start-up the static folder is copied once per content version into the instance folder, with a gzip
and a Brotli copy of each file worth compressing beside it; WhiteNoise then serves whichever the browser
accepts. Pages link ``/static/<version>/…`` (``static_url`` in templates), where ``<version>`` is a hash
of every static file: such a URL never changes its content, so it is cached for a year (immutable), and
a changed file gets new URLs. Relative module imports (``./page.js``) stay within the same version. The
unversioned ``/static/…`` still answers, cached for a minute only. The security headers still apply:
the middleware of assistant/response_headers.py wraps this one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

if TYPE_CHECKING:
    from flask import Flask

UNVERSIONED_MAX_AGE = 60  # seconds: links that do not name a version may see an edit a minute late


def content_version(folder: Path) -> str:
    """A short hash of every file's path and bytes: it changes whenever any static file does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def built(source: Path, target_root: Path, version: str) -> Path:
    """``target_root/version``: the static files with their .gz and .br copies, made once per version.

    Made in a temporary folder and renamed into place, so that processes starting together never see
    half of it."""
    target = target_root / version
    if target.is_dir():
        return target
    target_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=target_root))
    try:
        shutil.copytree(source, scratch, dirs_exist_ok=True)
        compressor = Compressor(quiet=True)
        for folder, _dirs, names in os.walk(scratch):
            for name in names:
                if compressor.should_compress(name):
                    compressor.compress(os.path.join(folder, name))
        os.chmod(scratch, 0o755)  # noqa: S103 -- public files, served to anyone; mkdtemp made it owner-only
        try:
            scratch.rename(target)
        except OSError:  # another process put the same version in place first
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def serve_static(app: Flask) -> None:
    """Wrap the app in WhiteNoise for /static/, and give templates ``static_url(path)``."""
    source = Path(app.static_folder or "static")
    version = content_version(source)
    folder = built(source, Path(app.instance_path) / "static-build", version)
    versioned = f"/static/{version}/"
    middleware = WhiteNoise(
        app.wsgi_app,
        max_age=UNVERSIONED_MAX_AGE,
        allow_all_origins=False,
        immutable_file_test=lambda _path, url: url.startswith(versioned),
    )
    middleware.add_files(str(folder), prefix=versioned)
    middleware.add_files(str(folder), prefix="/static/")
    app.wsgi_app = middleware  # type: ignore[method-assign]  # middleware, as Flask documents
    app.extensions["static_version"] = version
    app.add_template_global(lambda path: versioned + path, "static_url")
