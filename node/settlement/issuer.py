"""Claims at the issuer (A): decide a partner's claim on our voucher in one transaction, and
give the value back when the partner voids it. The rules are protocol.py's; this loads the
claim and the voucher, asks, and persists the answer."""

from __future__ import annotations

import sqlite3

from node.ledger import tables as ledger_tables
from node.ledger import terms_tables
from node.peering.context import Checked, NodeContext
from node.peering.model import Peer
from node.peering.wire import WireRecord
from node.settlement import bookkeeping, protocol
from node.settlement import tables as settlement_tables
from node.settlement.messages import ClaimMessage, ClaimVoidMessage
from node.settlement.model import Role


def on_claim(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[ClaimMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """A partner's store redeemed our voucher: decide, and book it in this same transaction."""
    msg = checked.message
    sender, created = checked.header.sender, checked.header.created
    earlier = settlement_tables.load_claim(conn, sender, Role.ISSUER, msg.claim_id)
    voucher_id = protocol.voucher_named(msg.payload)
    voucher = None if voucher_id is None else ledger_tables.load_voucher(conn, voucher_id)
    book, terms = bookkeeping.claim_book(me, sender, [earlier]), bookkeeping.terms_of(me)
    limits = None if voucher is None else terms_tables.voucher_terms(conn, voucher.voucher_id)
    own_only = limits is not None and limits.own_stores_only
    step = protocol.decide_claim(
        book, terms, msg, created, voucher, now_s, own_stores_only=own_only
    )
    if step.code_spent is not None and not ledger_tables.claim_code(conn, *step.code_spent):
        step = protocol.decide_claim(
            book, terms, msg, created, voucher, now_s, code_used=True, own_stores_only=own_only
        )
    bookkeeping.save(conn, me, step, now_s)
    return _encoded(step.result)


def on_claim_void(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[ClaimVoidMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The partner's staff voided a redemption of our voucher: give the value back, if still
    possible (accepted, not yet in a statement, same business day as the redemption)."""
    msg = checked.message
    sender = checked.header.sender
    protocol.require_claim_id(msg.claim_id)
    claim = settlement_tables.load_claim(conn, sender, Role.ISSUER, msg.claim_id)
    voucher = None if claim is None else ledger_tables.load_voucher(conn, claim.voucher_id)
    book = bookkeeping.claim_book(me, sender, [claim])
    terms = bookkeeping.terms_of(me)
    step = protocol.decide_void(book, terms, msg, checked.header.created, voucher, now_s)
    bookkeeping.save(conn, me, step, now_s)
    return _encoded(step.result)


def _encoded(result: WireRecord | None) -> bytes:
    if result is None:  # every claim and void step answers; a missing one is our bug
        raise TypeError("a claim decision without a result")
    return result.encode()
