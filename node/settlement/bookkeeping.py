"""The protocol's shell: load a partner's Book from the tables, write a Step back, in the
writer's transaction (the caller's `conn`). Every settlement handler is load, call, persist."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from node.ledger import tables as ledger_tables
from node.ledger.numbers import receipt_number
from node.peering.context import NodeContext
from node.peering.outbound import enqueue
from node.settlement import tables as settlement_tables
from node.settlement.book import Book, ClaimWrite, StatementRecord, StatementWrite, Step, Terms
from node.settlement.model import Claim
from node.settlement.statement_protocol import packed_fields


def terms_of(me: NodeContext) -> Terms:
    policy = me.settings.policy
    return Terms(
        node_id=me.identity.node_id,
        currency=me.currency,
        max_voucher_yen=policy.max_voucher_yen,
        step_seconds=me.settings.step_seconds,
        void_same_day_only=policy.void_same_day_only,
        zone=me.settings.zone,
        retry_window_s=me.settings.retry_window_s,
    )


def claim_book(me: NodeContext, peer: str, claims: Iterable[Claim | None]) -> Book:
    """A book holding just the claims one claim message is about (the fast path)."""
    return Book(me.identity.node_id, peer).with_claims(c for c in claims if c is not None)


def statement_book(
    conn: sqlite3.Connection, me: NodeContext, peer: str, statement_ids: Iterable[str] = ()
) -> Book:
    """The partner's live claims and statements, plus the named statements and their claims."""
    named = settlement_tables.statement_records(conn, list(statement_ids))
    claims = settlement_tables.live_claims(conn, peer)
    for record in named:
        if record.peer == peer:  # another partner's statement is only there to be refused
            claims += settlement_tables.statement_claims(conn, record.statement.statement_id)
    book = Book(me.identity.node_id, peer).with_claims(claims)
    return book.with_statements([*settlement_tables.live_statements(conn, book.me, peer), *named])


def save(
    conn: sqlite3.Connection, me: NodeContext, step: Step, now_s: int, msg_id: str = ""
) -> None:
    """Make a step durable: its postings first (claims and statements name their journal
    entries), then its claims and statements, then its messages."""
    for outcome in step.postings:
        ledger_tables.save_outcome(conn, outcome)
    for claim_write in step.claim_writes:
        _save_claim(conn, claim_write)
    for statement_write in step.statement_writes:
        _save_statement(conn, statement_write)
    for message in step.outgoing:
        enqueue(conn, me, step.book.peer, message, now_s, msg_id)


def _changed(before: Any, after: Any, skip: tuple[str, ...] = ()) -> dict[str, object]:
    """The columns whose values differ between two records of one row (not wire fields)."""
    return {
        f.name: getattr(after, f.name)
        for f in fields(after)
        if f.name not in skip and getattr(before, f.name) != getattr(after, f.name)
    }


def _save_claim(conn: sqlite3.Connection, write: ClaimWrite) -> None:
    if write.before is None:
        settlement_tables.insert_claim(conn, write.after, write.txn_id)
        return
    values = _changed(write.before, write.after)
    if write.needs_receipt:
        values["receipt_no"] = receipt_number(ledger_tables.next_counter(conn, "receipt"))
    if write.txn_id is not None:
        values["txn_id"] = write.txn_id
    if write.void_txn_id is not None:
        values["void_txn_id"] = write.void_txn_id
    if values:
        settlement_tables.update_claim(conn, write.before, **values)


def _save_statement(conn: sqlite3.Connection, write: StatementWrite) -> None:
    after = write.after
    if write.before is None:
        settlement_tables.insert_statement(
            conn,
            after.peer,
            after.proposer,
            after.statement,
            packed_fields(after.statement),
            after.status,
            after.created_at,
            None if after.breaks is None else list(after.breaks),
        )
        if after.agreed_at is not None:
            settlement_tables.update_statement(
                conn, after.statement.statement_id, after.status, agreed_at=after.agreed_at
            )
        return
    values = _changed(write.before, after, skip=("statement", "peer", "proposer", "statement_hash"))
    if "breaks" in values:
        values["breaks"] = settlement_tables.breaks_json(list(after.breaks or ()))
    if values:
        settlement_tables.update_statement(
            conn, after.statement.statement_id, write.before.status, **values
        )


def record_of(conn: sqlite3.Connection, statement_id: str) -> StatementRecord | None:
    found = settlement_tables.statement_records(conn, [statement_id])
    return found[0] if found else None
