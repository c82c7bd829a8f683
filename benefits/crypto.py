"""Encrypting bank account details at rest: Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`).

Keys come from settings.BENEFITS_ACCOUNT_KEYS (newest first: MultiFernet encrypts with the first and
decrypts with any, so a key can be rotated). Without keys (development, tests) a key is derived from
SECRET_KEY, so a checkout works out of the box; production sets its own.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"hana.benefits.accounts:{secret_key}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.BENEFITS_ACCOUNT_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The clear text, or "" when the token cannot be read (erased, or a key no longer configured)."""
    if not token:
        return ""
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def seal(number: str, holder: str) -> str:
    """An account number and its holder's name as one token."""
    return encrypt(json.dumps([number, holder], ensure_ascii=False))


def unseal(token: str) -> tuple[str, str]:
    """(number, holder); ("", "") when the token cannot be read."""
    text = decrypt(token)
    if not text:
        return "", ""
    number, holder = json.loads(text)
    return number, holder
