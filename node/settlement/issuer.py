"""Claims at the issuer (A): decide a partner's claim on our voucher in one transaction, and
give the value back when the partner voids it."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import replace

from node.errors import (
    ClaimNotFound,
    CodeAlreadyUsed,
    CurrencyMismatch,
    ForeignVoucher,
    LedgerError,
    MalformedEnvelope,
    NotFound,
    SettlementError,
    ValidationError,
    VoidNotAllowed,
    VoucherNotFound,
)
from node.ledger import tables as ledger_tables
from node.ledger.core import require_amount
from node.ledger.model import Voucher
from node.ledger.qr import VoucherCode, parse_code, step_of, verify_code
from node.ledger.rows import from_epoch
from node.peering.model import Peer
from node.peering.operations import Self
from node.peering.routing import Checked
from node.settlement import core
from node.settlement import tables as settlement_tables
from node.settlement.claims import (
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    derived_txn_id,
    printable,
    require_claim_id,
    require_same_day,
)
from node.settlement.messages import ClaimMessage, ClaimResult, ClaimVoidMessage, ClaimVoidResult
from node.settlement.model import Claim, ClaimStatus, Decision, Role

# Refusals that are decisions about the claim (recorded, answered "rejected"), as opposed to a
# malformed or unauthorised message (refused, nothing recorded, retried by the sender).
REJECTIONS = (LedgerError, NotFound, ValidationError)


def _check_code(
    me: Self, conn: sqlite3.Connection, asked: ClaimMessage, created: int
) -> tuple[VoucherCode, Voucher, int]:
    if asked.currency != me.currency:
        raise CurrencyMismatch(currency=asked.currency[:8])
    require_amount(asked.amount, me.settings.policy.max_voucher_yen)
    code = parse_code(asked.payload)
    if code.issuer_id != me.identity.node_id:
        raise ForeignVoucher("This voucher was not issued by this node.")
    voucher = ledger_tables.load_voucher(conn, code.voucher_id)
    if voucher is None:
        raise VoucherNotFound()
    # The code is judged at the moment the partner's store scanned it (its signed `created`), so
    # a claim delayed by an outage is still decided on its merits. A partner clock running up to
    # one step behind ours would make a fresh code look "from the future": allow that step.
    steps = me.settings.step_seconds
    scanned = created
    if code.step is not None and code.step > step_of(from_epoch(created), steps):
        scanned = created + steps
    step = verify_code(code, voucher.secret, from_epoch(scanned), steps)
    return code, voucher, step


def on_claim(
    conn: sqlite3.Connection,
    me: Self,
    checked: Checked[ClaimMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """A partner's store redeemed our voucher: decide, and book it in this same transaction."""
    asked, sender = checked.message, checked.header.sender
    claim_id = asked.claim_id
    require_claim_id(claim_id)
    if asked.amount < 1:
        raise MalformedEnvelope("A claim's amount must be at least 1.")
    if settlement_tables.load_claim(conn, sender, Role.ISSUER, claim_id) is not None:
        raise MalformedEnvelope("This claim id was already used in another message.")
    claim = Claim(
        claim_id=claim_id,
        peer=sender,
        role=Role.ISSUER,
        voucher_id="",
        store_id=printable(asked.store_id, MAX_ID_CHARS),
        store_name=printable(asked.store_name),
        amount_yen=asked.amount,
        status=ClaimStatus.REJECTED,
        created_at=checked.header.created,
        decided_at=now_s,
    )
    result = ClaimResult(
        claim_id=claim_id,
        decision=str(Decision.REJECTED),
        code="",
        message="",
        balance_after=0,
        decided_at=now_s,
    )
    with contextlib.suppress(ValidationError):  # an unreadable payload is rejected below
        claim = replace(claim, voucher_id=parse_code(asked.payload).voucher_id)
    try:
        code, voucher, step = _check_code(me, conn, asked, checked.header.created)
        txn_id = derived_txn_id("claim", sender, claim_id)
        outcome = core.accept_claim(
            voucher,
            sender,
            asked.amount,
            from_epoch(checked.header.created),
            from_epoch(now_s),
            txn_id,
        )
        if not ledger_tables.claim_code(conn, voucher.voucher_id, step, code.nonce):
            raise CodeAlreadyUsed()  # the last check: nothing is written before it
    except REJECTIONS as exc:
        rejected = replace(claim, reason_code=exc.code, reason=exc.message[:MAX_NAME_CHARS])
        settlement_tables.insert_claim(conn, rejected, None)
        return replace(result, code=exc.code, message=exc.message).encode()
    ledger_tables.save_outcome(conn, outcome)
    after = outcome.vouchers[0].balance_yen
    accepted = replace(
        claim, voucher_id=voucher.voucher_id, status=ClaimStatus.ACCEPTED, balance_after=after
    )
    settlement_tables.insert_claim(conn, accepted, txn_id)
    accepted_result = replace(
        result, decision=str(Decision.ACCEPTED), code="ok", balance_after=after
    )
    return accepted_result.encode()


def on_claim_void(
    conn: sqlite3.Connection,
    me: Self,
    checked: Checked[ClaimVoidMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The partner's staff voided a redemption of our voucher: give the value back, if still
    possible (accepted, not yet in a statement, same business day as the redemption)."""
    sender, claim_id = checked.header.sender, checked.message.claim_id
    require_claim_id(claim_id)
    result = ClaimVoidResult(
        claim_id=claim_id, decision=str(Decision.REFUSED), code="", message="", balance_after=0
    )
    claim = settlement_tables.load_claim(conn, sender, Role.ISSUER, claim_id)
    try:
        if claim is None:
            raise ClaimNotFound()
        voucher = ledger_tables.load_voucher(conn, claim.voucher_id)
        if voucher is None:
            raise VoucherNotFound()
        if claim.status == ClaimStatus.VOIDED:
            return replace(
                result, decision=str(Decision.VOIDED), code="ok", balance_after=voucher.balance_yen
            ).encode()
        if claim.status != ClaimStatus.ACCEPTED or claim.statement_id is not None:
            raise VoidNotAllowed(status=str(claim.status))
        require_same_day(me, claim, checked.header.created)
        txn_id = derived_txn_id("void", sender, claim_id)
        outcome = core.void_accepted_claim(
            voucher, sender, claim.amount_yen, from_epoch(now_s), txn_id
        )
    except (*REJECTIONS, SettlementError) as exc:
        return replace(result, code=exc.code, message=exc.message).encode()
    ledger_tables.save_outcome(conn, outcome)
    settlement_tables.update_claim(conn, claim, status=ClaimStatus.VOIDED, void_txn_id=txn_id)
    after = outcome.vouchers[0].balance_yen
    return replace(result, decision=str(Decision.VOIDED), code="ok", balance_after=after).encode()
