"""Masking personal data in lists (PIPA safeguard): full values appear only on the logged record view."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """김하나 → 김*나, 이솔 → 이*, John Smith → J********h."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*" * (len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """010-1234-5678 → 010-****-5678."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}-****-{digits[-4:]}"


def mask_email(email: str) -> str:
    """hana.kim@example.kr → h*******@example.kr."""
    local, _sep, domain = email.partition("@")
    if not domain:
        return mask_name(email)
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
