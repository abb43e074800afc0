"""Voucher codes: the QR payload and the numeric form for manual entry, both time-based and one-time.

QR payload (upper case, so the QR code uses alphanumeric mode):

    KIPPU1:<issuer node id>:<voucher number>:<step>:<nonce>:<mac>

step is floor(unix time / step seconds); nonce is 5 random bytes in base32, so every display of the
code is distinct; mac is the first 10 bytes of HMAC-SHA256(voucher secret, "kippu/qr/v1" || issuer ||
voucher || step || nonce) in base32. A payload is accepted in its own step and the next one (30-60 s
at 30-second steps) and only once: the node records (voucher, step, nonce) when it is used.

Manual form, typed by staff: the 12-digit voucher number then a 6-digit code derived from the secret
and the current step, accepted in the current and previous step, once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from node.clock import iso
from node.errors import CodeExpired, CodeInvalid, InvalidPayload
from node.ledger.core import require_usable
from node.ledger.model import Voucher
from node.ledger.numbers import VOUCHER_NUMBER_DIGITS, is_voucher_number
from node.ledger.rows import from_epoch

PAYLOAD_PREFIX = "KIPPU1"
MANUAL_NONCE = "MANUAL"
MANUAL_CODE_DIGITS = 6
_MAC_BYTES = 10
_NONCE_BYTES = 5
_MAX_PAYLOAD_CHARS = 200
# How far back a typed code is still recognised, to be answered "expired" rather than "does not
# match": staff told the truth ask for a fresh code instead of retyping a dead one. Never longer
# than a few minutes' worth of steps, so a wrong code still costs only a handful of HMACs.
EXPIRED_LOOKBACK = timedelta(minutes=15)


@dataclass(frozen=True)
class VoucherCode:
    """A parsed code; issuer_id is None for the manual form (it always means this node)."""

    issuer_id: str | None
    voucher_id: str
    step: int | None
    nonce: str
    mac: str


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def step_of(now: datetime, step_seconds: int) -> int:
    return int(now.timestamp()) // step_seconds


def _qr_mac(secret: bytes, issuer_id: str, voucher_id: str, step: int, nonce: str) -> str:
    message = f"kippu/qr/v1\0{issuer_id}\0{voucher_id}\0{step}\0{nonce}".encode("ascii")
    return _b32(hmac.new(secret, message, hashlib.sha256).digest()[:_MAC_BYTES])


def _manual_code(secret: bytes, voucher_id: str, step: int) -> str:
    message = f"kippu/manual/v1\0{voucher_id}\0{step}".encode("ascii")
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**MANUAL_CODE_DIGITS:0{MANUAL_CODE_DIGITS}d}"


def make_payload(
    issuer_id: str,
    voucher_id: str,
    secret: bytes,
    now: datetime,
    step_seconds: int,
    nonce_bytes: bytes,
) -> str:
    """The string the customer's QR code encodes right now."""
    step = step_of(now, step_seconds)
    nonce = _b32(nonce_bytes[:_NONCE_BYTES])
    mac = _qr_mac(secret, issuer_id, voucher_id, step, nonce)
    return f"{PAYLOAD_PREFIX}:{issuer_id}:{voucher_id}:{step}:{nonce}:{mac}"


def make_manual_code(voucher_id: str, secret: bytes, now: datetime, step_seconds: int) -> str:
    """Digits shown under the QR code for typing in by hand."""
    return voucher_id + _manual_code(secret, voucher_id, step_of(now, step_seconds))


def code_valid_until(now: datetime, step_seconds: int) -> int:
    """Unix time after which a code made now is refused (end of the following step)."""
    return (step_of(now, step_seconds) + 2) * step_seconds


def parse_code(text: str) -> VoucherCode:
    """Recognise either form; anything else is InvalidPayload. Checks shape only, not the MAC."""
    cleaned = text.strip()
    if len(cleaned) > _MAX_PAYLOAD_CHARS or not cleaned.isascii():
        raise InvalidPayload()
    if cleaned.upper().startswith(PAYLOAD_PREFIX + ":"):
        return _parse_qr(cleaned.upper())
    digits = cleaned.replace(" ", "").replace("-", "")
    if len(digits) == VOUCHER_NUMBER_DIGITS + MANUAL_CODE_DIGITS and digits.isdigit():
        voucher_id, code = digits[:VOUCHER_NUMBER_DIGITS], digits[VOUCHER_NUMBER_DIGITS:]
        if is_voucher_number(voucher_id):
            return VoucherCode(None, voucher_id, None, MANUAL_NONCE, code)
    raise InvalidPayload()


def _parse_qr(text: str) -> VoucherCode:
    parts = text.split(":")
    if len(parts) != 6:
        raise InvalidPayload()
    _, issuer_id, voucher_id, step_text, nonce, mac = parts
    if not (
        len(issuer_id) == 52
        and issuer_id.isalnum()
        and is_voucher_number(voucher_id)
        and step_text.isdigit()
        and len(step_text) <= 12
        and len(nonce) == 8
        and nonce.isalnum()
        and len(mac) == 16
        and mac.isalnum()
    ):
        raise InvalidPayload()
    return VoucherCode(issuer_id, voucher_id, int(step_text), nonce, mac)


def verify_code(code: VoucherCode, secret: bytes, now: datetime, step_seconds: int) -> int:
    """Check the code against the voucher's secret and the clock; return the step it belongs to.

    Whether it was already used is the caller's question (it needs the database).
    """
    step = authentic_step(code, secret, now, step_seconds)
    require_fresh(step, now, step_seconds)
    return step


def authentic_step(
    code: VoucherCode,
    secret: bytes,
    now: datetime,
    step_seconds: int,
    used_steps: Collection[int] = (),
) -> int:
    """The step of a code made with the voucher's secret, fresh or not (CodeInvalid otherwise).

    A QR code names its step, so it is recognised however old; the manual form carries no step,
    so it is recognised within its two steps, or in one of `used_steps`: the older steps in which
    a typed code of this voucher made a redemption, given by the caller for a retry (a restart
    usually takes longer than a code's minute), or within EXPIRED_LOOKBACK, which the caller's
    freshness check then answers as expired rather than as a typo."""
    current = step_of(now, step_seconds)
    if code.step is not None:
        if code.issuer_id is None:
            raise CodeInvalid()
        expected = _qr_mac(secret, code.issuer_id, code.voucher_id, code.step, code.nonce)
        if not hmac.compare_digest(expected, code.mac):
            raise CodeInvalid()
        if code.step > current:
            raise CodeInvalid("The code is from the future; check the node's clock.")
        return code.step
    older = sorted((s for s in used_steps if s < current - 1), reverse=True)
    candidates: list[int] = [current, current - 1, *older, *_recent_steps(current, step_seconds)]
    for step in candidates:
        if hmac.compare_digest(_manual_code(secret, code.voucher_id, step), code.mac):
            return step
    raise CodeInvalid()


def _recent_steps(current: int, step_seconds: int) -> range:
    """The steps before the last two, newest first, within EXPIRED_LOOKBACK: a typed code of one
    of them is authentic but old (the caller's freshness check says expired)."""
    back = int(EXPIRED_LOOKBACK.total_seconds()) // step_seconds
    return range(current - 2, current - 1 - back, -1)


def first_retry_step(now: datetime, step_seconds: int, window_s: int) -> int:
    """The oldest step whose typed code can still be a retry: made `window_s` seconds ago."""
    return (int(now.timestamp()) - window_s) // step_seconds


def require_fresh(step: int, now: datetime, step_seconds: int) -> None:
    """A code is accepted in its own step and the next one."""
    if step < step_of(now, step_seconds) - 1:
        raise CodeExpired()


def fresh_code(
    node_id: str, voucher: Voucher, now: datetime, step_seconds: int, nonce: bytes
) -> dict[str, Any]:
    """A new one-time payload (a distinct code for each `nonce`) and the manual code of this
    step, as the wallet and the API show them."""
    require_usable(voucher, now)  # no code for a voucher that could not be spent anyway
    payload = make_payload(node_id, voucher.voucher_id, voucher.secret, now, step_seconds, nonce)
    return {
        "voucher_id": voucher.voucher_id,
        "payload": payload,
        "manual_code": make_manual_code(voucher.voucher_id, voucher.secret, now, step_seconds),
        "valid_until": iso(from_epoch(code_valid_until(now, step_seconds))),
        "refresh_after_s": step_seconds - int(now.timestamp()) % step_seconds,
    }
