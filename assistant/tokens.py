"""Resume tokens: an HMAC of the conversation id under a key derived from the app's secret.

Nothing to store, stable for the conversation, and unforgeable without the secret (256 bits).
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def _key(secret: str | bytes) -> bytes:
    # Flask's secret_key may be str or bytes
    return hashlib.sha256(b"resume-token\0" + (secret if isinstance(secret, bytes) else secret.encode())).digest()


def resume_token(secret: str | bytes, conversation_id: str) -> str:
    digest = hmac.new(_key(secret), conversation_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check_resume_token(secret: str | bytes, conversation_id: str, token: object) -> bool:
    # compare_digest refuses a non-ASCII str; such a token is simply wrong (a real one is base64)
    if not isinstance(token, str) or not token.isascii():
        return False
    return hmac.compare_digest(resume_token(secret, conversation_id), token)
