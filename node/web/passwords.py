"""Password hashing for admin and staff: argon2id (memory-hard), run off the event loop."""

from __future__ import annotations

import asyncio

import nacl.exceptions
import nacl.pwhash

from node.errors import ValidationError, WeakPassword

MIN_LENGTH = 10
MAX_LENGTH = 200
# Verified against when the login name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = nacl.pwhash.argon2id.str(b"kippu-no-such-account")


def check_strength(password: str) -> str | None:
    """Why `password` is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"A password may have at most {MAX_LENGTH} characters."
    if len(set(password)) < 4:
        return "A password needs more different characters."
    return None


def require_strong(password: str) -> None:
    """The API's check: a length outside MIN_LENGTH..MAX_LENGTH is a malformed request (400, the
    OpenAPI document states it); too few different characters is a rule it cannot state (422)."""
    problem = check_strength(password)
    if problem and MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise WeakPassword(problem, field="password")
    if problem:
        raise ValidationError(problem, field="password", min_chars=MIN_LENGTH, max_chars=MAX_LENGTH)


def hash_password(password: str) -> str:
    """argon2id with libsodium's interactive limits (64 MiB, 2 passes); blocks ~0.1-0.3 s."""
    return nacl.pwhash.argon2id.str(password.encode("utf-8")).decode("ascii")


def _matches(stored: str | None, password: str) -> bool:
    try:
        return bool(
            nacl.pwhash.verify((stored or "").encode("ascii") or _DUMMY, password.encode("utf-8"))
        )
    except (nacl.exceptions.InvalidkeyError, ValueError):
        return False


async def matches(stored: str | None, password: str) -> bool:
    """Whether `password` is the one hashed in `stored` (None: an unknown login, always False)."""
    found = await asyncio.to_thread(_matches, stored, password)
    return found and stored is not None


async def hashed(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)
