"""Builds issuer A's signed settlement log with partner B, and writes it as an audit bundle."""

from __future__ import annotations

import os
import shutil
import statistics
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from nacl.signing import SigningKey

from node.clock import SystemRandomness, new_id, ordered_id
from node.errors import CodeAlreadyUsed
from node.identity import Identity
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload
from node.peering.envelope import open_envelope, seal, signing_input
from node.peering.messages import MESSAGE_LIFETIME_S, Header, JoinMessage, PingMessage
from node.peering.model import GENESIS_HASH, Channel
from node.peering.outbound import seal_reply
from node.peering.wire import WireMessage
from node.settlement import core
from node.settlement.audit import checkpoint, merkle
from node.settlement.audit.bundle import checkpoint_record, entry_record, header_record
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.audit.rules import checkpoint_message_id
from node.settlement.messages import (
    CheckpointMessage,
    CheckpointResult,
    ClaimMessage,
    ClaimResult,
    StatementResult,
)
from node.settlement.model import Decision, Owed, StatementItem

SAMPLED_ENTRIES = 2_000  # entries whose signed length sets the raw messages' length
START_S = 1_767_225_600  # 2026-01-01 00:00 UTC: the log's first second
CURRENCY = "JPY"
QR_STEP_S = 30
VOUCHERS = 200
VOUCHER_FACE_YEN = 1_000_000
MAX_CLAIM_YEN = 3_000
REJECT_EVERY = 50  # one claim in 50 is refused (a QR code shown twice)
STORE_NAMES = ("B 駅前店", "B 本店", "Trattoria B Shibuya")
A_NAME, B_NAME = "Bench 居酒屋 A (issuer)", "Bench Trattoria B (redeemer)"
RNG = SystemRandomness()


# -- the issuer's log, built as a node writes it ---------------------------------------------


@dataclass
class Company:
    identity: Identity
    name: str
    channel: Channel = field(default_factory=Channel)  # its channel to the other company

    @property
    def node_id(self) -> str:
        return self.identity.node_id


def send(
    sender: Company,
    recipient: str,
    message: WireMessage,
    now_s: int,
    msg_id: str | None = None,
) -> tuple[str, bytes]:
    """What node.peering.outbound.enqueue signs: the next message of the sender's channel."""
    seq = sender.channel.last_seq + 1
    header = Header(
        msg_id=msg_id or new_id(RNG, "msg"),
        sender=sender.node_id,
        recipient=recipient,
        seq=seq,
        prev=sender.channel.last_hash,
        created=now_s,
        expires=now_s + MESSAGE_LIFETIME_S,
    )
    body = message.encode(header)
    raw = seal(sender.identity.signing_key, sender.node_id, message.msg_type, body)
    sender.channel = sender.channel.after(seq, raw)
    return header.msg_id, raw


def answer(replier: Company, asker: Company, msg_id: str, now_s: int, result: bytes) -> bytes:
    return seal_reply(
        replier.identity, asker.node_id, msg_id, now_s, ok=True, name=replier.name, result=result
    )


class IssuerLog:
    """A's log as it grows: each entry spooled as a bundle record, its leaf hash kept."""

    def __init__(self, spool: IO[bytes]) -> None:
        self._spool = spool
        self.leaves: list[bytes] = []
        self.tree = merkle.Frontier()
        self.checkpoints: list[tuple[Checkpoint, list[tuple[str, bytes]]]] = []
        self.signed_lengths: list[int] = []

    @property
    def size(self) -> int:
        return len(self.leaves)

    def append(self, envelope: bytes) -> None:
        if self.size < SAMPLED_ENTRIES:
            opened = open_envelope(envelope)
            self.signed_lengths.append(len(signing_input(opened.msg_type, opened.body)))
        self._spool.write(entry_record(self.size, envelope))
        leaf = merkle.leaf_hash(envelope)
        self.leaves.append(leaf)
        self.tree.append(leaf)

    def sign(self, key: SigningKey, origin: str, now_s: int) -> Checkpoint:
        """make_checkpoint's signature over the log so far (the same root as merkle.root_hash)."""
        made = checkpoint.sign(key, origin, self.size, self.tree.root(), now_s)
        self.checkpoints.append((made, []))
        return made


@dataclass
class Voucher:
    number: str
    balance_yen: int = VOUCHER_FACE_YEN


@dataclass
class Scenario:
    """Issuer A and redeemer B; A's log of everything they exchange."""

    a: Company
    b: Company
    log: IssuerLog
    now_s: int = START_S
    qr_secret: bytes = field(default_factory=lambda: os.urandom(32))
    vouchers: list[Voucher] = field(default_factory=list)
    stores: list[tuple[str, str]] = field(default_factory=list)
    claims: int = 0
    accepted_yen: int = 0
    unlisted: list[StatementItem] = field(default_factory=list)
    statements: int = 0
    last_statement: bytes = GENESIS_HASH
    closing: Owed = field(default_factory=lambda: Owed("", 0))
    shared_size: int = 0  # the last checkpoint A sent B

    def join(self) -> None:
        join = JoinMessage(
            name=self.b.name,
            url="http://127.0.0.1:8702",
            invite_id=new_id(RNG, "inv"),
            secret=os.urandom(16),
        )
        msg_id, raw = send(self.b, self.a.node_id, join, self.now_s)
        self.log.append(raw)
        self.log.append(answer(self.a, self.b, msg_id, self.now_s, b""))

    def claim(self) -> None:
        """B redeems one of A's vouchers at one of its stores; A decides and signs its answer."""
        self.now_s += 1
        at = datetime.fromtimestamp(self.now_s, UTC)
        voucher = self.vouchers[self.claims % len(self.vouchers)]
        amount = 1 + int.from_bytes(os.urandom(2), "big") % MAX_CLAIM_YEN
        if voucher.balance_yen < amount:  # spent: A has sold a new voucher since
            voucher = self.vouchers[self.claims % len(self.vouchers)] = new_voucher()
        store_id, store_name = self.stores[self.claims % len(self.stores)]
        claim_id = ordered_id(at, RNG, "cl")
        claim = ClaimMessage(
            claim_id=claim_id,
            payload=make_payload(
                self.a.node_id, voucher.number, self.qr_secret, at, QR_STEP_S, os.urandom(5)
            ),
            amount=amount,
            currency=CURRENCY,
            store_id=store_id,
            store_name=store_name,
        )
        msg_id, raw = send(self.b, self.a.node_id, claim, self.now_s)
        self.log.append(raw)
        self.claims += 1
        result = self.decide(claim_id, voucher, amount)
        self.log.append(answer(self.a, self.b, msg_id, self.now_s, result))

    def decide(self, claim_id: str, voucher: Voucher, amount: int) -> bytes:
        """node.settlement.issuer's result: accepted, or refused with the error's code."""
        result = ClaimResult(
            claim_id=claim_id,
            decision=str(Decision.ACCEPTED),
            code="ok",
            message="",
            balance_after=voucher.balance_yen - amount,
            decided_at=self.now_s,
        )
        if self.claims % REJECT_EVERY == 0:
            refused = CodeAlreadyUsed()
            result = replace(
                result,
                decision=str(Decision.REJECTED),
                code=refused.code,
                message=refused.message,
                balance_after=0,
            )
        else:
            voucher.balance_yen -= amount
            self.accepted_yen += amount
            self.unlisted.append(StatementItem(claim_id, self.a.node_id, amount))
        return result.encode()

    def statement(self) -> None:
        """B proposes a statement of the claims since the last; A agrees and, once its reply is
        logged (node/settlement/statements.py: checkpoint_if_agreed), signs a checkpoint and
        sends it to B to countersign."""
        self.now_s += 1
        at = datetime.fromtimestamp(self.now_s, UTC)
        self.statements += 1
        proposed = core.build_statement(
            ordered_id(at, RNG, "st"),
            self.statements,
            self.now_s,
            self.last_statement,
            core.parties(self.a.node_id, self.b.node_id),
            self.unlisted,
            (),
            self.closing,
        )
        message = core.statement_message(proposed)
        msg_id, raw = send(self.b, self.a.node_id, message, self.now_s)
        self.log.append(raw)
        self.last_statement, self.closing = core.statement_hash(proposed), proposed.closing
        self.unlisted = []
        agreed = StatementResult(
            statement_id=proposed.statement_id,
            decision=str(Decision.AGREED),
            statement_hash=self.last_statement,
            breaks=(),
        )
        self.log.append(answer(self.a, self.b, msg_id, self.now_s, agreed.encode()))
        made = self.log.sign(self.a.identity.signing_key, self.a.node_id, self.now_s)
        sent = self.send_checkpoint(made)
        self.log.append(self.countersign(made, sent))

    def send_checkpoint(self, made: Checkpoint) -> str:
        """A's `checkpoint` message to B, with the consistency proof from the last one B saw."""
        proof = merkle.consistency_proof(self.log.leaves[: made.size], self.shared_size)
        message = CheckpointMessage(
            checkpoint=made.body,
            signature=made.signature,
            old_size=self.shared_size,
            proof=b"".join(proof),
        )
        msg_id, raw = send(
            self.a,
            self.b.node_id,
            message,
            self.now_s,
            checkpoint_message_id(made, self.b.node_id),
        )
        self.log.append(raw)
        self.shared_size = made.size
        return msg_id

    def countersign(self, made: Checkpoint, msg_id: str) -> bytes:
        """B's reply to A's checkpoint (node/settlement/audit/witness.py), kept with the record."""
        cosignature = checkpoint.cosign(self.b.identity.signing_key, made)
        self.log.checkpoints[-1][1].append((self.b.node_id, cosignature))
        result = CheckpointResult(
            size=made.size, decision="cosigned", cosignature=cosignature, message=""
        )
        return answer(self.b, self.a, msg_id, self.now_s, result.encode())

    def ping(self) -> None:
        """A's `ping` to B, not yet answered when the bundle is exported."""
        self.now_s += 1
        self.log.append(send(self.a, self.b.node_id, PingMessage(""), self.now_s)[1])


def new_voucher() -> Voucher:
    return Voucher(voucher_number_from(os.urandom(8)))


def new_scenario(spool: IO[bytes]) -> Scenario:
    a = Company(Identity(SigningKey.generate()), A_NAME)
    b = Company(Identity(SigningKey.generate()), B_NAME)
    scenario = Scenario(a, b, IssuerLog(spool))
    scenario.vouchers = [new_voucher() for _ in range(VOUCHERS)]
    scenario.stores = [(new_id(RNG, "st"), name) for name in STORE_NAMES]
    return scenario


def play(scenario: Scenario, entries: int, checkpoint_every: int) -> None:
    """Exactly `entries` entries: claims, a statement (4 entries) whenever one is due."""
    log, due = scenario.log, checkpoint_every
    scenario.join()
    while log.size < entries:
        left = entries - log.size
        if log.size >= due and left >= 4:
            scenario.statement()
            due = log.size + checkpoint_every
        elif left >= 2:
            scenario.claim()
        else:
            scenario.ping()
    if not log.checkpoints or log.checkpoints[-1][0].size != log.size:
        scenario.now_s += 1  # the on-demand checkpoint an export makes (B has not cosigned it yet)
        log.sign(scenario.a.identity.signing_key, scenario.a.node_id, scenario.now_s)


@dataclass(frozen=True)
class Built:
    path: Path
    entries: int
    checkpoints: int
    claims: int
    statements: int
    accepted_yen: int
    seconds: float
    size_bytes: int
    signed_length: int  # the median signed length of the sampled entries
    origin: str
    peer: str


def build_bundle(path: Path, entries: int, checkpoint_every: int) -> Built:
    started = time.perf_counter()
    spool_path = path.with_suffix(".entries")
    with spool_path.open("wb") as spool:
        scenario = new_scenario(spool)
        play(scenario, entries, checkpoint_every)
    log, a = scenario.log, scenario.a
    with path.open("wb") as out:
        out.write(header_record(a.node_id, a.name, scenario.now_s, log.size, len(log.checkpoints)))
        for made, cosignatures in log.checkpoints:
            out.write(checkpoint_record(made, cosignatures))
        with spool_path.open("rb") as spool:
            shutil.copyfileobj(spool, out)
    spool_path.unlink()
    return Built(
        path,
        log.size,
        len(log.checkpoints),
        scenario.claims,
        scenario.statements,
        scenario.accepted_yen,
        time.perf_counter() - started,
        path.stat().st_size,
        int(statistics.median(log.signed_lengths)),
        a.node_id,
        scenario.b.node_id,
    )
