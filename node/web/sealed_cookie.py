"""Cookies only this node can make or read: a few text fields sealed (encrypted and authenticated,
XSalsa20-Poly1305) with a key derived from the node's signing key, one key per purpose.

A sealed value another site, another node or the device's user made or altered opens to None
and is ignored; its contents are not readable on the device. After `kippu key rotate` the
cookies sealed before stop opening (they only remember conveniences, so nothing is lost).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from node.runtime import Node

MAX_SEALED_CHARS = 2000


def _box(node: Node, purpose: str) -> SecretBox:
    key = hmac.new(
        bytes(node.identity.signing_key), b"kippu cookie\0" + purpose.encode(), hashlib.sha256
    )
    return SecretBox(key.digest())


def seal(node: Node, purpose: str, fields: dict[str, str]) -> str:
    """`fields` as a cookie value only this node opens, and only for `purpose`."""
    nonce = node.rng.token_bytes(SecretBox.NONCE_SIZE)
    sealed = _box(node, purpose).encrypt(urlencode(fields).encode(), nonce)
    return base64.urlsafe_b64encode(bytes(sealed)).decode("ascii")


def unseal(node: Node, purpose: str, value: str) -> dict[str, str] | None:
    """The fields `seal` put in `value` for `purpose`; None for anything else."""
    if not value or len(value) > MAX_SEALED_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
        text = _box(node, purpose).decrypt(raw).decode()
    except (binascii.Error, UnicodeError, ValueError, CryptoError):
        return None
    return dict(parse_qsl(text, keep_blank_values=True))
