"""Claims: the redeemer asks, the issuer decides in one transaction, the redeemer books the answer.

B (our store took partner A's voucher): `start_claim` records the claim and queues the signed
`claim` in the same transaction; A's signed reply carries the decision, which `apply_claim_result`
books. Voids follow the same path with `claim_void`. The issuer's side is node/settlement/issuer.py.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable

from node.errors import (
    AlreadyVoided,
    ClaimPending,
    ForeignVoucher,
    MalformedEnvelope,
    PartnerNotActive,
    StoreNotFound,
    VoidNotAllowed,
    VoidWindowClosed,
    default_message,
    known_codes,
)
from node.ledger import tables as ledger_tables
from node.ledger.calendar import same_business_day
from node.ledger.core import require_amount
from node.ledger.numbers import receipt_number
from node.ledger.qr import VoucherCode
from node.ledger.rows import from_epoch
from node.peering import tables as peer_tables
from node.peering.model import PeerStatus
from node.peering.operations import Self
from node.peering.outbound import enqueue
from node.settlement import core
from node.settlement import tables as settlement_tables
from node.settlement.messages import ClaimMessage, ClaimResult, ClaimVoidMessage, ClaimVoidResult
from node.settlement.model import Claim, ClaimStatus, Decision, Role
from node.text import is_printable

MAX_ID_CHARS = 64
MAX_NAME_CHARS = 200


def derived_txn_id(*parts: str) -> str:
    """A journal id fixed by the claim (handlers have no randomness; the claim is unique)."""
    return "tx_" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:26]


def printable(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """Text from a partner, safe to store and show: control characters dropped, length capped."""
    return "".join(c for c in text if is_printable(c))[:limit]


ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")


def require_claim_id(claim_id: str) -> None:
    """Letters, digits, - and _ only: claim ids reach our pages' links and file names."""
    if not (0 < len(claim_id) <= MAX_ID_CHARS and ID_CHARS.fullmatch(claim_id)):
        raise MalformedEnvelope("A claim id is 1-64 letters, digits, - or _.")


# -- at the redeemer (B) ------------------------------------------------------------------------


def start_claim(
    me: Self,
    code: VoucherCode,
    payload: str,
    amount_yen: int,
    store_id: str,
    now_s: int,
    claim_id: str,
    msg_id: str,
) -> Callable[[sqlite3.Connection], tuple[Claim, bool]]:
    """Record our claim on a partner's voucher and queue it for the issuer, in one transaction.

    A code we already claimed with, at the same store for the same amount, is a retry: the
    answer is that claim (and True), and nothing new is queued."""

    def work(conn: sqlite3.Connection) -> tuple[Claim, bool]:
        earlier = settlement_tables.claim_of_code(conn, code_key(code), store_id, amount_yen)
        window_s = me.settings.retry_window_s
        repeated = core.repeat_of_claim(earlier, store_id, amount_yen, now_s, window_s)
        if repeated is not None:
            return repeated, True
        issuer = code.issuer_id or ""
        peer = peer_tables.load_peer(conn, issuer)
        if peer is None or peer.status == PeerStatus.REMOVED:
            raise ForeignVoucher(issuer=issuer)  # not a partner: only its own stores take it
        if peer.status != PeerStatus.ACTIVE:
            raise PartnerNotActive(issuer=issuer, status=str(peer.status))
        shop = ledger_tables.load_store(conn, store_id)
        if shop is None:
            raise StoreNotFound()
        require_amount(amount_yen, me.settings.policy.max_voucher_yen)
        if peer.max_receivable_yen is not None:  # the sum is over every open claim: only if asked
            owed = settlement_tables.owed_by_peer(conn, issuer)
            core.check_exposure(peer.max_receivable_yen, owed, amount_yen)
        claim = Claim(
            claim_id=claim_id,
            peer=issuer,
            role=Role.REDEEMER,
            voucher_id=code.voucher_id,
            store_id=shop.store_id,
            store_name=shop.name,
            amount_yen=amount_yen,
            status=ClaimStatus.CLAIMED,
            created_at=now_s,
        )
        settlement_tables.insert_claim(conn, claim, None)
        message = ClaimMessage(
            claim_id=claim_id,
            payload=payload,
            amount=amount_yen,
            currency=me.currency,
            store_id=shop.store_id,
            store_name=shop.name[:MAX_NAME_CHARS],
        )
        enqueue(conn, me, issuer, message, now_s, msg_id)
        # Codes past the retry window are only refused (or claimed anew): forget them here, so
        # the table holds one window's claims.
        settlement_tables.forget_claim_codes(conn, now_s - window_s)
        settlement_tables.remember_claim_code(conn, code_key(code), claim)
        return claim, False

    return work


def code_key(code: VoucherCode) -> str:
    """A partner's code as one string: the same code however it was typed or scanned."""
    return f"{code.issuer_id}:{code.voucher_id}:{code.step}:{code.nonce}:{code.mac}"


def answers(sent_id: str, result_id: str, key: str) -> None:
    """The reply's result is about the message it answers (the same `key`, e.g. claim_id)."""
    if result_id != sent_id:
        raise MalformedEnvelope(f"The reply's result names another {key} than the message.")


def apply_claim_result(
    conn: sqlite3.Connection,
    me: Self,
    peer_id: str,
    sent: ClaimMessage,
    result: ClaimResult,
    now_s: int,
) -> None:
    """The issuer's signed decision on one of our claims: book the receivable, or the rejection."""
    answers(sent.claim_id, result.claim_id, "claim_id")
    if result.decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise MalformedEnvelope("Unknown claim decision.")
    claim = settlement_tables.load_claim(conn, peer_id, Role.REDEEMER, result.claim_id)
    if claim is None or claim.status != ClaimStatus.CLAIMED:
        return  # answered before (a repeated reply): the first answer stands
    if result.decision == Decision.ACCEPTED:
        txn_id = derived_txn_id("book", peer_id, claim.claim_id)
        outcome = core.book_claim(
            peer_id, claim.store_id, claim.amount_yen, from_epoch(now_s), txn_id
        )
        ledger_tables.save_outcome(conn, outcome)
        settlement_tables.update_claim(
            conn,
            claim,
            status=ClaimStatus.ACCEPTED,
            decided_at=result.decided_at,
            balance_after=result.balance_after,
            receipt_no=receipt_number(ledger_tables.next_counter(conn, "receipt")),
            txn_id=txn_id,
        )
    else:
        code, message = partner_reason(result.code)
        settlement_tables.update_claim(
            conn,
            claim,
            status=ClaimStatus.REJECTED,
            decided_at=result.decided_at,
            reason_code=code,
            reason=message,
        )


def partner_reason(code: str) -> tuple[str, str]:
    """A reason code a partner reported, shown with our own words (its text is not trusted)."""
    cls = known_codes().get(code)
    if cls is None:
        return "settlement.claim_rejected", "The issuer rejected the claim."
    return cls.code, default_message(cls)


def request_void(
    me: Self, claim_id: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], tuple[Claim, bool]]:
    """Staff void a partner-voucher redemption: the issuer must give the value back.
    Returns the claim and whether a void was queued now (False: one was already on its way)."""

    def work(conn: sqlite3.Connection) -> tuple[Claim, bool]:
        claim = settlement_tables.require_own_claim(conn, claim_id)
        if claim.status == ClaimStatus.CLAIMED:
            raise ClaimPending()
        if claim.status == ClaimStatus.VOIDED:
            raise AlreadyVoided()
        if claim.void_requested_at is not None:
            return claim, False
        if claim.status != ClaimStatus.ACCEPTED or claim.statement_id is not None:
            raise VoidNotAllowed(status=str(claim.status))
        require_same_day(me, claim, now_s)
        settlement_tables.update_claim(conn, claim, void_requested_at=now_s)
        enqueue(conn, me, claim.peer, ClaimVoidMessage(claim_id), now_s, msg_id)
        return claim, True

    return work


def require_same_day(me: Self, claim: Claim, at_s: int) -> None:
    decided = claim.decided_at if claim.decided_at is not None else claim.created_at
    if me.settings.policy.void_same_day_only and not same_business_day(
        from_epoch(decided), from_epoch(at_s), me.settings.zone
    ):
        raise VoidWindowClosed()


def apply_void_result(
    conn: sqlite3.Connection,
    me: Self,
    peer_id: str,
    sent: ClaimVoidMessage,
    result: ClaimVoidResult,
    now_s: int,
) -> None:
    answers(sent.claim_id, result.claim_id, "claim_id")
    if result.decision not in (Decision.VOIDED, Decision.REFUSED):
        raise MalformedEnvelope("Unknown void decision.")
    claim = settlement_tables.load_claim(conn, peer_id, Role.REDEEMER, result.claim_id)
    if claim is None or claim.status != ClaimStatus.ACCEPTED or claim.void_requested_at is None:
        return
    if result.decision == Decision.VOIDED:
        txn_id = derived_txn_id("unbook", peer_id, claim.claim_id)
        outcome = core.unbook_claim(
            peer_id, claim.store_id, claim.amount_yen, from_epoch(now_s), txn_id
        )
        ledger_tables.save_outcome(conn, outcome)
        settlement_tables.update_claim(
            conn,
            claim,
            status=ClaimStatus.VOIDED,
            balance_after=result.balance_after,
            void_txn_id=txn_id,
        )
    else:
        code, message = partner_reason(result.code)
        settlement_tables.update_claim(
            conn, claim, void_requested_at=None, reason_code=code, reason=message
        )
