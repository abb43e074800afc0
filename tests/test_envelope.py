"""Envelopes: signatures cover domain, type and body bytes; decoding is strict; any altered byte fails."""

from __future__ import annotations

import contextlib
import hashlib

import msgpack
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nacl.signing import SigningKey

from node.errors import BadSignature, MalformedEnvelope
from node.identity import encode_node_id
from node.peering.envelope import open_envelope, pack, seal, strict_unpack
from node.peering.messages import PingMessage

KEY = SigningKey(b"\x01" * 32)
SENDER = encode_node_id(bytes(KEY.verify_key))
BODY = pack({"msg_id": "m_1", "seq": 1, "amount": 8000})


def test_seal_is_deterministic_and_verifies() -> None:
    raw = seal(KEY, SENDER, "test", BODY)
    assert raw == seal(KEY, SENDER, "test", BODY)
    # Vector: a change to the wire format or signing rule changes this digest.
    assert hashlib.sha256(raw).hexdigest()[:16] == VECTOR_DIGEST
    envelope = open_envelope(raw)
    assert (envelope.sender, envelope.msg_type, envelope.body) == (SENDER, "test", BODY)
    envelope.verify(KEY.verify_key)
    assert strict_unpack(envelope.body) == {"msg_id": "m_1", "seq": 1, "amount": 8000}


VECTOR_DIGEST = "c2dd396753c685b4"


def test_a_signature_for_one_type_does_not_verify_as_another() -> None:
    envelope = open_envelope(seal(KEY, SENDER, "claim", BODY))
    forged = pack({"v": 1, "from": SENDER, "type": "void", "body": BODY, "sig": envelope.signature})
    with pytest.raises(BadSignature):
        open_envelope(forged).verify(KEY.verify_key)


def test_another_key_does_not_verify() -> None:
    envelope = open_envelope(seal(SigningKey(b"\x02" * 32), SENDER, "test", BODY))
    with pytest.raises(BadSignature):
        envelope.verify(KEY.verify_key)


def test_every_single_byte_change_is_refused() -> None:
    raw = seal(KEY, SENDER, "test", BODY)
    for index in range(len(raw)):
        altered = bytearray(raw)
        altered[index] ^= 0x01
        with pytest.raises((MalformedEnvelope, BadSignature)):
            envelope = open_envelope(bytes(altered))
            if envelope.sender != SENDER:
                raise BadSignature()  # unknown sender: refused before any key is tried
            envelope.verify(KEY.verify_key)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xc1",
        msgpack.packb([1, 2, 3]),
        msgpack.packb({"v": 1}),
        msgpack.packb({"v": 1.0, "from": "a", "type": "t", "body": b"", "sig": b"\0" * 64}),
        msgpack.packb({"v": 2, "from": "a", "type": "t", "body": b"", "sig": b"\0" * 64}),
        msgpack.packb({"v": 1, "from": "a", "type": "t", "body": "text", "sig": b"\0" * 64}),
        msgpack.packb({"v": 1, "from": "a", "type": "t", "body": b"", "sig": b"\0" * 63}),
        msgpack.packb({"v": 1, "from": "a", "type": "t", "body": b"", "sig": b"\0" * 64, "x": 1}),
        b"\x85" + b"\xa1v\x01" * 5,  # the same key five times
        msgpack.packb({"v": 1}) + b"\x00",  # trailing bytes
        b"\x91" * 5000 + b"\x90",  # nesting bomb
    ],
)
def test_malformed_envelopes_are_refused(raw: bytes) -> None:
    with pytest.raises(MalformedEnvelope):
        open_envelope(raw)


@pytest.mark.parametrize(
    "body",
    [
        msgpack.packb({"amount": 1.5}),
        msgpack.packb({"nested": [{"x": 0.0}]}),
        msgpack.packb({1: "int key"}, strict_types=False),
        msgpack.packb({"when": msgpack.ExtType(1, b"x")}),
    ],
)
def test_bodies_are_decoded_strictly(body: bytes) -> None:
    with pytest.raises(MalformedEnvelope):
        strict_unpack(body)


@given(st.binary(max_size=512))
def test_random_bytes_never_crash_the_decoder(raw: bytes) -> None:
    with contextlib.suppress(MalformedEnvelope):
        open_envelope(raw)


def test_signed_maps_must_have_their_keys_in_sorted_order() -> None:
    """One encoding per signed or logged map: the envelope and every body (protocol.md, section
    3); a re-ordered copy is malformed, whatever the signature says."""
    fields = {"v": 1, "from": SENDER, "type": "ping", "body": b"\x80", "sig": b"\0" * 64}
    assert open_envelope(pack(fields)).sender == SENDER
    with pytest.raises(MalformedEnvelope, match="sorted order"):
        open_envelope(msgpack.packb(dict(reversed(fields.items()))))
    body = {"msg_id": "m", "sender": SENDER, "recipient": SENDER, "seq": 1, "prev": bytes(32)}
    body |= {"created": 1, "expires": 2, "note": ""}
    assert PingMessage.decode(pack(body))[1] == PingMessage(note="")
    with pytest.raises(MalformedEnvelope, match="sorted order"):
        PingMessage.decode(msgpack.packb(dict(reversed(sorted(body.items())))))
    assert strict_unpack(msgpack.packb({"b": 1, "a": 2})) == {"a": 2, "b": 1}  # unsigned maps
