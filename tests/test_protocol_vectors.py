"""Signed test vectors in docs/protocol.md: each message type, built from fixed keys, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from node.identity import Identity
from node.peering.envelope import open_envelope, seal
from node.peering.keys import first_key
from node.peering.messages import (
    MESSAGE_FIELDS,
    MESSAGE_LIFETIME_S,
    Header,
    decode_message,
    encode_message,
)
from node.peering.model import GENESIS_HASH, message_hash
from node.peering.outbound import seal_reply

PROTOCOL = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text("utf-8")
ALICE = Identity(SigningKey(bytes(range(32))))  # the sender in every vector
BOB = Identity(SigningKey(bytes(range(32, 64))))
CREATED = 1_795_000_000  # 2026-11-18T08:53:20Z

FIELDS = {
    "register": {"name": "居酒屋はなこ", "url": "https://hanako.example.jp:8470"},
    "join": {
        "name": "居酒屋はなこ",
        "url": "https://hanako.example.jp:8470",
        "invite_id": "inv_example",
        "secret": bytes(range(16)),
    },
    "ping": {"note": ""},
    "key_rotation": {"position": 1, "new_key": bytes(range(64, 96))},
}


def build_vectors() -> dict[str, bytes]:
    vectors, prev = {}, GENESIS_HASH
    for seq, msg_type in enumerate(("join", "register", "ping", "key_rotation"), start=1):
        header = Header(
            f"msg_{msg_type}",
            ALICE.node_id,
            BOB.node_id,
            seq,
            prev,
            CREATED,
            CREATED + MESSAGE_LIFETIME_S,
        )
        body = encode_message(msg_type, header, FIELDS[msg_type])
        vectors[msg_type] = seal(ALICE.signing_key, ALICE.node_id, msg_type, body)
        prev = message_hash(vectors[msg_type])
    vectors["reply"] = seal_reply(
        BOB, ALICE.node_id, "msg_ping", CREATED + 1, ok=True, name="Trattoria Uno"
    )
    return vectors


def documented_vectors() -> dict[str, bytes]:
    found = re.findall(r"```vector (\w+)\n([0-9a-f\n]+)```", PROTOCOL)
    return {name: bytes.fromhex(text.replace("\n", "")) for name, text in found}


def test_every_message_type_has_a_vector() -> None:
    assert set(documented_vectors()) == {*MESSAGE_FIELDS, "reply"}


@pytest.mark.parametrize("name", [*MESSAGE_FIELDS, "reply"])
def test_vector_matches_the_code(name: str) -> None:
    assert documented_vectors()[name] == build_vectors()[name], f"docs/protocol.md vector {name}"


@pytest.mark.parametrize("name", list(MESSAGE_FIELDS))
def test_vectors_verify_and_decode(name: str) -> None:
    envelope = open_envelope(documented_vectors()[name])
    envelope.verify(first_key(ALICE.node_id).key)
    header, fields = decode_message(name, envelope.body)
    assert header.recipient == BOB.node_id and fields == FIELDS[name]


def render() -> str:
    """The markdown of the vectors section (used to write docs/protocol.md)."""
    parts = []
    for name, raw in build_vectors().items():
        hexed = raw.hex()
        lines = "\n".join(hexed[i : i + 96] for i in range(0, len(hexed), 96))
        parts.append(f"```vector {name}\n{lines}\n```\n")
    return "\n".join(parts)
