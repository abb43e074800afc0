"""Signed checkpoints of the settlement log, and partners' countersignatures on them.

A checkpoint body is a msgpack map {"origin", "size", "root", "created"} (sorted keys). The origin
signs  b"kippu/checkpoint/v1\\0" || body  and a partner that checked it countersigns
b"kippu/cosign/v1\\0" || body: separate domains, so neither signature can pass for the other or
for a message envelope.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from node.errors import MalformedEnvelope
from node.peering.envelope import pack, require_sorted, strict_unpack
from node.peering.messages import FieldSpec, check_fields, key_order

CHECKPOINT_DOMAIN = b"kippu/checkpoint/v1\x00"
COSIGN_DOMAIN = b"kippu/cosign/v1\x00"
CHECKPOINT_FIELDS: FieldSpec = {
    "origin": (str, None),
    "size": (int, None),
    "root": (bytes, 32),
    "created": (int, None),
}
CHECKPOINT_ORDER = key_order(CHECKPOINT_FIELDS)


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    created: int
    body: bytes
    signature: bytes


def encode_body(origin: str, size: int, root: bytes, created: int) -> bytes:
    fields = {"origin": origin, "size": size, "root": root, "created": created}
    check_fields(fields, CHECKPOINT_FIELDS)
    return pack(fields)


def decode(body: bytes, signature: bytes) -> Checkpoint:
    """Strictly decode a checkpoint body; the signature is not checked here."""
    values = strict_unpack(body)
    require_sorted(values, CHECKPOINT_ORDER)
    check_fields(values, CHECKPOINT_FIELDS)
    if len(signature) != 64:
        raise MalformedEnvelope("A checkpoint signature is 64 bytes.")
    return Checkpoint(
        values["origin"], values["size"], values["root"], values["created"], body, signature
    )


def sign(key: SigningKey, origin: str, size: int, root: bytes, created: int) -> Checkpoint:
    body = encode_body(origin, size, root, created)
    signature = key.sign(CHECKPOINT_DOMAIN + body).signature
    return Checkpoint(origin, size, root, created, body, signature)


def is_signed_by(checkpoint: Checkpoint, key: VerifyKey) -> bool:
    return _verifies(key, CHECKPOINT_DOMAIN + checkpoint.body, checkpoint.signature)


def cosign(key: SigningKey, checkpoint: Checkpoint) -> bytes:
    return key.sign(COSIGN_DOMAIN + checkpoint.body).signature


def is_cosigned_by(checkpoint: Checkpoint, key: VerifyKey, cosignature: bytes) -> bool:
    return _verifies(key, COSIGN_DOMAIN + checkpoint.body, cosignature)


def _verifies(key: VerifyKey, data: bytes, signature: bytes) -> bool:
    if len(signature) != 64:
        return False
    try:
        key.verify(data, signature)
    except BadSignatureError:
        return False
    return True


def message_id(carried: Checkpoint, peer: str) -> str:
    """Derived, not drawn: one `checkpoint` message per checkpoint and partner (the root is in
    it, so a second root signed for a size already sent is a new message: evidence)."""
    text = f"{carried.origin}|{carried.size}|{carried.root.hex()}|{peer}"
    return f"ck_{carried.size}_{hashlib.sha256(text.encode()).hexdigest()[:16]}"
