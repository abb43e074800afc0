"""One node's settlement with one partner as an immutable value, and what a protocol step returns.

The `Book` is the state the pure protocol (protocol.py, statement_protocol.py) reads: the claims
and statements with one partner that can still move (the shell loads just those; a test keeps
them all). A `Step` is what a protocol call returns: the new book, the writes that make it durable,
the journal postings, the messages to send and the reply's result. The views below are the rules'
own reading of a book (what is in flight, what a statement would list): pure filters, so the
shell's loading and a test's in-memory book give the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from node.ledger.model import Outcome
from node.peering.wire import WireMessage, WireRecord
from node.settlement.model import (
    GENESIS_STATEMENT,
    Break,
    Claim,
    ClaimStatus,
    ClearedItem,
    Owed,
    Role,
    Statement,
    StatementItem,
    StatementStatus,
)

ClaimKey = tuple[Role, str]
AGREED_STATUSES = (StatementStatus.AGREED, StatementStatus.PAID, StatementStatus.CLEARED)
# The claims a book must hold for every rule to see what it needs (besides a statement's own).
LIVE_CLAIM_STATUSES = (ClaimStatus.CLAIMED, ClaimStatus.ACCEPTED, ClaimStatus.DISPUTED)


@dataclass(frozen=True)
class Terms:
    """This node's side of the rules: who we are and the policy settings the protocol reads."""

    node_id: str
    currency: str
    max_voucher_yen: int
    step_seconds: int
    void_same_day_only: bool
    zone: ZoneInfo
    retry_window_s: int = 0


@dataclass(frozen=True)
class StatementRecord:
    """A statement as one side keeps it: the signed fields and what became of it here."""

    statement: Statement
    peer: str
    proposer: str
    status: StatementStatus
    statement_hash: bytes
    created_at: int
    breaks: tuple[Break, ...] | None = None
    reference: str | None = None
    agreed_at: int | None = None
    paid_at: int | None = None
    cleared_at: int | None = None
    txn_id: str | None = None
    listed_in: str | None = None


@dataclass(frozen=True)
class Book:
    """What `me` knows of its settlement with `peer` (the part the rules may read or move)."""

    me: str
    peer: str
    claims: Mapping[ClaimKey, Claim] = field(default_factory=dict)
    statements: Mapping[str, StatementRecord] = field(default_factory=dict)

    def claim(self, role: Role, claim_id: str) -> Claim | None:
        return self.claims.get((role, claim_id))

    def with_claims(self, claims: Iterable[Claim]) -> Book:
        updated = dict(self.claims)
        updated.update(((c.role, c.claim_id), c) for c in claims)
        return replace(self, claims=updated)

    def with_statements(self, records: Iterable[StatementRecord]) -> Book:
        updated = dict(self.statements)
        updated.update((r.statement.statement_id, r) for r in records)
        return replace(self, statements=updated)


@dataclass(frozen=True)
class ClaimWrite:
    """A claim to insert (`before` None) or update, with the journal ids of what it booked."""

    before: Claim | None
    after: Claim
    txn_id: str | None = None
    void_txn_id: str | None = None
    needs_receipt: bool = False  # the redeemer's receipt number is drawn from a counter


@dataclass(frozen=True)
class StatementWrite:
    before: StatementRecord | None
    after: StatementRecord


@dataclass(frozen=True)
class Step:
    """What one protocol call returns; the shell persists it in one transaction."""

    book: Book
    claim_writes: tuple[ClaimWrite, ...] = ()
    statement_writes: tuple[StatementWrite, ...] = ()
    postings: tuple[Outcome, ...] = ()
    outgoing: tuple[WireMessage, ...] = ()
    result: WireRecord | None = None
    code_spent: tuple[str, int, str] | None = None  # (voucher, step, nonce) the claim used
    checkpoint: bool = False  # the settlement log is checkpointed after this step


def then(first: Step, second: Step) -> Step:
    """Two steps in one transaction: the second's book, both steps' writes in order."""
    return Step(
        book=second.book,
        claim_writes=first.claim_writes + second.claim_writes,
        statement_writes=first.statement_writes + second.statement_writes,
        postings=first.postings + second.postings,
        outgoing=first.outgoing + second.outgoing,
        result=second.result if second.result is not None else first.result,
        code_spent=second.code_spent or first.code_spent,
        checkpoint=first.checkpoint or second.checkpoint,
    )


def write_claims(book: Book, writes: Iterable[ClaimWrite]) -> Step:
    done = tuple(writes)
    return Step(book=book.with_claims(w.after for w in done), claim_writes=done)


def write_statements(book: Book, writes: Iterable[StatementWrite]) -> Step:
    done = tuple(writes)
    return Step(book=book.with_statements(w.after for w in done), statement_writes=done)


# -- views: the rules' reading of a book ---------------------------------------------------------


def statements_with_peer(book: Book) -> list[StatementRecord]:
    return [r for r in book.statements.values() if r.peer == book.peer]


def last_agreed(book: Book) -> StatementRecord | None:
    """The newest statement with the partner both sides signed (agreed, paid or cleared)."""
    agreed = [r for r in statements_with_peer(book) if r.status in AGREED_STATUSES]
    return max(agreed, key=lambda r: r.statement.number, default=None)


def next_position(book: Book) -> tuple[int, bytes, Owed]:
    """The next statement's number, the previous statement's hash, and the opening balance."""
    last = last_agreed(book)
    if last is None:
        return 1, GENESIS_STATEMENT, Owed("", 0)
    return last.statement.number + 1, last.statement_hash, last.statement.closing


def open_proposal(book: Book) -> StatementRecord | None:
    return next(
        (r for r in statements_with_peer(book) if r.status == StatementStatus.PROPOSED), None
    )


def newly_cleared(book: Book) -> list[ClearedItem]:
    """Statements cleared since the last agreed statement listed them (they go in the next one)."""
    cleared = [
        ClearedItem(r.statement.statement_id, r.statement.net.payer, r.statement.net.amount_yen)
        for r in statements_with_peer(book)
        if r.status == StatementStatus.CLEARED
        and r.listed_in is None
        and r.statement.net.amount_yen > 0
    ]
    return sorted(cleared, key=lambda c: c.statement_id)


def awaiting_confirmation(book: Book) -> int:
    """Statements we paid whose payment the partner has not confirmed to us yet."""
    return sum(
        1
        for r in statements_with_peer(book)
        if r.status == StatementStatus.PAID and r.statement.net.payer == book.me
    )


def in_flight(book: Book, cutoff: int) -> int:
    """Our claims or voids to the partner made by the cut-off and not yet answered."""
    return sum(
        1
        for c in book.claims.values()
        if c.role == Role.REDEEMER
        and c.created_at <= cutoff
        and (
            c.status == ClaimStatus.CLAIMED
            or (c.status == ClaimStatus.ACCEPTED and c.void_requested_at is not None)
        )
    )


def unsettled(book: Book, cutoff: int) -> list[Claim]:
    """Accepted claims, both directions, decided by the cut-off and in no agreed statement."""
    found = [
        c
        for c in book.claims.values()
        if c.status == ClaimStatus.ACCEPTED and c.decided_at is not None and c.decided_at <= cutoff
    ]
    return sorted(found, key=lambda c: c.claim_id)


def items_of(claims: Iterable[Claim], me: str) -> list[StatementItem]:
    return [
        StatementItem(c.claim_id, me if c.role == Role.ISSUER else c.peer, c.amount_yen)
        for c in claims
    ]


def claims_of_statement(book: Book, statement_id: str) -> list[Claim]:
    return [c for c in book.claims.values() if c.statement_id == statement_id]
