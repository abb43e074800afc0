"""Signed envelopes: sign bytes, not objects; verify before decoding; decode strictly.

Wire form of one envelope, a msgpack map with exactly these keys:

    {"v": 1, "from": <sender node id, str>, "type": <message type, str>,
     "body": <msgpack bytes of the body>, "sig": <64-byte Ed25519 signature>}

The signature covers  b"kippu/envelope/v1\\0" + type + b"\\0" + body  so a signature made for one
message type (or for anything else Kippu signs) can never be replayed as another. Bodies are msgpack
maps decoded strictly: no duplicate keys, no floats, no extension types, exactly the fields the
message type declares, each of its declared type. The receiver keeps the envelope bytes verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgpack
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from node.errors import BadSignature, MalformedEnvelope

ENVELOPE_VERSION = 1
DOMAIN = b"kippu/envelope/v1\x00"
MAX_ENVELOPE_BYTES = 4 * 1024 * 1024  # a statement of 20,000 claims (messages.MAX_ROWS) fits
_OUTER_ORDER = ("body", "from", "sig", "type", "v")  # the keys, in the one order they are written
_NO_FLOATS = "Floats are not allowed; money is whole yen."


@dataclass(frozen=True)
class Envelope:
    sender: str
    msg_type: str
    body: bytes
    signature: bytes
    raw: bytes

    def verify(self, key: VerifyKey) -> None:
        """Raise BadSignature unless `key` signed this type and body."""
        try:
            key.verify(signing_input(self.msg_type, self.body), self.signature)
        except BadSignatureError as exc:
            raise BadSignature() from exc


def signing_input(msg_type: str, body: bytes) -> bytes:
    return DOMAIN + msg_type.encode("ascii") + b"\x00" + body


def seal(key: SigningKey, sender: str, msg_type: str, body: bytes) -> bytes:
    """Sign a body and wrap it; the result is what goes on the wire and into the log."""
    signature = key.sign(signing_input(msg_type, body)).signature
    return pack(
        {"v": ENVELOPE_VERSION, "from": sender, "type": msg_type, "body": body, "sig": signature}
    )


def pack(value: Mapping[str, Any]) -> bytes:
    """msgpack with keys in sorted order, so the same fields always give the same bytes."""
    packed: bytes = msgpack.packb(dict(sorted(value.items())), use_bin_type=True)
    return packed


def open_envelope(raw: bytes) -> Envelope:
    """Parse the outer map only; the signature is not yet checked and the body not decoded."""
    if len(raw) > MAX_ENVELOPE_BYTES:
        raise MalformedEnvelope("The message is too large.")
    outer = strict_unpack(raw)
    if tuple(outer) != _OUTER_ORDER:
        require_sorted(outer, _OUTER_ORDER)
        raise MalformedEnvelope("The envelope's fields are wrong.")
    version, sender, msg_type = outer["v"], outer["from"], outer["type"]
    body, signature = outer["body"], outer["sig"]
    if version != ENVELOPE_VERSION or isinstance(version, bool):
        raise MalformedEnvelope("Unsupported envelope version.")
    if not (isinstance(sender, str) and isinstance(msg_type, str) and msg_type.isascii()):
        raise MalformedEnvelope("The envelope's sender or type is not text.")
    if not (isinstance(body, bytes) and isinstance(signature, bytes) and len(signature) == 64):
        raise MalformedEnvelope("The envelope's body or signature is not bytes.")
    return Envelope(sender, msg_type, body, signature, raw)


def strict_unpack(raw: bytes) -> dict[str, Any]:
    """Decode one msgpack map: string keys, no duplicates, no floats, no extension types."""
    try:
        value = msgpack.unpackb(
            raw,
            raw=False,
            strict_map_key=True,
            object_pairs_hook=_no_duplicates,
            list_hook=_no_float_items,
            ext_hook=_no_extensions,
        )
    except MalformedEnvelope:
        raise
    except (
        ValueError,
        TypeError,
        msgpack.ExtraData,
        msgpack.FormatError,
        msgpack.StackError,
    ) as exc:
        raise MalformedEnvelope() from exc
    if not isinstance(value, dict):
        raise MalformedEnvelope("Expected a map.")
    return value


# Every map and every array passes through one of these hooks as it is decoded, so floats are
# refused there, at any depth, without walking the decoded value again (verify-heavy paths such
# as `kippu audit verify` decode two bodies per signature).
def _no_duplicates(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise MalformedEnvelope("A map has a duplicate key.")
    if bytes in map(type, result):  # strict_map_key lets only text and bytes keys through
        raise MalformedEnvelope("Map keys must be text.")
    if float in map(type, result.values()):
        raise MalformedEnvelope(_NO_FLOATS)
    return result


def require_sorted(values: dict[str, Any], order: tuple[str, ...]) -> None:
    """A signed or logged map has its keys in increasing order (how `pack` writes them), so one
    set of fields has one encoding. `order` is the expected keys, sorted: the common case is one
    tuple comparison; a map with other keys is left to the field check that follows."""
    if tuple(values) != order and list(values) != sorted(values):
        raise MalformedEnvelope("A map's keys are not in sorted order.")


def _no_float_items(items: list[Any]) -> list[Any]:
    if float in map(type, items):
        raise MalformedEnvelope(_NO_FLOATS)
    return items


def _no_extensions(code: int, data: bytes) -> Any:
    raise MalformedEnvelope("Extension types are not allowed.")
