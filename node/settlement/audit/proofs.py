"""A partner asks for proof that our log holds what it exchanged with us about one claim or statement.

The partner names a checkpoint of ours it countersigned (its size) and the topic; we answer with
every entry about that topic that involves the partner, each with its RFC 6962 inclusion proof
against that checkpoint. The answer needs no signature: the partner checks the proofs against
the root it already holds, signed by us. The request is signed (only an active partner may ask,
and only about its own exchanges with us), read-only, and not part of any channel.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgpack

from node.errors import MalformedEnvelope
from node.identity import Identity
from node.peering.envelope import Envelope, open_envelope, seal, strict_unpack
from node.peering.messages import CLOCK_SKEW_S, REPLY_TYPE, Reply
from node.peering.wire import WireRecord
from node.settlement.audit import merkle
from node.settlement.messages import KNOWN_MESSAGES

PROOF_PATH = "/peer/v1/audit/proof"
REQUEST_TYPE = "proof_request"
MAX_ENTRIES = 100


@dataclass(frozen=True)
class ProofRequest(WireRecord):
    sender: str
    recipient: str
    topic: str
    size: int
    created: int


def make_request(identity: Identity, recipient: str, topic: str, size: int, now_s: int) -> bytes:
    request = ProofRequest(identity.node_id, recipient, topic, size, now_s)
    return seal(identity.signing_key, identity.node_id, REQUEST_TYPE, request.encode())


def read_request(envelope: Envelope, me: str, now_s: int) -> ProofRequest:
    """Decode a request whose signature the caller has checked."""
    if envelope.msg_type != REQUEST_TYPE:
        raise MalformedEnvelope("Not a proof request.")
    request = ProofRequest.decode(envelope.body)
    if request.sender != envelope.sender or request.recipient != me:
        raise MalformedEnvelope("The request's addressing does not match its envelope.")
    if abs(request.created - now_s) > CLOCK_SKEW_S:
        raise MalformedEnvelope("The request is too old or from the future.")
    return request


def involves(raw: bytes, me: str, partner: str) -> bool:
    """Whether an entry of our log is an exchange between us and `partner` (and not a note)."""
    envelope = open_envelope(raw)
    if envelope.msg_type == REPLY_TYPE:
        reply = Reply.decode(envelope.body)
        return {reply.sender, reply.recipient} == {me, partner}
    kind = KNOWN_MESSAGES.get(envelope.msg_type)
    if kind is not None:
        header = kind.decode(envelope.body)[0]
        return {header.sender, header.recipient} == {me, partner}
    return False


def message_id(raw: bytes) -> str | None:
    """The id of a message entry (None for a reply or a note)."""
    envelope = open_envelope(raw)
    kind = KNOWN_MESSAGES.get(envelope.msg_type)
    if kind is None:
        return None
    return kind.decode(envelope.body)[0].msg_id


def encode_answer(size: int, entries: list[tuple[int, bytes, list[bytes]]]) -> bytes:
    packed: bytes = msgpack.packb(
        {"size": size, "entries": [[i, e, b"".join(p)] for i, e, p in entries]}, use_bin_type=True
    )
    return packed


def check_answer(raw: bytes, size: int, root: bytes) -> list[tuple[int, bytes]]:
    """The entries of an answer whose proofs all verify against our copy of the checkpoint."""
    values = strict_unpack(raw)
    if set(values) != {"size", "entries"} or values["size"] != size:
        raise MalformedEnvelope("The answer is about another checkpoint.")
    entries = values["entries"]
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise MalformedEnvelope("The answer's entries are malformed.")
    proven = []
    for item in entries:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], int)
            and isinstance(item[1], bytes)
            and isinstance(item[2], bytes)
            and len(item[2]) % merkle.HASH_SIZE == 0
        ):
            raise MalformedEnvelope("An entry of the answer is malformed.")
        index, envelope, joined = item
        path = [joined[i : i + merkle.HASH_SIZE] for i in range(0, len(joined), merkle.HASH_SIZE)]
        if not merkle.verify_inclusion(merkle.leaf_hash(envelope), index, size, path, root):
            raise MalformedEnvelope(f"The inclusion proof of entry {index} does not verify.")
        proven.append((index, envelope))
    return proven
