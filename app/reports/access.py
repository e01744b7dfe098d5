"""Reviewer links: read-only access to one exercise's report without the facilitator secret.

A link carries a key derived from the facilitator secret and the exercise id (HMAC-SHA256), so the
server stores nothing and one exercise's key opens no other report. Changing the facilitator secret
revokes every reviewer link at once.
"""

from __future__ import annotations

import hashlib
import hmac

from app.security import secrets_match

KEY_HEX_CHARS = 40  # 160 bits


def report_key(secret: str, exercise_id: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"hotline-report:{exercise_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:KEY_HEX_CHARS]


def key_opens(key: str, secret: str, exercise_id: str) -> bool:
    return secrets_match(key, report_key(secret, exercise_id))
