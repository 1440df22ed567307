"""The translator's workspace: page weight and server time per page, in-process.

    .venv/bin/python bench/translate_pages.py [--runs 10] [--language cy]

Creates a synthetic translator on a throw-away SQLite database, signs in through the sign-in page
with Flask's test client, then fetches each page `--runs` times after one warm-up. Reports each page's
size as served and gzip -9 (what a compressing proxy sends), and the median server time.
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher, profiles

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from assistant import create_app
from assistant.accounts import users
from assistant.extensions import db

PASSWORD = "correct horse battery staple"  # synthetic
PAGES = ["", "?group=ui:admin", "?q=report", "?state=untranslated", "/preview/nrm/reference", "/cards/emergency"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--language", default="cy")
    args = parser.parse_args()
    users.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"}, env="test")
        with app.app_context():
            db.create_all()
            unit = users.ensure_organisation(db.session, "single-competent-authority", "Unit", "unit")
            user = users.create_user(db.session, "translator@example.org", "Synthetic", "translator", unit, PASSWORD)
            user.languages = [args.language]
            db.session.commit()
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
        assert token
        data = {"csrf_token": token.group(1), "email": "translator@example.org", "password": PASSWORD}
        client.post("/sign-in", data=data)
        print(f"{'page':<40} {'bytes':>8} {'gzip -9':>8} {'median ms':>10}")
        for suffix in PAGES:
            url = f"/translate/{args.language}{suffix}"
            body = client.get(url).data
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                body = client.get(url).data
                times.append((time.perf_counter() - start) * 1000)
            print(f"{url:<40} {len(body):>8} {len(gzip.compress(body, 9)):>8} {statistics.median(times):>10.1f}")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
