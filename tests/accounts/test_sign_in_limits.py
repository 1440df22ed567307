"""Sign-in limits: only failures count, a guesser is slowed without locking the owner out, and the
limits see each client's own address behind the load balancer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from babel.dates import format_timedelta
from flask import Flask
from flask.testing import FlaskClient

from assistant import trust_proxies
from assistant.accounts import sign_in_throttle
from assistant.extensions import db
from assistant.storage.models import AuditEntry
from tests.conftest import PASSWORD, Staff, csrf
from tests.databases import need_service
from tests.e2e.conftest import REDIS

OWNER, ATTACKER, OTHER = "198.51.100.7", "203.0.113.5", "192.0.2.44"  # documentation addresses


def attempt(client: FlaskClient, email: str, password: str = PASSWORD, **query: str) -> Any:
    token = csrf(client.get("/sign-in", query_string=query).text)
    return client.post("/sign-in", query_string=query, data={"csrf_token": token, "email": email, "password": password})


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


class Clock:
    """Moves the limits' clock (and the throttle's) forward without waiting."""

    def __init__(self) -> None:
        import time

        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    import limits.storage.memory

    fake = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(sign_in_throttle, "time", fake)
    return fake


# 1. Only failures count, a success clears them, and the refusal is a page of the service --------


def test_signing_in_again_and_again_is_never_refused(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    client = app.test_client()
    for _ in range(8):  # a worker who uses quick exit signs in many times a day
        assert attempt(client, user.email).status_code == 302
        client.post("/sign-out", data={"csrf_token": csrf(client.get("/account").text)})


def test_a_success_clears_the_accounts_failures(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    client = app.test_client()
    codes = [attempt(client, user.email, "wrong password").status_code for _ in range(4)]
    codes.append(attempt(client, user.email).status_code)
    client.post("/sign-out", data={"csrf_token": csrf(client.get("/account").text)})
    codes += [attempt(client, user.email, "wrong password").status_code for _ in range(4)]
    assert codes == [200] * 4 + [302] + [200] * 4


def test_the_refusal_is_a_page_in_the_users_language_with_quick_exit(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    client = app.test_client()
    codes = [attempt(client, user.email, "wrong password", lang="cy").status_code for _ in range(6)]
    assert codes == [200] * 4 + [429] * 2
    refused = attempt(client, user.email, lang="cy")  # the right password waits too
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert '<html lang="cy"' in refused.text
    assert 'class="quick-exit"' in refused.text
    assert format_timedelta(dt.timedelta(minutes=1), add_direction=True, locale="cy") in refused.text
    assert re.search(r'href="/static/[0-9a-f]{12}/form.css"', refused.text)  # styled like the sign-in page


def test_a_lock_out_is_in_the_audit_trail(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    client = app.test_client()
    for _ in range(5):
        attempt(client, user.email, "wrong password")
    with app.app_context():
        entries = db.session.query(AuditEntry).filter_by(action="sign-in-throttled").all()
        assert [(e.target, e.outcome, e.actor_id) for e in entries] == [(f"user:{user.id}", "refused", None)]


# 2. A guesser is slowed; the owner elsewhere is not ----------------------------------------------


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    attacker = from_address(app, ATTACKER)
    codes = [attempt(attacker, user.email, "wrong password").status_code for _ in range(8)]
    assert codes[-1] == 429
    assert attempt(from_address(app, OWNER), user.email).status_code == 302


def test_each_wait_is_twice_the_last(app: Flask, staff: Staff, clock: Clock) -> None:
    user = staff.user("first-responder")
    attacker = from_address(app, ATTACKER)
    waits = []
    for _ in range(4):
        attempt(attacker, user.email, "wrong password")
    for _ in range(4):
        refused = attempt(attacker, user.email, "wrong password")
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        assert attempt(attacker, user.email).status_code == 429  # not even the right password, yet
        clock.now += waits[-1] + 1
    assert waits == [60, 120, 240, 480]
    assert attempt(attacker, user.email).status_code == 302  # the wait over, the right password works


def test_an_ipv6_guesser_moving_within_its_network_is_one_address(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    codes = [attempt(from_address(app, f"2001:db8::{n}"), user.email, "wrong password").status_code for n in range(5)]
    assert codes == [200] * 4 + [429]
    assert attempt(from_address(app, "2001:db8:1::1"), user.email).status_code == 302  # another network


def test_ipv4_clients_seen_through_ipv6_keep_their_own_addresses(app: Flask, staff: Staff) -> None:
    user = staff.user("first-responder")
    for _ in range(5):
        attempt(from_address(app, "::ffff:203.0.113.5"), user.email, "wrong password")
    assert attempt(from_address(app, "::ffff:198.51.100.7"), user.email).status_code == 302


def test_one_address_guessing_across_accounts_is_slowed(app: Flask, staff: Staff) -> None:
    sprayer = from_address(app, ATTACKER)
    limit = sign_in_throttle.PER_ADDRESS.amount
    codes = [attempt(sprayer, f"guess-{n}@example.org", "Password1").status_code for n in range(limit + 1)]
    assert codes == [200] * (limit - 1) + [429] * 2
    assert attempt(from_address(app, OTHER), "guess-0@example.org", "Password1").status_code == 200


def test_under_a_distributed_attack_each_address_gets_one_try(
    app: Flask, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sign_in_throttle, "PER_ACCOUNT", sign_in_throttle.parse("3 per hour"))
    user = staff.user("first-responder")
    codes = [attempt(from_address(app, f"203.0.113.{n}"), user.email, "wrong password").status_code for n in range(3)]
    assert codes == [200, 200, 429]  # the third failure in the hour puts the account under attack
    fresh = from_address(app, "203.0.113.99")
    assert attempt(fresh, user.email, "wrong password").status_code == 429  # one failure, then waits
    assert attempt(from_address(app, OWNER), user.email).status_code == 302  # the owner is never locked out


def test_every_worker_shares_the_counts_through_redis(
    app: Flask, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_service(6379, "Redis")
    from limits.storage import storage_from_string

    from assistant.extensions import limiter

    user = staff.user("first-responder")
    monkeypatch.setattr(limiter, "_storage", storage_from_string(REDIS))  # this worker
    codes = [attempt(from_address(app, ATTACKER), user.email, "wrong password").status_code for _ in range(5)]
    assert codes == [200] * 4 + [429]
    monkeypatch.setattr(limiter, "_storage", storage_from_string(REDIS))  # another worker, its own connection
    with app.test_request_context():
        assert 0 < sign_in_throttle.wait(user.email, ATTACKER) <= 61  # Redis keeps expiry to the second
    assert attempt(from_address(app, OWNER), user.email).status_code == 302


# 3. Behind the load balancer, each client has its own limits --------------------------------------


def fail_five_times(app: Flask, email: str, forwarded_for: str) -> list[int]:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the load balancer
    headers = {"X-Forwarded-For": forwarded_for}
    codes = []
    for _ in range(5):
        token = csrf(client.get("/sign-in", headers=headers).text)
        data = {"csrf_token": token, "email": email, "password": "wrong password"}
        codes.append(client.post("/sign-in", data=data, headers=headers).status_code)
    return codes


def test_with_a_trusted_proxy_each_forwarded_client_has_its_own_limit(
    app: Flask, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)
    trust_proxies(app)
    user = staff.user("first-responder")
    assert fail_five_times(app, user.email, ATTACKER)[-1] == 429
    assert fail_five_times(app, user.email, OWNER) == [200] * 4 + [429]  # its own bucket, not the attacker's


def test_without_trusted_proxies_the_forwarded_header_is_ignored(app: Flask, staff: Staff) -> None:
    assert app.config["TRUSTED_PROXIES"] == 0
    user = staff.user("first-responder")
    assert fail_five_times(app, user.email, "198.51.100.1")[:3] == [200] * 3
    assert fail_five_times(app, user.email, "198.51.100.2") == [429] * 5  # a forged header gains nothing
