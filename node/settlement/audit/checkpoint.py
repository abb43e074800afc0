"""Signed checkpoints of the settlement log, and partners' countersignatures on them.

A checkpoint body is a msgpack map {"origin", "size", "root", "created"} (sorted keys). The origin
signs  b"kippu/checkpoint/v1\\0" || body  and a partner that checked it countersigns
b"kippu/cosign/v1\\0" || body: separate domains, so neither signature can pass for the other or
for a message envelope.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from node.errors import MalformedEnvelope
from node.peering.wire import Bytes32, WireRecord

CHECKPOINT_DOMAIN = b"kippu/checkpoint/v1\x00"
COSIGN_DOMAIN = b"kippu/cosign/v1\x00"


@dataclass(frozen=True)
class CheckpointBody(WireRecord):
    """What the origin signs: its log's size and root hash at a moment."""

    origin: str
    size: int
    root: Bytes32
    created: int


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    created: int
    body: bytes
    signature: bytes


def encode_body(origin: str, size: int, root: bytes, created: int) -> bytes:
    return CheckpointBody(origin, size, root, created).encode()


def decode(body: bytes, signature: bytes) -> Checkpoint:
    """Strictly decode a checkpoint body; the signature is not checked here."""
    values = CheckpointBody.decode(body)
    if len(signature) != 64:
        raise MalformedEnvelope("A checkpoint signature is 64 bytes.")
    return Checkpoint(values.origin, values.size, values.root, values.created, body, signature)


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
