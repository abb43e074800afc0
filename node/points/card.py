"""The membership card's codes (会員証): a rotating one-time QR payload, its typed form, and what
a counter or POS may key in instead. Pure: the clock and the nonce come in.

QR payload (upper case, so the QR code uses alphanumeric mode):

    KIPPUM1:<member number>:<step>:<nonce>:<mac>

step is floor(unix time / step seconds); nonce is 5 random bytes in base32 (every display is a
distinct code); mac is the first 10 bytes of HMAC-SHA256(card secret, "kippu/member/v1" ||
member || step || nonce) in base32. Accepted in its own step and the next, and once: the node
records (member, step, nonce) when a code spends points. Typed form: the 10-digit member number
then a 6-digit code of the current step (16 digits; a voucher's typed form is 18).

What each identifier may do: the rotating code (either form) earns and spends; the member number
and the printed 13-digit card number only earn (anyone who has seen a card knows them).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from node.errors import InvalidMemberCode, MemberCodeExpired, MemberCodeInvalid
from node.points.numbers import MEMBER_NUMBER_DIGITS, is_card_number, is_member_number

PAYLOAD_PREFIX = "KIPPUM1"
MANUAL_NONCE = "MANUAL"
MANUAL_CODE_DIGITS = 6
_MAC_BYTES = 10
_NONCE_BYTES = 5
_MAX_CHARS = 120


class Presented(StrEnum):
    CODE = "code"  # the rotating code: earns and spends
    MEMBER_NUMBER = "member_number"  # earns only
    CARD_NUMBER = "card_number"  # the printed card: earns only


@dataclass(frozen=True)
class MemberRef:
    """What a counter or a POS presented: which member, and how."""

    presented: Presented
    number: str  # the member number, or the card number for Presented.CARD_NUMBER
    step: int | None = None  # a QR code's step; None for the typed form
    nonce: str = ""
    mac: str = ""

    @property
    def can_spend(self) -> bool:
        return self.presented is Presented.CODE


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def step_of(now: datetime, step_seconds: int) -> int:
    return int(now.timestamp()) // step_seconds


def _mac(secret: bytes, member_no: str, step: int, nonce: str) -> str:
    message = f"kippu/member/v1\0{member_no}\0{step}\0{nonce}".encode("ascii")
    return _b32(hmac.new(secret, message, hashlib.sha256).digest()[:_MAC_BYTES])


def _manual(secret: bytes, member_no: str, step: int) -> str:
    message = f"kippu/member-manual/v1\0{member_no}\0{step}".encode("ascii")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**MANUAL_CODE_DIGITS:0{MANUAL_CODE_DIGITS}d}"


def make_payload(
    member_no: str, secret: bytes, now: datetime, step_seconds: int, nonce: bytes
) -> str:
    step = step_of(now, step_seconds)
    shown_nonce = _b32(nonce[:_NONCE_BYTES])
    return (
        f"{PAYLOAD_PREFIX}:{member_no}:{step}:{shown_nonce}:"
        f"{_mac(secret, member_no, step, shown_nonce)}"
    )


def make_manual_code(member_no: str, secret: bytes, now: datetime, step_seconds: int) -> str:
    return member_no + _manual(secret, member_no, step_of(now, step_seconds))


def valid_until(now: datetime, step_seconds: int) -> int:
    """Unix time after which a code made now is refused (end of the following step)."""
    return (step_of(now, step_seconds) + 2) * step_seconds


def parse(text: str) -> MemberRef:
    """Recognise a card code, a member number or a printed card number (shape only)."""
    cleaned = text.strip()
    if len(cleaned) > _MAX_CHARS or not cleaned.isascii():
        raise InvalidMemberCode()
    if cleaned.upper().startswith(PAYLOAD_PREFIX + ":"):
        return _parse_qr(cleaned.upper())
    digits = cleaned.replace(" ", "").replace("-", "")
    if is_member_number(digits):
        return MemberRef(Presented.MEMBER_NUMBER, digits)
    if is_card_number(digits):
        return MemberRef(Presented.CARD_NUMBER, digits)
    if len(digits) == MEMBER_NUMBER_DIGITS + MANUAL_CODE_DIGITS and digits.isdigit():
        member_no, code = digits[:MEMBER_NUMBER_DIGITS], digits[MEMBER_NUMBER_DIGITS:]
        if is_member_number(member_no):
            return MemberRef(Presented.CODE, member_no, None, MANUAL_NONCE, code)
    raise InvalidMemberCode()


def _parse_qr(text: str) -> MemberRef:
    parts = text.split(":")
    if len(parts) != 5:
        raise InvalidMemberCode()
    _, member_no, step_text, nonce, mac = parts
    if not (
        is_member_number(member_no)
        and step_text.isdigit()
        and len(step_text) <= 12
        and len(nonce) == 8
        and nonce.isalnum()
        and len(mac) == 16
        and mac.isalnum()
    ):
        raise InvalidMemberCode()
    return MemberRef(Presented.CODE, member_no, int(step_text), nonce, mac)


def verify(ref: MemberRef, secret: bytes, now: datetime, step_seconds: int) -> int:
    """The step of an authentic, fresh card code (MemberCodeInvalid / MemberCodeExpired)."""
    current = step_of(now, step_seconds)
    if ref.step is not None:
        if not hmac.compare_digest(_mac(secret, ref.number, ref.step, ref.nonce), ref.mac):
            raise MemberCodeInvalid()
        if ref.step > current:
            raise MemberCodeInvalid("The code is from the future; check the node's clock.")
        if ref.step < current - 1:
            raise MemberCodeExpired()
        return ref.step
    for step in (current, current - 1):
        if hmac.compare_digest(_manual(secret, ref.number, step), ref.mac):
            return step
    for step in range(current - 2, current - 32, -1):  # recognised but old: say expired
        if hmac.compare_digest(_manual(secret, ref.number, step), ref.mac):
            raise MemberCodeExpired()
    raise MemberCodeInvalid()
