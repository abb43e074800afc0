"""Signed test vectors in docs/protocol.md: each message type, built from fixed keys, byte for byte."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from node.identity import Identity
from node.ledger.qr import make_payload, parse_code, verify_code
from node.ledger.rows import from_epoch
from node.peering.envelope import open_envelope, seal
from node.peering.keys import KeyEntry, check_key_era, first_key, verify_with
from node.peering.messages import (
    MESSAGE_LIFETIME_S,
    Header,
    JoinMessage,
    KeyRotationMessage,
    PingMessage,
    RegisterMessage,
    Reply,
    StoreListMessage,
    StoreRow,
)
from node.peering.model import GENESIS_HASH, message_hash
from node.peering.outbound import seal_reply
from node.peering.wire import WireMessage
from node.settlement import core
from node.settlement.audit import checkpoint, merkle, proofs
from node.settlement.messages import (
    KNOWN_MESSAGES,
    CheckpointMessage,
    CheckpointResult,
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementMessage,
)
from node.settlement.model import GENESIS_STATEMENT, ClearedItem, Owed, StatementItem

PROTOCOL = (Path(__file__).resolve().parent.parent / "docs" / "protocol.md").read_text("utf-8")
ALICE = Identity(SigningKey(bytes(range(32))))  # the sender of every message vector
BOB = Identity(SigningKey(bytes(range(32, 64))))  # the receiver; it signs the replies
ALICE_NEW = SigningKey(bytes(range(64, 96)))  # the key ALICE rotates to at seq 4
CREATED = 1_795_000_000  # 2026-11-18T08:53:20Z
DAY = 86_400
STEP_S = 30  # ledger.qr_step_seconds

# One channel, ALICE -> BOB. ALICE signs seq 1-4 with its first key (the node id) and, after the
# key_rotation at seq 4, seq 5-11 with its new key, as a real node does.
CHANNEL = (
    "join",
    "register",
    "ping",
    "key_rotation",
    "payment",
    "claim",
    "claim_void",
    "statement",
    "payment_confirmation",
    "checkpoint",
    "store_list",
)
ROTATION_SEQ = CHANNEL.index("key_rotation") + 1
# ALICE's settlement log in the story: the nine messages before its checkpoint (seq 10), as leaves.
LOGGED = CHANNEL[: CHANNEL.index("checkpoint")]
REPLIES = ("reply", "reply_claim", "reply_checkpoint")
# Outside the channel: BOB asks ALICE to prove the claim is in the log BOB countersigned, and
# ALICE's (unsigned) answer, checked against that checkpoint's root.
PROOFS = ("proof_request", "proof_answer")

# Settlement story (pair order: ALICE's node id is the smaller). Statement #1 (BOB proposed it on
# its own channel, not shown) listed one of ALICE's vouchers redeemed at BOB's store; ALICE owed
# BOB 3,500 and pays it (seq 5); BOB confirms on its channel. ALICE's store takes one of BOB's
# vouchers for 8,000 (seq 6, BOB accepts: reply_claim), voids another claim (seq 7), and proposes
# statement #2 (seq 8): its claim and another of BOB's redemptions of ALICE's vouchers (3,000)
# net to 5,000 owed by BOB, who pays on its channel; ALICE confirms (seq 9). Last, ALICE signs a
# checkpoint of its settlement log and sends it (seq 10); BOB countersigns it (reply_checkpoint).
BOB_VOUCHER = "545676407830"
BOB_VOUCHER_SECRET = bytes(range(96, 128))  # held only by BOB
PAYLOAD = make_payload(
    BOB.node_id,
    BOB_VOUCHER,
    BOB_VOUCHER_SECRET,
    from_epoch(CREATED - 5),  # shown on the customer's phone five seconds before the claim
    STEP_S,
    bytes(range(128, 133)),
)
CLAIM_ID = "cl_agq64vs6abpf6ydbmi"  # ALICE's store took BOB's voucher (seq 6)
VOIDED_CLAIM_ID = "cl_agq64ucdqaztinjwg4"  # an earlier claim of ALICE's, voided (seq 7)
BOB_CLAIM_ID = "cl_agq555q6kbzhg5dvoy"  # BOB's store took one of ALICE's vouchers
FIRST_STATEMENT = core.build_statement(
    "st_agq4vagiqcskljvhva",
    1,
    CREATED - 7 * DAY,
    GENESIS_STATEMENT,
    core.parties(ALICE.node_id, BOB.node_id),
    [StatementItem("cl_agq377jcacijdeutsq", ALICE.node_id, 3_500)],
    [],
    Owed("", 0),
)
STATEMENT = core.build_statement(
    "st_agq64vs6add4rsokzm",
    2,
    CREATED,
    core.statement_hash(FIRST_STATEMENT),
    core.parties(ALICE.node_id, BOB.node_id),
    [
        StatementItem(CLAIM_ID, BOB.node_id, 8_000),
        StatementItem(BOB_CLAIM_ID, ALICE.node_id, 3_000),
    ],
    [ClearedItem(FIRST_STATEMENT.statement_id, ALICE.node_id, 3_500)],
    FIRST_STATEMENT.closing,
)
CLAIM_RESULT = ClaimResult(
    claim_id=CLAIM_ID,
    decision="accepted",
    code="ok",
    message="",
    balance_after=2_000,
    decided_at=CREATED,
)

MESSAGES: dict[str, WireMessage] = {
    "register": RegisterMessage(name="居酒屋はなこ", url="https://hanako.example.jp:8470"),
    "join": JoinMessage(
        name="居酒屋はなこ",
        url="https://hanako.example.jp:8470",
        invite_id="inv_example",
        secret=bytes(range(16)),
    ),
    "ping": PingMessage(note=""),
    "key_rotation": KeyRotationMessage(position=1, new_key=bytes(ALICE_NEW.verify_key)),
    "payment": PaymentMessage(
        statement_id=FIRST_STATEMENT.statement_id,
        amount=3_500,
        reference="みずほ銀行 振込 20261111-0042",
    ),
    "claim": ClaimMessage(
        claim_id=CLAIM_ID,
        payload=PAYLOAD,
        amount=8_000,
        currency="JPY",
        store_id="st_damrugy4dupb6",
        store_name="居酒屋はなこ 神楽坂店",
    ),
    "claim_void": ClaimVoidMessage(claim_id=VOIDED_CLAIM_ID),
    "statement": core.statement_message(STATEMENT),
    "payment_confirmation": PaymentConfirmationMessage(
        statement_id=STATEMENT.statement_id, amount=5_000
    ),
    # After its checkpoint ALICE opens a store (seq 11): its whole list, sorted by store id.
    "store_list": StoreListMessage(
        stores=(
            StoreRow("st_damrugy4dupb6", "居酒屋はなこ 神楽坂店"),
            StoreRow("st_dan3jmbyqpsq2", "居酒屋はなこ 本店"),
        )
    ),
}


def seal_channel(types: tuple[str, ...]) -> dict[str, bytes]:
    """ALICE's messages of the channel, in order from seq 1, each of its MESSAGES."""
    vectors, prev = {}, GENESIS_HASH
    for seq, msg_type in enumerate(types, start=1):
        header = Header(
            f"msg_{msg_type}",
            ALICE.node_id,
            BOB.node_id,
            seq,
            prev,
            CREATED,
            CREATED + MESSAGE_LIFETIME_S,
        )
        body = MESSAGES[msg_type].encode(header)
        key = ALICE.signing_key if seq <= ROTATION_SEQ else ALICE_NEW
        vectors[msg_type] = seal(key, ALICE.node_id, msg_type, body)
        prev = message_hash(vectors[msg_type])
    return vectors


# ALICE checkpoints its log (the nine messages above) with the key of the moment and sends BOB
# its first checkpoint (old_size 0: nothing to prove consistency from); BOB countersigns it.
CHECKPOINT = checkpoint.sign(
    ALICE_NEW,
    ALICE.node_id,
    len(LOGGED),
    merkle.root_hash([merkle.leaf_hash(raw) for raw in seal_channel(LOGGED).values()]),
    CREATED,
)
MESSAGES["checkpoint"] = CheckpointMessage(
    checkpoint=CHECKPOINT.body, signature=CHECKPOINT.signature, old_size=0, proof=b""
)
CHECKPOINT_RESULT = CheckpointResult(
    size=CHECKPOINT.size,
    decision="cosigned",
    cosignature=checkpoint.cosign(BOB.signing_key, CHECKPOINT),
    message="",
)


def build_vectors() -> dict[str, bytes]:
    vectors = seal_channel(CHANNEL)
    vectors["reply"] = seal_reply(
        BOB, ALICE.node_id, "msg_ping", CREATED + 1, ok=True, name="Trattoria Uno"
    )
    vectors["reply_claim"] = seal_reply(
        BOB,
        ALICE.node_id,
        "msg_claim",
        CREATED,
        ok=True,
        name="Trattoria Uno",
        result=CLAIM_RESULT.encode(),
    )
    vectors["reply_checkpoint"] = seal_reply(
        BOB,
        ALICE.node_id,
        "msg_checkpoint",
        CREATED,
        ok=True,
        name="Trattoria Uno",
        result=CHECKPOINT_RESULT.encode(),
    )
    vectors["proof_request"] = proofs.make_request(
        BOB, ALICE.node_id, CLAIM_ID, CHECKPOINT.size, CREATED
    )
    logged = [merkle.leaf_hash(vectors[name]) for name in LOGGED]
    index = LOGGED.index("claim")
    vectors["proof_answer"] = proofs.encode_answer(
        CHECKPOINT.size, [(index, vectors["claim"], merkle.inclusion_proof(logged, index))]
    )
    return vectors


def documented_vectors() -> dict[str, bytes]:
    found = re.findall(r"```vector (\w+)\n([0-9a-f\n]+)```", PROTOCOL)
    return {name: bytes.fromhex(text.replace("\n", "")) for name, text in found}


def test_every_message_type_has_a_vector() -> None:
    assert set(documented_vectors()) == {*KNOWN_MESSAGES, *REPLIES, *PROOFS}


@pytest.mark.parametrize("name", [*KNOWN_MESSAGES, *REPLIES, *PROOFS])
def test_vector_matches_the_code(name: str) -> None:
    assert documented_vectors()[name] == build_vectors()[name], f"docs/protocol.md vector {name}"


@pytest.mark.parametrize("name", list(KNOWN_MESSAGES))
def test_vectors_verify_and_decode(name: str) -> None:
    """Each message verifies with the key in force at its seq (the receiver's key era rule), and
    decodes into its typed message, equal to the one it was made from."""
    keys = (first_key(ALICE.node_id), KeyEntry(1, ALICE_NEW.verify_key, ROTATION_SEQ))
    envelope = open_envelope(documented_vectors()[name])
    header, message = KNOWN_MESSAGES[name].decode(envelope.body)
    used = verify_with(envelope, keys)
    check_key_era(keys, used, header.seq)
    assert used.position == (0 if header.seq <= ROTATION_SEQ else 1)
    assert header.recipient == BOB.node_id and message == MESSAGES[name]
    assert message.encode(header) == envelope.body


def test_reply_vectors_verify_and_carry_their_result() -> None:
    vectors = documented_vectors()
    for name, answers, result in (("reply", "msg_ping", b""), ("reply_claim", "msg_claim", None)):
        envelope = open_envelope(vectors[name])
        envelope.verify(first_key(BOB.node_id).key)
        reply = Reply.decode(envelope.body)
        assert (reply.in_reply_to, reply.ok, reply.code) == (answers, True, "ok")
        if result is not None:
            assert reply.result == result
    claim_reply = Reply.decode(open_envelope(vectors["reply_claim"]).body)
    assert ClaimResult.decode(claim_reply.result) == CLAIM_RESULT


def test_checkpoint_vector_signs_the_tree_of_the_messages_before_it() -> None:
    """From the documented bytes alone, as an auditor would: the checkpoint's root is the RFC 6962
    root over the nine envelopes before it (leaf = SHA-256(0x00 || envelope)), signed by ALICE's key
    of the moment in the checkpoint domain; BOB's cosignature is over the same body in its own
    domain, so neither signature passes for the other."""
    vectors = documented_vectors()
    sent = CheckpointMessage.decode(open_envelope(vectors["checkpoint"]).body)[1]
    made = checkpoint.decode(sent.checkpoint, sent.signature)
    root = merkle.root_hash([merkle.leaf_hash(vectors[name]) for name in LOGGED])
    assert (made.origin, made.size, made.root) == (ALICE.node_id, len(LOGGED), root)
    assert root.hex() in PROTOCOL  # the root the prose gives
    assert (sent.old_size, sent.proof) == (0, b"")
    assert merkle.verify_consistency(0, made.size, merkle.EMPTY_ROOT, made.root, [])
    assert checkpoint.is_signed_by(made, ALICE_NEW.verify_key)
    assert not checkpoint.is_signed_by(made, first_key(ALICE.node_id).key)

    reply = Reply.decode(open_envelope(vectors["reply_checkpoint"]).body)
    assert (reply.in_reply_to, reply.ok) == ("msg_checkpoint", True)
    result = CheckpointResult.decode(reply.result)
    assert result == CHECKPOINT_RESULT
    bob = first_key(BOB.node_id).key
    assert checkpoint.is_cosigned_by(made, bob, result.cosignature)
    assert not checkpoint.is_signed_by(replace(made, signature=result.cosignature), bob)
    assert not checkpoint.is_cosigned_by(made, ALICE_NEW.verify_key, made.signature)


def test_settlement_vectors_are_consistent() -> None:
    """The claim's code is one the issuer accepts at the claim's time; the statement's totals
    follow from its items; the partner's own view of the same records finds no break."""
    code = parse_code(PAYLOAD)
    assert (code.issuer_id, code.voucher_id) == (BOB.node_id, BOB_VOUCHER)
    verify_code(code, BOB_VOUCHER_SECRET, from_epoch(CREATED), STEP_S)
    pair = core.parties(ALICE.node_id, BOB.node_id)
    assert pair == (ALICE.node_id, BOB.node_id)
    assert STATEMENT.opening == Owed(ALICE.node_id, 3_500)
    assert STATEMENT.net == Owed(BOB.node_id, 5_000)
    assert STATEMENT.closing == Owed(BOB.node_id, 5_000)
    proposal, payment = MESSAGES["statement"], MESSAGES["payment"]
    confirmation = MESSAGES["payment_confirmation"]
    assert isinstance(proposal, StatementMessage) and isinstance(payment, PaymentMessage)
    assert isinstance(confirmation, PaymentConfirmationMessage)
    theirs = core.statement_from_message(proposal)
    assert core.compare_statements(theirs, STATEMENT, pair) == []
    assert payment.amount == FIRST_STATEMENT.net.amount_yen
    assert confirmation.amount == STATEMENT.net.amount_yen


def render() -> str:
    """The markdown of the vectors section (used to write docs/protocol.md)."""
    parts = []
    for name, raw in build_vectors().items():
        hexed = raw.hex()
        lines = "\n".join(hexed[i : i + 96] for i in range(0, len(hexed), 96))
        parts.append(f"```vector {name}\n{lines}\n```\n")
    return "\n".join(parts)


def test_proof_vectors_prove_the_claim_against_the_countersigned_root() -> None:
    """BOB's signed request names ALICE's checkpoint it countersigned; ALICE's answer needs no
    signature: its proof verifies against that root, and the entry is the claim, byte for byte."""
    vectors = documented_vectors()
    envelope = open_envelope(vectors["proof_request"])
    envelope.verify(first_key(BOB.node_id).key)
    request = proofs.read_request(envelope, ALICE.node_id, CREATED)
    assert (request.sender, request.topic, request.size) == (BOB.node_id, CLAIM_ID, 9)
    proven = proofs.check_answer(vectors["proof_answer"], request.size, CHECKPOINT.root)
    assert proven == [(LOGGED.index("claim"), vectors["claim"])]
