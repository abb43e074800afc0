"""Settlement parties in memory: the pure protocol (node/settlement/protocol.py,
statement_protocol.py) driven the way a node drives it, with no node, no SQLite and no HTTP.

Each `Party` keeps its whole book with each partner, its vouchers, the voucher codes spent at it,
its journal balances and one outbox per partner. `deliver` carries the head of a channel to the
partner (`b.receive(a.send(x))`) and the answer back. What the transport below the protocol
guarantees is modelled and nothing more: a channel delivers in order, a refused message stays at
the head and is sent again, and a message delivered twice gets the answer stored the first time.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from node.errors import KippuError
from node.ledger.model import Voucher, VoucherStatus
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload, parse_code
from node.ledger.rows import from_epoch
from node.peering.model import PeerStatus
from node.peering.wire import WireMessage, WireRecord
from node.settlement import payment_protocol as payments
from node.settlement import protocol
from node.settlement import statement_protocol as statements
from node.settlement.book import Book, Step, Terms
from node.settlement.messages import (
    ClaimMessage,
    ClaimResult,
    ClaimVoidMessage,
    ClaimVoidResult,
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementMessage,
    StatementResult,
)
from node.settlement.model import Claim, Role, StatementStatus

TOKYO = ZoneInfo("Asia/Tokyo")
STEP_S = 60
START_S = int(datetime(2026, 11, 24, 1, tzinfo=UTC).timestamp())  # 10:00 in Tokyo


@dataclass
class Queued:
    msg: WireMessage
    msg_id: str
    created: int


@dataclass
class Party:
    """One company's node, reduced to its settlement state and the protocol's calls."""

    name: str
    node_id: str
    books: dict[str, Book] = field(default_factory=dict)
    vouchers: dict[str, Voucher] = field(default_factory=dict)
    faces: dict[str, int] = field(default_factory=dict)
    spent_codes: set[tuple[str, int, str]] = field(default_factory=set)
    balances: Counter[str] = field(default_factory=Counter)
    txn_ids: set[str] = field(default_factory=set)
    outbox: dict[str, list[Queued]] = field(default_factory=dict)
    answered: dict[str, WireRecord | None] = field(default_factory=dict)  # msg_id -> result
    limits: dict[str, int] = field(default_factory=dict)
    counter: int = 0

    @property
    def terms(self) -> Terms:
        return Terms(self.node_id, "JPY", 1_000_000, STEP_S, True, TOKYO, 600)

    def partner(self, other: Party) -> None:
        self.books[other.node_id] = Book(self.node_id, other.node_id)
        self.outbox[other.node_id] = []

    def fresh_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.name}{self.counter:04d}"

    # -- persisting a step, as bookkeeping.save does ---------------------------------------------

    def save(self, step: Step, now_s: int) -> None:
        for outcome in step.postings:
            assert outcome.entry.is_balanced, outcome.entry
            assert outcome.entry.txn_id not in self.txn_ids, "one thing booked twice"
            self.txn_ids.add(outcome.entry.txn_id)
            for posting in outcome.entry.postings:
                self.balances[posting.account] += posting.amount_yen
            for voucher in outcome.vouchers:
                self.vouchers[voucher.voucher_id] = voucher
        self.books[step.book.peer] = step.book
        for msg in step.outgoing:
            self.outbox[step.book.peer].append(Queued(msg, self.fresh_id("msg"), now_s))

    # -- what staff and admins do ------------------------------------------------------------------

    def issue(self, face_yen: int) -> str:
        voucher_id = voucher_number_from(hashlib.sha256(self.fresh_id("v").encode()).digest())
        self.vouchers[voucher_id] = Voucher(
            voucher_id=voucher_id,
            face_yen=face_yen,
            price_yen=face_yen,
            balance_yen=face_yen,
            status=VoucherStatus.ACTIVE,
            holder_id=None,
            store_id=None,
            created_at=from_epoch(START_S),
            expires_at=None,
            is_gift=False,
            has_given_gift=False,
            gifted_from=None,
            secret=hashlib.sha256(voucher_id.encode()).digest(),
        )
        self.faces[voucher_id] = face_yen
        return voucher_id

    def show_code(self, voucher_id: str, now_s: int) -> str:
        """The QR payload the customer shows (a fresh nonce each time)."""
        nonce = hashlib.sha256(f"{voucher_id}{self.fresh_id('n')}".encode()).digest()
        secret = self.vouchers[voucher_id].secret
        return make_payload(self.node_id, voucher_id, secret, from_epoch(now_s), STEP_S, nonce)

    def redeem(self, issuer: Party, payload: str, amount: int, now_s: int) -> Claim:
        """Our store takes the partner's voucher: a claim, sent (KippuError when refused here)."""
        book = self.books[issuer.node_id]
        owed = sum(
            (c.amount_yen if c.role == Role.REDEEMER else -c.amount_yen)
            for c in book.claims.values()
            if c.status in ("CLAIMED", "ACCEPTED", "INVOICED", "PAID", "DISPUTED")
        )
        counterparty = protocol.Counterparty(
            PeerStatus.ACTIVE, self.limits.get(issuer.node_id), owed
        )
        store = (f"{self.name}-1", f"{self.name} 本店")
        step = protocol.open_claim(
            book,
            self.terms,
            counterparty,
            parse_code(payload),
            payload,
            store,
            amount,
            self.fresh_id("cl"),
            now_s,
        )
        self.save(step, now_s)
        return step.claim_writes[0].after

    def void(self, peer: str, claim_id: str, now_s: int) -> None:
        self.save(protocol.request_void(self.books[peer], self.terms, claim_id, now_s), now_s)

    def propose(self, peer: str, cutoff: int, now_s: int) -> str:
        statement_id = self.fresh_id("st")
        step = statements.propose(self.books[peer], PeerStatus.ACTIVE, cutoff, statement_id, now_s)
        self.save(step, now_s)
        return statement_id

    def pay(self, peer: str, statement_id: str, now_s: int) -> None:
        self.save(payments.pay(self.books[peer], statement_id, "振込 0042", now_s), now_s)

    def confirm(self, peer: str, statement_id: str, now_s: int) -> None:
        self.save(payments.confirm(self.books[peer], statement_id, now_s), now_s)

    # -- receiving ---------------------------------------------------------------------------------

    def receive(self, sender: str, queued: Queued, now_s: int) -> WireRecord | None:
        """A partner's message, judged as a node does; a KippuError refuses it (nothing kept)."""
        if queued.msg_id in self.answered:  # the inbox: the stored answer, nothing decided again
            return self.answered[queued.msg_id]
        step = self._decide(self.books[sender], queued, now_s)
        self.save(step, now_s)
        self.answered[queued.msg_id] = step.result
        return step.result

    def _decide(self, book: Book, queued: Queued, now_s: int) -> Step:
        msg = queued.msg
        if isinstance(msg, ClaimMessage):
            voucher_id = protocol.voucher_named(msg.payload)
            voucher = self.vouchers.get(voucher_id or "")
            step = protocol.decide_claim(book, self.terms, msg, queued.created, voucher, now_s)
            if step.code_spent is not None:
                if step.code_spent in self.spent_codes:
                    return protocol.decide_claim(
                        book, self.terms, msg, queued.created, voucher, now_s, code_used=True
                    )
                self.spent_codes.add(step.code_spent)
            return step
        if isinstance(msg, ClaimVoidMessage):
            claim = book.claim(Role.ISSUER, msg.claim_id)
            voucher = None if claim is None else self.vouchers.get(claim.voucher_id)
            return protocol.decide_void(book, self.terms, msg, queued.created, voucher, now_s)
        if isinstance(msg, StatementMessage):
            taken = any(msg.statement_id in b.statements for b in self.books.values())
            return statements.receive_statement(book, msg, now_s, id_taken=taken)
        if isinstance(msg, PaymentMessage):
            return payments.receive_payment(book, msg, now_s)
        assert isinstance(msg, PaymentConfirmationMessage)
        return payments.receive_confirmation(book, msg, now_s)

    def apply(self, peer: str, sent: WireMessage, result: WireRecord | None, now_s: int) -> Step:
        """The partner's answer to a message of ours, applied as the outbox applies it."""
        book = self.books[peer]
        if isinstance(sent, ClaimMessage) and isinstance(result, ClaimResult):
            step = protocol.apply_claim_result(book, sent, result, now_s)
        elif isinstance(sent, ClaimVoidMessage) and isinstance(result, ClaimVoidResult):
            step = protocol.apply_void_result(book, sent, result, now_s)
        elif isinstance(sent, StatementMessage) and isinstance(result, StatementResult):
            step = statements.apply_statement_result(book, sent, result, now_s)
        else:
            assert result is None, (sent, result)
            return Step(book=book)
        self.save(step, now_s)
        return step

    # -- reading -----------------------------------------------------------------------------------

    def claim(self, peer: str, role: Role, claim_id: str) -> Claim | None:
        return self.books[peer].claim(role, claim_id)

    def statement_status(self, peer: str, statement_id: str) -> StatementStatus | None:
        record = self.books[peer].statements.get(statement_id)
        return None if record is None else record.status

    def receivable(self, peer: str) -> int:
        return self.balances[f"receivable:{peer}"]

    def payable(self, peer: str) -> int:
        return -self.balances[f"payable:{peer}"]


@dataclass
class Delivery:
    """What became of one delivery: the answer, or the code it was refused with."""

    msg: WireMessage
    result: WireRecord | None = None
    refused: str | None = None


def deliver(sender: Party, recipient: Party, now_s: int, *, lose_reply: bool = False) -> Delivery:
    """Carry the head of sender's channel to recipient and its answer back. A refusal leaves the
    message at the head; a lost reply leaves it there too (sent again, it gets the same answer)."""
    queue = sender.outbox[recipient.node_id]
    head = queue[0]
    try:
        result = recipient.receive(sender.node_id, head, now_s)
    except KippuError as exc:
        return Delivery(head.msg, refused=exc.code)
    if lose_reply:
        return Delivery(head.msg, result)
    sender.apply(recipient.node_id, head.msg, result, now_s)
    queue.pop(0)
    return Delivery(head.msg, result)


def drain(parties: list[Party], now_s: int, rounds: int = 50) -> None:
    """Deliver every queued message until all channels are empty."""
    for _ in range(rounds):
        moved = False
        for sender in parties:
            for recipient in parties:
                if sender.outbox.get(recipient.node_id):
                    moved = deliver(sender, recipient, now_s).refused is None or moved
        if not any(q for p in parties for q in p.outbox.values()):
            return
        assert moved, {p.name: {k[:4]: len(q) for k, q in p.outbox.items()} for p in parties}
    raise AssertionError("messages still queued after every round")


def federation(*names: str) -> list[Party]:
    """Parties with ids in the order of their names, each a partner of every other."""
    parties = [Party(name, name * 52) for name in names]
    for party in parties:
        for other in parties:
            if other is not party:
                party.partner(other)
    return parties
