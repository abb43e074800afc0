"""Integration keys as values: the key's shape, its stored hash, its scope and what each scope
may call. Pure: no I/O, no clock, no randomness (they are passed in).

A key reads `kippu_<key id>_<secret>`: the key id (`ak_` and 13 base32 characters) finds the row,
the secret is 32 random bytes in hex. Only SHA-256 of the secret is stored. SHA-256, not a
password hash (scrypt, argon2): a password hash is slow on purpose because people choose
guessable passwords; a 256-bit random secret cannot be guessed, so a slow hash would only cost
every POS request milliseconds and buy nothing. The stored hash is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

KEY_PREFIX = "kippu_"
SECRET_BYTES = 32
MAX_NAME_CHARS = 60
KEY_SHAPE = re.compile(r"kippu_(ak_[a-z2-7]{13})_([0-9a-f]{64})")


class Scope(StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    scope: Scope
    secret_hash: bytes
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def shown_prefix(self) -> str:
        """What lists show to tell keys apart: the key's start, which holds none of its secret."""
        return f"{KEY_PREFIX}{self.key_id}_…"


@dataclass(frozen=True)
class NewKey:
    """A key just made: `key` is shown once and never stored."""

    record: ApiKey
    key: str


def secret_hash(secret_hex: str) -> bytes:
    return hashlib.sha256(secret_hex.encode("ascii")).digest()


def make_key(key_id: str, secret: bytes, name: str, scope: Scope, now: datetime) -> NewKey:
    secret_hex = secret.hex()
    record = ApiKey(key_id, name, scope, secret_hash(secret_hex), now, None, None)
    return NewKey(record, f"{KEY_PREFIX}{key_id}_{secret_hex}")


def split_key(presented: str) -> tuple[str, str] | None:
    """(key id, secret) of a string shaped like a key, else None."""
    match = KEY_SHAPE.fullmatch(presented)
    return None if match is None else (match.group(1), match.group(2))


def secret_matches(stored: ApiKey, secret_hex: str) -> bool:
    return hmac.compare_digest(stored.secret_hash, secret_hash(secret_hex))


# What a POS or an EC site needs, and nothing of head office's. Each (method, route) a key may
# call, and the scope it needs; every other route of /api/v1/ answers auth.key_not_allowed to a
# key, whatever its scope: stores, the expiry sweep, the ledger check, partners, settlement,
# audit, staff, the admin password and the keys themselves need the admin token.
# Nor may a key act as a customer: a POS redeems the payload it scanned from the customer's phone,
# so it never needs a fresh code (`GET …/code` would let it spend any voucher without its holder),
# nor a gift (moving a customer's value), nor the customer list (everyone's email).
# Points likewise: a POS earns by the member number or card it was shown, spends with the card's
# one-time code the member showed, returns its own transaction and reads a member's points; it
# never fetches a card's code (`GET …/member/card` would let it spend any member's points), never
# adjusts a balance (points made from nothing, with no purchase behind them) and never changes
# the program, a store's rate or a campaign (head office's terms for every store).
READ_ROUTES = frozenset(
    {
        ("GET", "/api/v1/status"),
        ("GET", "/api/v1/stores"),
        ("GET", "/api/v1/vouchers"),
        ("GET", "/api/v1/vouchers/{voucher_id}"),
        ("GET", "/api/v1/redemptions"),
        ("GET", "/api/v1/redemptions/{redemption_id}"),
        ("GET", "/api/v1/members/{member_no}"),
        ("GET", "/api/v1/members/{member_no}/points"),
        ("GET", "/api/v1/members/{member_no}/history"),
    }
)
WRITE_ROUTES = frozenset(
    {
        ("POST", "/api/v1/customers"),
        ("POST", "/api/v1/vouchers"),
        ("POST", "/api/v1/redemptions"),
        ("POST", "/api/v1/redemptions/{redemption_id}/void"),
        ("POST", "/api/v1/points/earn"),
        ("POST", "/api/v1/points/use"),
        ("POST", "/api/v1/points/returns"),
    }
)


def scope_needed(method: str, route: str) -> Scope | None:
    """The scope a key needs for `method` on `route` (its pattern), None when no key may."""
    if (method, route) in READ_ROUTES:
        return Scope.READ
    if (method, route) in WRITE_ROUTES:
        return Scope.WRITE
    return None


def allows(scope: Scope, needed: Scope) -> bool:
    return scope is Scope.WRITE or needed is Scope.READ
