"""Server CPU time of one chat turn, in-process: no network, no other clients, little disturbed by other load.

    .venv/bin/python bench/turn_cpu.py [--answers 400] [--database sqlite|postgresql]

A throw-away database (an SQLite file, or PostgreSQL on loopback), a first responder signed in through the
sign-in page with Flask's test client, and one Flask-SocketIO test client answering adult referrals
(tests/scenarios.py's synthetic answers) one answer after another, starting a new referral at each
review. Counts the process's CPU time (not the wall clock: other work on the machine waits outside it) per
`answer` event, handled as the server handles it (the session check, the read, the engine, the
commit, the lean acknowledgement), less the Socket.IO transport itself, which the test client skips, and
PostgreSQL's own work. Prints the median of five blocks, and the median CPU time of the answer that
brings the review (the costliest: it renders every answer for checking), over the referrals completed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher, profiles

from assistant import create_app
from assistant.accounts import users
from assistant.extensions import db, socketio
from tests.conftest import Staff, first_list_values
from tests.databases import throwaway_database
from tests.scenarios import ROUTES, synthetic_answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    users.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))
    lists = first_list_values()
    route = ROUTES["adult-consent-with-support"]
    with tempfile.TemporaryDirectory() as folder, throwaway_database(args.database, Path(folder)) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url}, env="test")
        with app.app_context():
            db.create_all()
        web = Staff(app).client("first-responder")
        client = socketio.test_client(app, flask_test_client=web)
        ids = iter(range(10**9))

        def call(event: str, payload: dict[str, Any]) -> dict[str, Any]:
            ack = client.emit(event, payload, callback=True)
            if not isinstance(ack, dict) or not ack.get("ok"):
                raise SystemExit(f"{event} failed: {ack}")
            return ack

        turn = call("start", {"flow": "nrm", "language": "en"})
        conversation = turn["conversation_id"]
        blocks: list[float] = []
        reviews: list[float] = []  # the answers that brought the review
        per_block = max(1, args.answers // 5)
        for _ in range(5):
            began = time.process_time()
            for _ in range(per_block):
                prompt = turn.get("prompt")
                if prompt is None:  # the review: a new referral (not counted in the answers' time)
                    paused = time.process_time()
                    turn = call("start", {"flow": "nrm", "language": "en"})
                    conversation = turn["conversation_id"]
                    began += time.process_time() - paused
                    prompt = turn["prompt"]
                qid = prompt["question_id"]
                value = route.get(qid, prompt.get("previous") or synthetic_answer(prompt, lists))
                payload = {"conversation_id": conversation, "question_id": qid, "value": value}
                answered = time.process_time()
                turn = call("answer", {**payload, "client_msg_id": f"m{next(ids)}"})
                if "review" in turn:
                    reviews.append((time.process_time() - answered) * 1000)
            blocks.append((time.process_time() - began) * 1000 / per_block)
        client.disconnect()
        with app.app_context():
            db.engine.dispose()
    print("CPU ms per answer, five blocks:", ", ".join(f"{b:.2f}" for b in blocks))
    print(f"median: {statistics.median(blocks):.2f} ms")
    if reviews:
        print(f"the answer that brings the review, median of {len(reviews)}: {statistics.median(reviews):.2f} ms")


if __name__ == "__main__":
    main()
