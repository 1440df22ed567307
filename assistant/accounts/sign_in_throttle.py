"""How fast passwords may be guessed: failed sign-ins slow the guesser, never the account's owner.

Only failures count, in three ways:

- an account and an address together: ``FREE_FAILURES`` failures, then a wait before each further
  try that doubles (one minute, two, four, ... at most an hour). Signing in clears them.
- an address, across every account (``PER_ADDRESS``): one address spraying a common password at
  many accounts.
- an account, across every address (``PER_ACCOUNT``): past it the account is under a distributed
  attack, and each address gets one failure before its waits begin.

A refusal only ever stops the address that failed, so nobody elsewhere can lock the owner out: the
owner's right password still works from their own device. Locking an account outright would hand
every attacker a way to stop a first responder from making a referral.

The counts live in the rate limiter's storage (``RATELIMIT_STORAGE_URI``: memory for one process,
Redis shared by every worker at scale), under keyed hashes, so the store holds no email address or
IP address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time

from flask import current_app
from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter

from ..extensions import limiter

FREE_FAILURES = 5
FIRST_WAIT_SECONDS = 60
LONGEST_WAIT_SECONDS = 3600
FORGET_FAILURES_SECONDS = 24 * 3600  # an account and address's failures count for a day at most
PER_ADDRESS: RateLimitItem = parse("30 per 15 minutes")
PER_ACCOUNT: RateLimitItem = parse("100 per hour")


def wait(email: str, address: str) -> int:
    """Seconds before this address may try this account again (0: it may try now)."""
    address = _place(address)
    storage, now = _storage(), time.time()
    waits = [0.0]
    pause = _key("wait", email, address)
    if storage.get(pause):
        waits.append(storage.get_expiry(pause) - now)
    window, spot = _window(), _key("address", address)
    if not window.test(PER_ADDRESS, spot):
        waits.append(window.get_window_stats(PER_ADDRESS, spot).reset_time - now)
    return max(0, math.ceil(max(waits)))


def failed(email: str, address: str) -> int:
    """Count a failed sign-in; the wait it starts for this address (0: none yet)."""
    address = _place(address)
    storage, window = _storage(), _window()
    window.hit(PER_ADDRESS, _key("address", address))
    account = _key("account", email)
    window.hit(PER_ACCOUNT, account)
    free = FREE_FAILURES if window.test(PER_ACCOUNT, account) else 1
    failures = storage.incr(_key("failures", email, address), FORGET_FAILURES_SECONDS)
    if failures >= free:
        doublings = min(failures - free, 12)  # 2**12 minutes is far past the longest wait
        storage.incr(_key("wait", email, address), min(FIRST_WAIT_SECONDS * 2**doublings, LONGEST_WAIT_SECONDS))
    return wait(email, address)


def succeeded(email: str, address: str) -> None:
    """The owner has signed in from here: forget this address's failures for the account."""
    address = _place(address)
    _storage().clear(_key("failures", email, address))


def _storage() -> Storage:
    return limiter.storage


def _window() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(limiter.storage)


def _place(address: str) -> str:
    """An IPv6 client usually has a whole /64 to itself, so its /64 counts as one address; an IPv4
    client seen through IPv6 (::ffff:a.b.c.d) keeps its own."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _key(kind: str, *parts: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, "\0".join(parts).encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]
    return f"sign-in-{kind}/{digest}"
