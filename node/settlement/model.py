"""Claims and statements as frozen values; their lifecycles as explicit tables of allowed moves.

A claim is one redemption of a partner's voucher: the redeemer (B, whose store took the voucher)
claims the amount from the issuer (A), who decides. Both sides keep the claim under the id B chose,
with the same status, so that B's receivable from A equals A's payable to B.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

GENESIS_STATEMENT = bytes(32)


class ClaimStatus(StrEnum):
    CLAIMED = "CLAIMED"  # sent by the redeemer, not yet decided by the issuer
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    VOIDED = "VOIDED"
    INVOICED = "INVOICED"  # in a statement both sides signed
    PAID = "PAID"
    CLEARED = "CLEARED"
    DISPUTED = "DISPUTED"


# A claim its issuer accepted, whatever happened to it next: a use of the voucher that stands
# (or stood, if voided) in the books, for receipts, histories and exports.
ISSUER_ACCEPTED: tuple[ClaimStatus, ...] = (
    ClaimStatus.ACCEPTED,
    ClaimStatus.INVOICED,
    ClaimStatus.PAID,
    ClaimStatus.CLEARED,
    ClaimStatus.DISPUTED,
    ClaimStatus.VOIDED,
)

ALLOWED_CLAIM_TRANSITIONS: frozenset[tuple[ClaimStatus, ClaimStatus]] = frozenset(
    {
        (ClaimStatus.CLAIMED, ClaimStatus.ACCEPTED),
        (ClaimStatus.CLAIMED, ClaimStatus.REJECTED),
        (ClaimStatus.ACCEPTED, ClaimStatus.VOIDED),
        (ClaimStatus.ACCEPTED, ClaimStatus.INVOICED),
        (ClaimStatus.ACCEPTED, ClaimStatus.DISPUTED),
        (ClaimStatus.DISPUTED, ClaimStatus.ACCEPTED),
        (ClaimStatus.DISPUTED, ClaimStatus.INVOICED),
        (ClaimStatus.INVOICED, ClaimStatus.PAID),
        (ClaimStatus.INVOICED, ClaimStatus.CLEARED),
        (ClaimStatus.PAID, ClaimStatus.CLEARED),
    }
)

# Claims that are owed: counted in receivables and payables until the statement is cleared.
OPEN_STATUSES = (
    ClaimStatus.ACCEPTED,
    ClaimStatus.INVOICED,
    ClaimStatus.PAID,
    ClaimStatus.DISPUTED,
)


class Role(StrEnum):
    ISSUER = "issuer"  # our voucher, redeemed at the partner's store: a payable
    REDEEMER = "redeemer"  # the partner's voucher, redeemed at our store: a receivable


class StatementStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    DISPUTED = "disputed"
    SUPERSEDED = "superseded"
    PAID = "paid"
    CLEARED = "cleared"


ALLOWED_STATEMENT_TRANSITIONS: frozenset[tuple[StatementStatus, StatementStatus]] = frozenset(
    {
        (StatementStatus.PROPOSED, StatementStatus.AGREED),
        (StatementStatus.PROPOSED, StatementStatus.DISPUTED),
        (StatementStatus.PROPOSED, StatementStatus.SUPERSEDED),
        (StatementStatus.AGREED, StatementStatus.PAID),
        (StatementStatus.AGREED, StatementStatus.CLEARED),
        (StatementStatus.PAID, StatementStatus.CLEARED),
    }
)


class Decision(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    VOIDED = "voided"
    REFUSED = "refused"
    AGREED = "agreed"
    DISPUTED = "disputed"
    SUPERSEDED = "superseded"


class BreakKind(StrEnum):
    """How the two sides' records of one item differ (a reconciliation break)."""

    MISSING_HERE = "missing_here"  # the partner lists it; we have no such open claim
    MISSING_THERE = "missing_there"  # we have it open before the cut-off; the partner left it out
    AMOUNT = "amount"
    STATUS = "status"
    ISSUER = "issuer"
    SEQUENCE = "sequence"  # statement number or the previous statement's hash differ
    CLEARED = "cleared"  # the payments cleared since the last statement differ
    TOTALS = "totals"  # opening, net or closing do not follow from the items


@dataclass(frozen=True)
class Claim:
    claim_id: str
    peer: str
    role: Role
    voucher_id: str
    store_id: str
    store_name: str
    amount_yen: int
    status: ClaimStatus
    created_at: int
    decided_at: int | None = None
    reason_code: str | None = None
    reason: str | None = None
    balance_after: int | None = None
    receipt_no: str | None = None
    void_requested_at: int | None = None
    statement_id: str | None = None


@dataclass(frozen=True)
class StatementItem:
    claim_id: str
    issuer: str
    amount_yen: int


@dataclass(frozen=True)
class ClearedItem:
    statement_id: str
    payer: str
    amount_yen: int


@dataclass(frozen=True)
class Owed:
    """An amount one side owes the other: `payer` is a node id, or "" when nothing is owed."""

    payer: str
    amount_yen: int


@dataclass(frozen=True)
class Statement:
    """One statement between two partners; its fields are exactly what both sides sign."""

    statement_id: str
    number: int
    cutoff: int
    previous: bytes
    claims: tuple[StatementItem, ...]
    cleared: tuple[ClearedItem, ...]
    opening: Owed
    net: Owed
    closing: Owed


@dataclass(frozen=True)
class Break:
    item: str
    kind: BreakKind
    ours: int
    theirs: int


@dataclass(frozen=True)
class StatementRow:
    """One stored statement with a partner, as its row says (the signed fields as their bytes)."""

    statement_id: str
    peer: str
    proposer: str
    number: int
    cutoff: int
    fields: bytes
    statement_hash: bytes
    status: StatementStatus
    payer: str  # empty when nobody pays
    amount_yen: int
    breaks: str | None  # JSON list of breaks, for a disputed statement
    reference: str | None
    created_at: int
    agreed_at: int | None
    paid_at: int | None
    cleared_at: int | None
    txn_id: str | None  # the clearing's journal entry, if it booked one
    listed_in: str | None  # a cleared statement: the later statement that lists its payment
