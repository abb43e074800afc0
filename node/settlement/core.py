"""Settlement rules, pure: claim decisions and their journal entries, exposure, statements, netting.

Nothing here reads the clock, draws randomness or touches a database; the shell passes `now` in
and writes what these functions return in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from node.errors import (
    CodeAlreadyUsed,
    ExposureLimit,
    IllegalTransition,
    InsufficientBalance,
    InvalidAmount,
    VoucherExpired,
)
from node.ledger.core import journal_entry, require_usable, transition
from node.ledger.model import (
    EntryKind,
    Outcome,
    Voucher,
    VoucherStatus,
    cash_account,
    revenue_account,
    voucher_account,
)
from node.settlement.messages import ClearedRow, StatementClaimRow, StatementMessage
from node.settlement.model import (
    ALLOWED_CLAIM_TRANSITIONS,
    ALLOWED_STATEMENT_TRANSITIONS,
    Break,
    BreakKind,
    Claim,
    ClaimStatus,
    ClearedItem,
    Owed,
    Statement,
    StatementItem,
    StatementStatus,
)

RECEIVABLE_PREFIX = "receivable:"
PAYABLE_PREFIX = "payable:"
MAX_BREAKS = 200  # listed in one reply; a partner with more differences needs `reconcile` rounds


def receivable_account(peer: str) -> str:
    """What a partner owes us for its vouchers redeemed at our stores (売掛)."""
    return RECEIVABLE_PREFIX + peer


def payable_account(peer: str) -> str:
    """What we owe a partner for our vouchers redeemed at its stores (買掛)."""
    return PAYABLE_PREFIX + peer


def claim_transition(current: ClaimStatus, target: ClaimStatus) -> ClaimStatus:
    if current != target and (current, target) not in ALLOWED_CLAIM_TRANSITIONS:
        raise IllegalTransition(f"claim {current} -> {target} is not allowed")
    return target


def statement_transition(current: StatementStatus, target: StatementStatus) -> StatementStatus:
    if current != target and (current, target) not in ALLOWED_STATEMENT_TRANSITIONS:
        raise IllegalTransition(f"statement {current} -> {target} is not allowed")
    return target


def _spend(voucher: Voucher, amount_yen: int) -> Voucher:
    balance = voucher.balance_yen - amount_yen
    status = VoucherStatus.EXHAUSTED if balance == 0 else VoucherStatus.ACTIVE
    return transition(replace(voucher, balance_yen=balance), status)


def _as_at_scan(voucher: Voucher, scanned_at: datetime) -> Voucher:
    """The voucher as the partner's counter saw it: not yet suspended if the scan came first."""
    if voucher.suspended_at is not None and scanned_at < voucher.suspended_at:
        return replace(voucher, suspended_at=None)
    return voucher


def accept_claim(
    voucher: Voucher, peer: str, amount_yen: int, scanned: datetime, now: datetime, txn_id: str
) -> Outcome:
    """Issuer side: the partner's store took `amount_yen` of our voucher; we owe the partner that.

    Expiry and suspension are judged when the store scanned the code (`scanned`): a claim delayed
    by an outage is honoured if the voucher was valid at the counter and its remainder has not yet
    gone to breakage, and a suspension made after the scan does not undo a sale the customer has
    already paid for (only a claim scanned at or after `suspended_at` is refused)."""
    if isinstance(amount_yen, bool) or not isinstance(amount_yen, int) or amount_yen < 1:
        raise InvalidAmount()
    scanned_at = min(scanned, now)
    require_usable(_as_at_scan(voucher, scanned_at), scanned_at)
    if amount_yen > voucher.balance_yen:
        raise InsufficientBalance(balance=voucher.balance_yen)
    entry = journal_entry(
        txn_id,
        EntryKind.CLAIM,
        now,
        (voucher_account(voucher.voucher_id), amount_yen),
        (payable_account(peer), -amount_yen),
    )
    return Outcome((_spend(voucher, amount_yen),), entry)


def void_accepted_claim(
    voucher: Voucher, peer: str, amount_yen: int, now: datetime, txn_id: str
) -> Outcome:
    """Issuer side: a voided claim gives the value back to the voucher and we owe nothing for it."""
    if voucher.status in (VoucherStatus.EXPIRED, VoucherStatus.VOID) or voucher.is_expired_at(now):
        raise VoucherExpired("The voucher has expired or was voided; the redemption stands.")
    balance = voucher.balance_yen + amount_yen
    after = transition(replace(voucher, balance_yen=balance), VoucherStatus.ACTIVE)
    entry = journal_entry(
        txn_id,
        EntryKind.CLAIM_VOID,
        now,
        (payable_account(peer), amount_yen),
        (voucher_account(voucher.voucher_id), -amount_yen),
    )
    return Outcome((after,), entry)


def book_claim(peer: str, store_id: str, amount_yen: int, now: datetime, txn_id: str) -> Outcome:
    """Redeemer side: the issuer accepted; it owes us the amount, earned by our store."""
    entry = journal_entry(
        txn_id,
        EntryKind.CLAIM,
        now,
        (receivable_account(peer), amount_yen),
        (revenue_account(store_id), -amount_yen),
    )
    return Outcome((), entry)


def unbook_claim(peer: str, store_id: str, amount_yen: int, now: datetime, txn_id: str) -> Outcome:
    """Redeemer side: the issuer voided the claim; the receivable and the revenue go away."""
    entry = journal_entry(
        txn_id,
        EntryKind.CLAIM_VOID,
        now,
        (revenue_account(store_id), amount_yen),
        (receivable_account(peer), -amount_yen),
    )
    return Outcome((), entry)


def check_exposure(limit_yen: int | None, owed_yen: int, amount_yen: int) -> None:
    """The partner may owe us at most `limit_yen` (net, pending claims included)."""
    if limit_yen is not None and owed_yen + amount_yen > limit_yen:
        raise ExposureLimit(limit=limit_yen, owed=owed_yen)


# -- statements --------------------------------------------------------------------------------


def parties(me: str, peer: str) -> tuple[str, str]:
    """The pair in a fixed order, so both sides compute signed amounts the same way."""
    return (me, peer) if me < peer else (peer, me)


def signed_owed(owed: Owed, pair: tuple[str, str]) -> int:
    """What the pair's first node owes the second: positive, negative, or zero."""
    if owed.amount_yen == 0:
        return 0
    return owed.amount_yen if owed.payer == pair[0] else -owed.amount_yen


def owed_from_signed(first_owes_second: int, pair: tuple[str, str]) -> Owed:
    if first_owes_second == 0:
        return Owed("", 0)
    if first_owes_second > 0:
        return Owed(pair[0], first_owes_second)
    return Owed(pair[1], -first_owes_second)


def net_of_items(items: Iterable[StatementItem], pair: tuple[str, str]) -> int:
    """Netting (相殺): each claim is owed by its issuer; opposite directions cancel out."""
    return sum(i.amount_yen if i.issuer == pair[0] else -i.amount_yen for i in items)


def build_statement(
    statement_id: str,
    number: int,
    cutoff: int,
    previous: bytes,
    pair: tuple[str, str],
    items: Iterable[StatementItem],
    cleared: Iterable[ClearedItem],
    opening: Owed,
) -> Statement:
    """Opening (the previous closing) + the net of the claims - payments cleared since = closing."""
    claims = tuple(sorted(items, key=lambda i: i.claim_id))
    paid = tuple(sorted(cleared, key=lambda c: c.statement_id))
    net = net_of_items(claims, pair)
    paid_signed = sum(signed_owed(Owed(c.payer, c.amount_yen), pair) for c in paid)
    closing = signed_owed(opening, pair) + net - paid_signed
    return Statement(
        statement_id=statement_id,
        number=number,
        cutoff=cutoff,
        previous=previous,
        claims=claims,
        cleared=paid,
        opening=opening,
        net=owed_from_signed(net, pair),
        closing=owed_from_signed(closing, pair),
    )


def statement_message(statement: Statement) -> StatementMessage:
    """The `statement` message that proposes this statement (docs/protocol.md)."""
    return StatementMessage(
        statement_id=statement.statement_id,
        number=statement.number,
        cutoff=statement.cutoff,
        previous=statement.previous,
        claims=tuple(
            StatementClaimRow(i.claim_id, i.issuer, i.amount_yen) for i in statement.claims
        ),
        cleared=tuple(ClearedRow(c.statement_id, c.payer, c.amount_yen) for c in statement.cleared),
        opening_payer=statement.opening.payer,
        opening=statement.opening.amount_yen,
        payer=statement.net.payer,
        amount=statement.net.amount_yen,
        closing_payer=statement.closing.payer,
        closing=statement.closing.amount_yen,
    )


def statement_from_message(message: StatementMessage) -> Statement:
    return Statement(
        statement_id=message.statement_id,
        number=message.number,
        cutoff=message.cutoff,
        previous=message.previous,
        claims=tuple(StatementItem(*row) for row in message.claims),
        cleared=tuple(ClearedItem(*row) for row in message.cleared),
        opening=Owed(message.opening_payer, message.opening),
        net=Owed(message.payer, message.amount),
        closing=Owed(message.closing_payer, message.closing),
    )


def stored_statement(fields: bytes) -> Statement:
    """A statement from the fields of its message as stored (`statements.fields`)."""
    return statement_from_message(StatementMessage.unpack_fields(fields))


def statement_hash(statement: Statement) -> bytes:
    """SHA-256 of the statement's fields packed as in a message: what the partner countersigns."""
    return hashlib.sha256(statement_message(statement).pack_fields()).digest()


def compare_statements(theirs: Statement, mine: Statement, pair: tuple[str, str]) -> list[Break]:
    """Every difference between the partner's proposal and what our own records give."""
    breaks: list[Break] = []
    if theirs.number != mine.number or theirs.previous != mine.previous:
        breaks.append(Break(f"#{theirs.number}", BreakKind.SEQUENCE, mine.number, theirs.number))
    ours_by_id = {i.claim_id: i for i in mine.claims}
    theirs_by_id = {i.claim_id: i for i in theirs.claims}
    for claim_id in sorted(ours_by_id.keys() | theirs_by_id.keys()):
        our, their = ours_by_id.get(claim_id), theirs_by_id.get(claim_id)
        if our is None and their is not None:
            breaks.append(Break(claim_id, BreakKind.MISSING_HERE, 0, their.amount_yen))
        elif their is None and our is not None:
            breaks.append(Break(claim_id, BreakKind.MISSING_THERE, our.amount_yen, 0))
        elif our is not None and their is not None:
            if our.issuer != their.issuer:
                breaks.append(Break(claim_id, BreakKind.ISSUER, our.amount_yen, their.amount_yen))
            elif our.amount_yen != their.amount_yen:
                breaks.append(Break(claim_id, BreakKind.AMOUNT, our.amount_yen, their.amount_yen))
    if {(c.statement_id, c.payer, c.amount_yen) for c in theirs.cleared} != {
        (c.statement_id, c.payer, c.amount_yen) for c in mine.cleared
    }:
        breaks.append(
            Break(
                "cleared",
                BreakKind.CLEARED,
                sum(c.amount_yen for c in mine.cleared),
                sum(c.amount_yen for c in theirs.cleared),
            )
        )
    recomputed = build_statement(
        theirs.statement_id,
        theirs.number,
        theirs.cutoff,
        theirs.previous,
        pair,
        theirs.claims,
        theirs.cleared,
        theirs.opening,
    )
    if (recomputed.net, recomputed.closing) != (theirs.net, theirs.closing) or (
        signed_owed(theirs.opening, pair) != signed_owed(mine.opening, pair)
    ):
        breaks.append(
            Break(
                "totals",
                BreakKind.TOTALS,
                signed_owed(mine.closing, pair),
                signed_owed(theirs.closing, pair),
            )
        )
    return breaks


def clearing_outcome(
    me: str, peer: str, statement: Statement, now: datetime, txn_id: str
) -> Outcome | None:
    """Both sides, once paid and confirmed: the statement's receivables and payables are cleared
    (消し込み) against each other and the bank; None when the statement has no claims."""
    owed_to_me = sum(i.amount_yen for i in statement.claims if i.issuer == peer)
    owed_by_me = sum(i.amount_yen for i in statement.claims if i.issuer == me)
    if owed_to_me == 0 and owed_by_me == 0:
        return None
    entry = journal_entry(
        txn_id,
        EntryKind.SETTLEMENT,
        now,
        (payable_account(peer), owed_by_me),
        (receivable_account(peer), -owed_to_me),
        (cash_account(None), owed_to_me - owed_by_me),
    )
    return Outcome((), entry)


def repeat_of_claim(
    earlier: Claim | None, store_id: str, amount_yen: int, now_s: int, window_s: int
) -> Claim | None:
    """A partner's code we already claimed with, at the same store for the same amount, is a
    retry whose answer was lost, within `window_s` seconds of the claim: the answer is the claim
    it made. Later the same code, store and amount are refused here as used (the code made that
    claim; a screenshot shown again the next day is not a retry). Anything else (None) is a new
    claim, which the issuer, the one authority on its vouchers, refuses if the code is spent;
    a rejected or voided claim is never answered again."""
    if (
        earlier is None
        or earlier.status in (ClaimStatus.REJECTED, ClaimStatus.VOIDED)
        or earlier.void_requested_at is not None
        or earlier.store_id != store_id
        or earlier.amount_yen != amount_yen
    ):
        return None
    if now_s - earlier.created_at > window_s:
        raise CodeAlreadyUsed()
    return earlier
