"""Statements, netting, payment and clearing between two partners.

Either side proposes a statement up to a cut-off: every accepted claim in both directions not yet
in a statement, the payments cleared since the last one, and the running balance (opening, net of
the claims, closing). The partner recomputes it from its own records; when it matches, its signed
reply naming the statement's hash makes the statement one record signed by both. The net is paid
by one side (`pay`), confirmed by the other (`confirm`), and both clear it in their books.

The rules are statement_protocol.py's and payment_protocol.py's; each handler here loads the
partner's book, calls one of them, and persists the Step (bookkeeping.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from node.errors import StatementNotFound
from node.peering import tables as peer_tables
from node.peering.context import Checked, NodeContext
from node.peering.model import Peer
from node.settlement import bookkeeping
from node.settlement import payment_protocol as payments
from node.settlement import statement_protocol as rules
from node.settlement.audit.checkpoints import make_checkpoint
from node.settlement.book import Book
from node.settlement.messages import (
    PaymentConfirmationMessage,
    PaymentMessage,
    StatementMessage,
    StatementResult,
)
from node.settlement.model import Decision


def propose(
    me: NodeContext, peer_id: str, cutoff: int, statement_id: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], str]:
    """Propose the next statement with a partner; returns its id."""

    def work(conn: sqlite3.Connection) -> str:
        peer = peer_tables.require_peer(conn, peer_id)
        book = bookkeeping.statement_book(conn, me, peer_id)
        step = rules.propose(book, peer.status, cutoff, statement_id, now_s)
        bookkeeping.save(conn, me, step, now_s, msg_id)
        return statement_id

    return work


def on_statement(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[StatementMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """A partner proposes a statement: recompute it from our records; agree, or list the breaks."""
    msg = checked.message
    sender = checked.header.sender
    taken = bookkeeping.record_of(conn, msg.statement_id) is not None
    book = bookkeeping.statement_book(conn, me, sender, [row.statement_id for row in msg.cleared])
    step = rules.receive_statement(book, msg, now_s, id_taken=taken)
    bookkeeping.save(conn, me, step, now_s)
    if step.result is None:
        raise TypeError("a statement answered without a result")
    return step.result.encode()


def apply_statement_result(
    conn: sqlite3.Connection,
    me: NodeContext,
    peer_id: str,
    sent: StatementMessage,
    result: StatementResult,
    now_s: int,
) -> None:
    """The partner's signed answer to our proposal."""
    msg, answer = sent, result
    named = [answer.statement_id, *(row.statement_id for row in msg.cleared)]
    book = bookkeeping.statement_book(conn, me, peer_id, named)  # a record of another partner's
    step = rules.apply_statement_result(book, msg, answer, now_s)
    bookkeeping.save(conn, me, step, now_s)
    if step.checkpoint:
        make_checkpoint(conn, me, now_s)


def _statement_book(conn: sqlite3.Connection, me: NodeContext, statement_id: str) -> Book:
    """The book of the partner a statement of ours is with (StatementNotFound if none)."""
    record = bookkeeping.record_of(conn, statement_id)
    if record is None:
        raise StatementNotFound()
    return bookkeeping.statement_book(conn, me, record.peer, [statement_id])


def pay(
    me: NodeContext, statement_id: str, reference: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], str]:
    """The payer records its bank transfer of the statement's net amount and tells the payee;
    returns the payee."""

    def work(conn: sqlite3.Connection) -> str:
        book = _statement_book(conn, me, statement_id)
        step = payments.pay(book, statement_id, reference, now_s)
        bookkeeping.save(conn, me, step, now_s, msg_id)
        return str(book.peer)

    return work


def on_payment(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[PaymentMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The payer says it paid: the payee's admin then confirms once the money is in the bank."""
    msg = checked.message
    book = bookkeeping.statement_book(conn, me, checked.header.sender, [msg.statement_id])
    bookkeeping.save(conn, me, payments.receive_payment(book, msg, now_s), now_s)
    return b""


def confirm(
    me: NodeContext, statement_id: str, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], str]:
    """The payee saw the money arrive: clear the statement here and tell the payer to do so;
    returns the payer."""

    def work(conn: sqlite3.Connection) -> str:
        book = _statement_book(conn, me, statement_id)
        step = payments.confirm(book, statement_id, now_s)
        bookkeeping.save(conn, me, step, now_s, msg_id)
        return str(book.peer)

    return work


def on_payment_confirmation(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[PaymentConfirmationMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The payee confirmed our payment: clear the statement in our books too."""
    msg = checked.message
    book = bookkeeping.statement_book(conn, me, checked.header.sender, [msg.statement_id])
    bookkeeping.save(conn, me, payments.receive_confirmation(book, msg, now_s), now_s)
    return b""


def checkpoint_if_agreed(
    conn: sqlite3.Connection, me: NodeContext, result: bytes, now_s: int
) -> None:
    """After our reply to a partner's statement is logged: an agreed statement gets a checkpoint
    (made after the reply, so the checkpoint never covers a message without its answer)."""
    if StatementResult.decode(result).decision == Decision.AGREED:
        make_checkpoint(conn, me, now_s)
