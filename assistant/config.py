"""Configuration classes keyed by environment. This is the only module that reads os.environ."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Config:
    ENV_NAME = "base"
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    # Comma-separated "key-id:base64-32-byte-key"; the first key encrypts, all keys decrypt.
    DATA_ENCRYPTION_KEYS: str | None = os.environ.get("DATA_ENCRYPTION_KEYS")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    SOCKETIO_MESSAGE_QUEUE: str | None = os.environ.get("SOCKETIO_MESSAGE_QUEUE")
    # Origins allowed to open a Socket.IO connection; None means "the server's own origin only".
    SOCKETIO_ALLOWED_ORIGINS: list[str] | None = (
        os.environ["ALLOWED_ORIGINS"].split(",") if os.environ.get("ALLOWED_ORIGINS") else None
    )
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many proxies (load balancers) in front of the service to believe about the client's address
    # and scheme (X-Forwarded-For, X-Forwarded-Proto). 0 believes no header: a client could forge it.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    EVENTS_PER_MINUTE = int(os.environ.get("EVENTS_PER_MINUTE", "120"))
    # Drafts whose last stored state a process keeps, to work out their next event without a read
    # (assistant/recent_turns.py); 0 keeps none.
    RECENT_TURNS = int(os.environ.get("RECENT_TURNS", "5000"))
    # The central unit's RabbitMQ broker; `flask intake relay` hands referrals over to it.
    INTAKE_BROKER_URL = os.environ.get("INTAKE_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
    INTAKE_QUEUE = os.environ.get("INTAKE_QUEUE", "nrm.intake")
    # Drafts untouched for this many days are deleted by `flask conversations purge` (run it daily).
    DRAFT_RETENTION_DAYS = int(os.environ.get("DRAFT_RETENTION_DAYS", "30"))
    # Evidence files (docs/data-protection.md, "Files"): kept in the database unless a bucket of an
    # S3-compatible object store is named; scanned by ClamAV's daemon when its socket is given.
    EVIDENCE_S3_BUCKET = os.environ.get("EVIDENCE_S3_BUCKET", "")
    EVIDENCE_S3_ENDPOINT_URL = os.environ.get("EVIDENCE_S3_ENDPOINT_URL", "")
    CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
    # Between a positive Reasonable Grounds decision and the Conclusive Grounds decision (England and Wales).
    RECOVERY_PERIOD_DAYS = int(os.environ.get("RECOVERY_PERIOD_DAYS", "30"))
    # The Reasonable Grounds decision is due within this many working days of the referral.
    RG_TARGET_WORKING_DAYS = int(os.environ.get("RG_TARGET_WORKING_DAYS", "5"))
    FLOWS_DIR = str(ROOT / "flows")
    # The flow a new referral starts on (the chat, the form without JavaScript, `flask i18n status`).
    DEFAULT_FLOW = os.environ.get("DEFAULT_FLOW", "nrm")
    LISTS_DIR = str(ROOT / "flows" / "lists")
    CARDS_FILE = str(ROOT / "flows" / "cards" / "victim.yaml")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    BABEL_DEFAULT_LOCALE = "en"
    STATIC_DIR = str(ROOT / "static")
    MAX_CONTENT_LENGTH = 256 * 1024
    # The longest answer (15,000 characters) escaped as \uXXXX surrogate pairs by some clients.
    MAX_EVENT_BYTES = 256 * 1024
    # A form's CSRF token lasts as long as the signed-in session it is bound to (which has its own
    # idle and absolute time-outs), not an hour: a chat open longer must still be able to sign out.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    FORCE_HTTPS = True
    CREATE_DEV_SECRETS = False


class Development(Config):
    ENV_NAME = "development"
    FORCE_HTTPS = False
    CREATE_DEV_SECRETS = True  # a random key pair in the instance folder, never committed


class Test(Config):
    ENV_NAME = "test"
    TESTING = True
    FORCE_HTTPS = False
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - tests only
    DATA_ENCRYPTION_KEYS = "test:" + "dGVzdC1rZXktMzItYnl0ZXMtbG9uZy0wMTIzNDU2Nzg="
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    EVENTS_PER_MINUTE = 100_000


class Production(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"


configs: dict[str, type[Config]] = {
    "development": Development,
    "test": Test,
    "production": Production,
}


def config_for(name: str | None = None) -> type[Config]:
    return configs[name or os.environ.get("ASSISTANT_ENV", "development")]
