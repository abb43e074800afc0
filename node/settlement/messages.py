"""Settlement's wire messages and the results of their replies (docs/protocol.md), as typed values.

A partner's store redeemed one of our vouchers (`claim`), voided it (`claim_void`), a statement
was proposed, paid and confirmed, and our signed log checkpoint was sent for countersigning. Each
decodes strictly into its frozen dataclass (node/peering/wire.py); field names are the wire names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from node.peering.messages import PEERING_MESSAGES
from node.peering.wire import Bytes32, Bytes64, WireMessage, WireRecord, message_types


class StatementClaimRow(NamedTuple):
    """One accepted claim listed in a statement."""

    claim_id: str
    issuer: str  # the issuer's node id (who owes the amount)
    amount: int


class ClearedRow(NamedTuple):
    """One earlier statement whose payment this statement's balance counts as cleared."""

    statement_id: str
    payer: str
    amount: int


class BreakRow(NamedTuple):
    """One difference the recipient found between a proposed statement and its own records."""

    claim_id: str  # or the statement id / "totals" for a break not about one claim
    kind: str
    ours: int  # the amount in the recipient's records (a magnitude)
    theirs: int  # the amount in the proposal (a magnitude)


@dataclass(frozen=True)
class ClaimResult(WireRecord):
    """The issuer's decision on a claim: accepted (with the voucher's balance after) or rejected."""

    claim_id: str
    decision: str
    code: str
    message: str
    balance_after: int
    decided_at: int


@dataclass(frozen=True)
class ClaimVoidResult(WireRecord):
    """The issuer's answer to a void: voided (value given back) or refused, with why."""

    claim_id: str
    decision: str
    code: str
    message: str
    balance_after: int


@dataclass(frozen=True)
class StatementResult(WireRecord):
    """The recipient's answer to a proposed statement: agreed, disputed (with breaks), superseded."""

    statement_id: str
    decision: str
    statement_hash: Bytes32
    breaks: tuple[BreakRow, ...]


@dataclass(frozen=True)
class CheckpointResult(WireRecord):
    """The partner's countersignature on our checkpoint (64 bytes when cosigned, else empty)."""

    size: int
    decision: str
    cosignature: bytes
    message: str


@dataclass(frozen=True)
class ClaimMessage(WireMessage):
    """A partner's store redeemed one of the recipient's vouchers (`payload` is the scanned QR)."""

    msg_type: ClassVar[str] = "claim"
    result_type: ClassVar[type[WireRecord] | None] = ClaimResult
    topic_field: ClassVar[str | None] = "claim_id"
    claim_id: str
    payload: str
    amount: int
    currency: str
    store_id: str
    store_name: str


@dataclass(frozen=True)
class ClaimVoidMessage(WireMessage):
    """The redeeming store voided its claim: the issuer gives the value back if it still may."""

    msg_type: ClassVar[str] = "claim_void"
    result_type: ClassVar[type[WireRecord] | None] = ClaimVoidResult
    topic_field: ClassVar[str | None] = "claim_id"
    claim_id: str


@dataclass(frozen=True)
class StatementMessage(WireMessage):
    """A proposed statement up to `cutoff`: both directions' claims, what was cleared, balances."""

    msg_type: ClassVar[str] = "statement"
    result_type: ClassVar[type[WireRecord] | None] = StatementResult
    topic_field: ClassVar[str | None] = "statement_id"
    statement_id: str
    number: int
    cutoff: int
    previous: Bytes32
    claims: tuple[StatementClaimRow, ...]
    cleared: tuple[ClearedRow, ...]
    opening_payer: str
    opening: int
    payer: str
    amount: int
    closing_payer: str
    closing: int


@dataclass(frozen=True)
class PaymentMessage(WireMessage):
    """The payer sent the statement's net amount by bank transfer (`reference` as on the bank)."""

    msg_type: ClassVar[str] = "payment"
    topic_field: ClassVar[str | None] = "statement_id"
    statement_id: str
    amount: int
    reference: str


@dataclass(frozen=True)
class PaymentConfirmationMessage(WireMessage):
    """The payee saw the money arrive: both sides clear the statement."""

    msg_type: ClassVar[str] = "payment_confirmation"
    topic_field: ClassVar[str | None] = "statement_id"
    statement_id: str
    amount: int


@dataclass(frozen=True)
class CheckpointMessage(WireMessage):
    """Our signed log checkpoint, with a consistency proof from the last one we sent this partner
    (`proof` is the RFC 6962 hashes, concatenated)."""

    msg_type: ClassVar[str] = "checkpoint"
    result_type: ClassVar[type[WireRecord] | None] = CheckpointResult
    checkpoint: bytes
    signature: Bytes64
    old_size: int
    proof: bytes


SETTLEMENT_MESSAGES = message_types(
    ClaimMessage,
    ClaimVoidMessage,
    StatementMessage,
    PaymentMessage,
    PaymentConfirmationMessage,
    CheckpointMessage,
)

# Every message type of the protocol, peering's and settlement's: what a verifier reads a log with.
KNOWN_MESSAGES = message_types(*PEERING_MESSAGES.values(), *SETTLEMENT_MESSAGES.values())
