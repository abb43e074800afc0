"""The shell loads only a partner's live statements (tables.live_statements); the rules must
read the same from that book as from one holding every stored statement, of every partner."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node import db
from node.app import prepare_database
from node.peering import tables as peer_tables
from node.settlement import book, core
from node.settlement import tables as settlement_tables
from node.settlement.model import (
    GENESIS_STATEMENT,
    Owed,
    Statement,
    StatementItem,
    StatementStatus,
)
from node.settlement.statement_protocol import packed_fields

ME = "M" * 52
PARTNER, OTHER = "P" * 52, "Q" * 52
NOW_S = 1_790_000_000

# (status, who pays: 0 us, 1 the partner, 2 nobody, listed in a later statement)
stored = st.tuples(
    st.sampled_from(list(StatementStatus)), st.integers(0, 2), st.integers(1, 5_000), st.booleans()
)
partners = st.lists(st.tuples(st.sampled_from((PARTNER, OTHER)), stored), max_size=14)


def _statement(number: int, peer: str, payer: int, amount: int) -> Statement:
    issuer = (ME, peer)[payer] if payer < 2 else None
    items = [] if issuer is None else [StatementItem(f"cl_{number}", issuer, amount)]
    return core.build_statement(
        f"st_{peer[0]}{number}",
        number,
        NOW_S - 60,
        GENESIS_STATEMENT,
        core.parties(ME, peer),
        items,
        [],
        Owed("", 0),
    )


Stored = tuple[str, tuple[StatementStatus, int, int, bool]]


def _store(conn: sqlite3.Connection, rows: list[Stored]) -> list[str]:
    ids: list[str] = []
    proposed: set[str] = set()
    for number, (peer, (status, payer, amount, listed)) in enumerate(rows, start=1):
        if status == StatementStatus.PROPOSED and peer in proposed:
            status = StatementStatus.SUPERSEDED  # one open proposal per partner (StatementOpen)
        proposed |= {peer} if status == StatementStatus.PROPOSED else set()
        statement = _statement(number, peer, payer, amount)
        settlement_tables.insert_statement(
            conn, peer, ME, statement, packed_fields(statement), status, NOW_S
        )
        if listed:
            settlement_tables.update_statement(
                conn, statement.statement_id, status, listed_in=f"st_later{number}"
            )
        ids.append(statement.statement_id)
    return ids


def _views(of: book.Book) -> tuple[object, ...]:
    last, proposal = book.last_agreed(of), book.open_proposal(of)
    return (
        book.awaiting_confirmation(of),
        None if last is None else last.statement.statement_id,
        book.next_position(of),
        None if proposal is None else proposal.statement.statement_id,
        book.newly_cleared(of),
    )


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """One database for every example: each runs in a transaction it rolls back."""
    path = tmp_path_factory.mktemp("loading") / "kippu.db"
    prepare_database(path)
    connection = db.connect(path)
    for peer in (PARTNER, OTHER):
        peer_tables.insert_peer(connection, peer, peer[0], "http://127.0.0.1:1", None, NOW_S)
    yield connection
    connection.close()


@settings(max_examples=80, deadline=None)
@given(rows=partners)
def test_the_loaded_book_reads_as_one_with_every_statement(
    conn: sqlite3.Connection, rows: list[Stored]
) -> None:
    conn.execute("BEGIN")
    try:
        ids = _store(conn, rows)
        everything = settlement_tables.statement_records(conn, ids)
        loaded = settlement_tables.live_statements(conn, ME, PARTNER)
    finally:
        conn.execute("ROLLBACK")
    full = book.Book(ME, PARTNER).with_statements(everything)
    live = book.Book(ME, PARTNER).with_statements(loaded)
    assert _views(live) == _views(full)
    assert all(full.statements[r.statement.statement_id] == r for r in loaded)
