"""Encrypted JSON columns: AES-256-GCM with a random nonce, a key id for rotation, and the column's
name as associated data, so a value copied into another column does not decrypt.

Stored as ``v1:<key id>:<base64(nonce | ciphertext)>``. Keys come from configuration, never from the
database. Rotation: put a new key first; old rows keep decrypting with the old key.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class Keyring:
    def __init__(self) -> None:
        self._keys: dict[str, AESGCM] = {}
        self._primary: str | None = None

    def configure(self, spec: str) -> None:
        """Load keys from ``"id:base64key,id2:base64key2"``; the first one encrypts."""
        keys: dict[str, AESGCM] = {}
        for item in spec.split(","):
            key_id, _, encoded = item.strip().partition(":")
            raw = base64.b64decode(encoded)
            if not key_id or len(raw) != 32:
                raise ValueError("each data encryption key is 'id:<base64 of 32 bytes>'")
            keys[key_id] = AESGCM(raw)
        self._keys, self._primary = keys, next(iter(keys))

    def encrypt(self, plaintext: bytes, aad: bytes) -> str:
        if self._primary is None:
            raise RuntimeError("no data encryption key is configured")
        nonce = os.urandom(12)
        sealed = self._keys[self._primary].encrypt(nonce, plaintext, aad)
        return f"v1:{self._primary}:{base64.b64encode(nonce + sealed).decode()}"

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        if self._primary is None:
            raise RuntimeError("no data encryption key is configured")
        nonce = os.urandom(12)
        return f"v1:{self._primary}:".encode() + nonce + self._keys[self._primary].encrypt(nonce, plaintext, aad)

    def unseal(self, stored: bytes, aad: bytes) -> bytes:
        version, key_id, raw = stored.split(b":", 2)
        if version != b"v1" or key_id.decode() not in self._keys:
            raise ValueError(f"cannot decrypt: unknown key {key_id!r}")
        return self._keys[key_id.decode()].decrypt(raw[:12], raw[12:], aad)

    def decrypt(self, stored: str, aad: bytes) -> bytes:
        version, key_id, encoded = stored.split(":", 2)
        if version != "v1" or key_id not in self._keys:
            raise ValueError(f"cannot decrypt: unknown key {key_id!r}")
        raw = base64.b64decode(encoded)
        return self._keys[key_id].decrypt(raw[:12], raw[12:], aad)


keyring = Keyring()


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value encrypted at rest. ``purpose`` (e.g. "conversations.snapshot") is bound as AAD."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        plaintext = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
        return keyring.encrypt(plaintext, self.purpose.encode())

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(keyring.decrypt(value, self.purpose.encode()))


def seal(plaintext: bytes, aad: bytes) -> bytes:
    """Bytes encrypted as the columns are, and kept as bytes: ``v1:<key id>:`` then nonce and ciphertext."""
    return keyring.seal(plaintext, aad)


def unseal(stored: bytes, aad: bytes) -> bytes:
    return keyring.unseal(stored, aad)
