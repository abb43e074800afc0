"""One-time codes by email and SMS (ワンタイムコード): pure rules.

Six digits, valid for ten minutes, five tries; a new code replaces the pending one, at most one a
minute (an SMS costs the office money, and a flood of codes would help a guesser). Only a salted
SHA-256 of the code is stored: the table leaks no code. Five tries of a million codes leaves a
guesser 1 in 200,000 for each code sent to someone else's phone or mailbox.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from node.clock import Randomness

CODE_DIGITS = 6
LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
SALT_BYTES = 16
HASH_PURPOSE = b"kippu campaign one-time code v1\x00"
_SPACE = str.maketrans("", "", " -")


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    EXPIRED = "expired"  # or none pending
    LOCKED = "locked"  # no tries left


@dataclass(frozen=True)
class PendingCode:
    campaign_id: str
    customer_id: str
    channel: Channel
    subject: str  # the email address, or the phone number in E.164
    salt: bytes
    code_hash: bytes
    sent_at: datetime
    expires_at: datetime
    tries_left: int


def draw_code(rng: Randomness) -> str:
    """Six uniform digits (a draw past the last whole million is drawn again: no bias)."""
    limit = (1 << 32) - (1 << 32) % 10**CODE_DIGITS
    while True:
        value = int.from_bytes(rng.token_bytes(4), "big")
        if value < limit:
            return f"{value % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def code_digest(salt: bytes, code: str) -> bytes:
    return hashlib.sha256(HASH_PURPOSE + salt + code.encode("ascii")).digest()


def new_pending(
    campaign_id: str,
    customer_id: str,
    channel: Channel,
    subject: str,
    code: str,
    salt: bytes,
    now: datetime,
) -> PendingCode:
    return PendingCode(
        campaign_id,
        customer_id,
        channel,
        subject,
        salt,
        code_digest(salt, code),
        now,
        now + LIFETIME,
        MAX_TRIES,
    )


def may_resend(earlier: PendingCode | None, now: datetime) -> bool:
    return earlier is None or now >= earlier.sent_at + RESEND_AFTER


def typed_code(typed: str) -> str | None:
    """The six digits typed (full-width and spaces allowed), or None: not a code at all."""
    digits = unicodedata.normalize("NFKC", typed).strip().translate(_SPACE)
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else None


def check(pending: PendingCode | None, code: str, now: datetime) -> Outcome:
    """What a typed code (six digits) does to the pending one; a wrong one costs a try."""
    if pending is None or now >= pending.expires_at:
        return Outcome.EXPIRED
    if pending.tries_left <= 0:
        return Outcome.LOCKED
    if hmac.compare_digest(code_digest(pending.salt, code), pending.code_hash):
        return Outcome.ACCEPTED
    return Outcome.WRONG
