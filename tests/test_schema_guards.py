"""The database itself refuses bad money: negative balances, unbalanced or edited entries, bad lifecycles."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from node import db
from node.migrations import MIGRATIONS


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = db.connect(tmp_path / "guard.db")
    db.migrate(connection, MIGRATIONS)
    connection.execute("INSERT INTO stores VALUES ('st_a', 'Shinjuku', 0)")
    connection.execute(
        "INSERT INTO vouchers (voucher_id, face_yen, price_yen, status, created_at, is_gift, secret)"
        " VALUES ('v1', 1000, 1000, 'active', 0, 0, zeroblob(32))"
    )
    _entry(connection, "tx_issue", [("cash:hq", 1000), ("voucher:v1", -1000)], kind="issue")
    yield connection
    connection.close()


def _entry(
    conn: sqlite3.Connection, txn: str, lines: list[tuple[str, int]], kind: str = "redeem"
) -> None:
    conn.execute("BEGIN")
    try:
        for i, (account, amount) in enumerate(lines):
            conn.execute("INSERT INTO postings VALUES (?, ?, ?, ?)", (txn, i, account, amount))
        conn.execute("INSERT INTO journal VALUES (?, ?, 0)", (txn, kind))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _balance(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT balance_yen FROM vouchers WHERE voucher_id='v1'").fetchone()[0])


def test_postings_keep_the_voucher_balance(conn: sqlite3.Connection) -> None:
    assert _balance(conn) == 1000
    _entry(conn, "tx_r", [("voucher:v1", 400), ("revenue:st_a", -400)])
    assert _balance(conn) == 600


def test_a_negative_balance_is_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        _entry(conn, "tx_r", [("voucher:v1", 1001), ("revenue:st_a", -1001)])
    assert _balance(conn) == 1000


@pytest.mark.parametrize(
    "lines",
    [
        [("voucher:v1", 100), ("revenue:st_a", -99)],
        [("voucher:v1", 100)],
        [],
    ],
)
def test_an_unbalanced_entry_is_refused(
    conn: sqlite3.Connection, lines: list[tuple[str, int]]
) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="does not balance"):
        _entry(conn, "tx_bad", lines)
    assert _balance(conn) == 1000
    assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 1


def test_a_sealed_entry_takes_no_more_postings(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="sealed"):
        conn.execute("INSERT INTO postings VALUES ('tx_issue', 9, 'cash:hq', 5)")


def test_postings_without_an_entry_fail_at_commit(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    conn.execute("INSERT INTO postings VALUES ('tx_orphan', 0, 'cash:hq', 5)")
    conn.execute("INSERT INTO postings VALUES ('tx_orphan', 1, 'breakage', -5)")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("COMMIT")
    conn.execute("ROLLBACK")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE postings SET amount_yen = 1 WHERE txn_id = 'tx_issue'",
        "DELETE FROM postings",
        "UPDATE journal SET kind = 'gift'",
        "DELETE FROM journal",
        "DELETE FROM vouchers",
        "UPDATE vouchers SET face_yen = 5000",
        "UPDATE vouchers SET secret = zeroblob(32) || x'00'",
    ],
)
def test_history_and_terms_cannot_be_rewritten(conn: sqlite3.Connection, statement: str) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(statement)


def test_posting_to_an_unknown_voucher_is_refused(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="unknown voucher"):
        _entry(conn, "tx_x", [("voucher:nope", 5), ("revenue:st_a", -5)])


@pytest.mark.parametrize(("start", "target"), [("expired", "active"), ("void", "active")])
def test_lifecycle_is_enforced_by_the_database(
    conn: sqlite3.Connection, start: str, target: str
) -> None:
    conn.execute("UPDATE vouchers SET status = ?", (start,))
    with pytest.raises(sqlite3.IntegrityError, match="status change"):
        conn.execute("UPDATE vouchers SET status = ?", (target,))


def test_money_columns_refuse_non_integers(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO postings VALUES ('tx_f', 0, 'cash:hq', 1.5)")


def test_migrations_are_recorded_and_run_once(tmp_path: Path) -> None:
    connection = db.connect(tmp_path / "m.db")
    assert db.migrate(connection, MIGRATIONS) == [name for name, _ in MIGRATIONS]
    assert db.migrate(connection, MIGRATIONS) == []
    mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert connection.execute("PRAGMA page_size").fetchone()[0] == db.PAGE_SIZE
    connection.close()


def test_an_existing_database_keeps_its_page_size(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE t (x)")  # created with SQLite's default page size
    old.close()
    connection = db.connect(path)
    db.migrate(connection, MIGRATIONS)
    assert connection.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_an_expiry_may_move_later_but_never_earlier_or_away(conn: sqlite3.Connection) -> None:
    update = "UPDATE vouchers SET expires_at = ? WHERE voucher_id = 'v1'"
    with pytest.raises(sqlite3.IntegrityError, match="terms cannot change"):
        conn.execute(update, (500,))  # a voucher without an expiry never gains one
    conn.execute("UPDATE vouchers SET status = 'void' WHERE voucher_id = 'v1'")
    conn.execute(
        "INSERT INTO vouchers (voucher_id, face_yen, price_yen, status, created_at, expires_at,"
        " is_gift, secret) VALUES ('v2', 1000, 1000, 'active', 0, 100, 0, zeroblob(32))"
    )
    extend = "UPDATE vouchers SET expires_at = ? WHERE voucher_id = 'v2'"
    conn.execute(extend, (200,))
    for earlier_or_away in (150, None):
        with pytest.raises(sqlite3.IntegrityError, match="terms cannot change"):
            conn.execute(extend, (earlier_or_away,))
    assert (
        conn.execute("SELECT expires_at FROM vouchers WHERE voucher_id = 'v2'").fetchone()[0] == 200
    )


def test_voucher_changes_need_a_reason_and_are_append_only(conn: sqlite3.Connection) -> None:
    insert = "INSERT INTO voucher_changes VALUES (?, 'v1', ?, ?, 'admin', NULL, ?, 0)"
    conn.execute(insert, ("ch1", "suspend", "lost phone", None))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(insert, ("ch2", "resume", " ", None))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(insert, ("ch3", "extend", "campaign", None))  # an extension names its date
    for statement in ("UPDATE voucher_changes SET reason = 'x'", "DELETE FROM voucher_changes"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)


@pytest.mark.parametrize("kind", ["sale_cancel", "gift_return"])
def test_the_journal_takes_the_counter_and_wallet_kinds(
    conn: sqlite3.Connection, kind: str
) -> None:
    _entry(conn, "tx_back", [("voucher:v1", 1000), ("cash:hq", -1000)], kind=kind)
    assert _balance(conn) == 0
