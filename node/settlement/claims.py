"""Claims: the redeemer asks, the issuer decides in one transaction, the redeemer books the answer.

B (our store took partner A's voucher): `start_claim` records the claim and queues the signed
`claim` in the same transaction; A's signed reply carries the decision, which `apply_claim_result`
books. Voids follow the same path with `claim_void`. The issuer's side is node/settlement/issuer.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from node.ledger import tables as ledger_tables
from node.ledger.qr import VoucherCode
from node.peering import tables as peer_tables
from node.peering.context import NodeContext
from node.settlement import bookkeeping, core, protocol
from node.settlement import tables as settlement_tables
from node.settlement.messages import ClaimMessage, ClaimResult, ClaimVoidMessage, ClaimVoidResult
from node.settlement.model import Claim, Role

# -- at the redeemer (B) ------------------------------------------------------------------------


def start_claim(
    me: NodeContext,
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
        issuer_id = code.issuer_id or ""
        shop = ledger_tables.load_store(conn, store_id)
        step = protocol.open_claim(
            bookkeeping.claim_book(me, issuer_id, ()),
            bookkeeping.terms_of(me),
            _counterparty(conn, issuer_id),
            code,
            payload,
            None if shop is None else (shop.store_id, shop.name),
            amount_yen,
            claim_id,
            now_s,
        )
        bookkeeping.save(conn, me, step, now_s, msg_id)
        claim = step.claim_writes[0].after
        # Codes past the retry window are only refused (or claimed anew): forget them here, so
        # the table holds one window's claims.
        settlement_tables.forget_claim_codes(conn, now_s - window_s)
        settlement_tables.remember_claim_code(conn, code_key(code), claim)
        return claim, False

    return work


def _counterparty(conn: sqlite3.Connection, issuer: str) -> protocol.Counterparty:
    """The issuer as a partner; what it owes us is summed only when a limit asks for it."""
    peer = peer_tables.load_peer(conn, issuer)
    if peer is None:
        return protocol.Counterparty(None)
    owed = 0
    if peer.max_receivable_yen is not None:
        owed = settlement_tables.owed_by_peer(conn, issuer)
    return protocol.Counterparty(peer.status, peer.max_receivable_yen, owed)


def code_key(code: VoucherCode) -> str:
    """A partner's code as one string: the same code however it was typed or scanned."""
    return f"{code.issuer_id}:{code.voucher_id}:{code.step}:{code.nonce}:{code.mac}"


def apply_claim_result(
    conn: sqlite3.Connection,
    me: NodeContext,
    peer_id: str,
    sent: ClaimMessage,
    result: ClaimResult,
    now_s: int,
) -> None:
    """The issuer's signed decision on one of our claims: book the receivable, or the rejection."""
    claim = settlement_tables.load_claim(conn, peer_id, Role.REDEEMER, result.claim_id)
    book = bookkeeping.claim_book(me, peer_id, [claim])
    step = protocol.apply_claim_result(book, sent, result, now_s)
    bookkeeping.save(conn, me, step, now_s)


def request_void(
    me: NodeContext, claim_id: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], tuple[Claim, bool]]:
    """Staff void a partner-voucher redemption: the issuer must give the value back.
    Returns the claim and whether a void was queued now (False: one was already on its way)."""

    def work(conn: sqlite3.Connection) -> tuple[Claim, bool]:
        claim = settlement_tables.require_own_claim(conn, claim_id)
        book = bookkeeping.claim_book(me, claim.peer, [claim])
        step = protocol.request_void(book, bookkeeping.terms_of(me), claim_id, now_s)
        bookkeeping.save(conn, me, step, now_s, msg_id)
        return claim, bool(step.outgoing)

    return work


def apply_void_result(
    conn: sqlite3.Connection,
    me: NodeContext,
    peer_id: str,
    sent: ClaimVoidMessage,
    result: ClaimVoidResult,
    now_s: int,
) -> None:
    """The issuer voided our claim or refused to; the claim follows its answer."""
    claim = settlement_tables.load_claim(conn, peer_id, Role.REDEEMER, result.claim_id)
    book = bookkeeping.claim_book(me, peer_id, [claim])
    step = protocol.apply_void_result(book, sent, result, now_s)
    bookkeeping.save(conn, me, step, now_s)
