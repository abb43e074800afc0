"""The ledger's issue of many vouchers in a few statements (node/ledger/bulk_issue.py) on a real
SQLite file: more vouchers than one statement holds (the variable limit splits them), every
entry balanced and numbered in order, each voucher at its face; an unknown holder writes nothing.
(That a unit of grants written this way equals the grants one by one, row for row: see
tests/test_campaigns_rush_together.py.)"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from node import db
from node.app import prepare_database
from node.errors import CustomerNotFound
from node.ledger import bulk_issue
from node.ledger import operations as ledger_operations
from node.ledger.core import IssueRequest
from node.ledger.model import LedgerPolicy
from node.ledger.operations import LedgerSettings

pytestmark = pytest.mark.node  # a real SQLite file

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
SETTINGS = LedgerSettings("n1", LedgerPolicy(100_000, False), ZoneInfo("Asia/Tokyo"), 30)
COUNT = 300  # vouchers: 4 statements' worth of voucher rows, 4 of postings


def _request(n: int, holder: str) -> IssueRequest:
    return IssueRequest(
        f"5{n:011d}", bytes([n % 256]) * 32, 1000 + n, 500, holder, None, None, f"tx_{n:04d}"
    )


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    path = tmp_path / "ledger.sqlite"
    prepare_database(path)
    connection = db.open_checked(path)
    connection.execute("BEGIN IMMEDIATE")
    ledger_operations.add_customer("cu_holder", "住民", None, NOW)(connection)
    connection.execute("COMMIT")
    return connection


def test_many_vouchers_are_issued_balanced_and_in_order(conn: sqlite3.Connection) -> None:
    outcomes = [bulk_issue.prepare(_request(n, "cu_holder"), SETTINGS, NOW) for n in range(COUNT)]
    conn.execute("BEGIN IMMEDIATE")
    vouchers = bulk_issue.save(conn, outcomes)
    conn.execute("COMMIT")

    assert [v.voucher_id for v in vouchers] == [f"5{n:011d}" for n in range(COUNT)]
    rows = conn.execute("SELECT voucher_id, face_yen, balance_yen FROM vouchers").fetchall()
    assert len(rows) == COUNT and all(r["balance_yen"] == r["face_yen"] for r in rows)
    numbered = [r["txn_id"] for r in conn.execute("SELECT txn_id FROM journal_seq ORDER BY seq")]
    assert numbered == [f"tx_{n:04d}" for n in range(COUNT)]
    unbalanced = conn.execute(
        "SELECT count(*) AS n FROM (SELECT txn_id FROM postings GROUP BY txn_id"
        " HAVING sum(amount_yen) != 0 OR count(*) < 2)"
    ).fetchone()
    assert unbalanced["n"] == 0
    assert conn.execute("SELECT count(*) AS n FROM postings").fetchone()["n"] == 3 * COUNT


def test_an_unknown_holder_writes_nothing(conn: sqlite3.Connection) -> None:
    outcomes = [
        bulk_issue.prepare(_request(1, "cu_holder"), SETTINGS, NOW),
        bulk_issue.prepare(_request(2, "cu_nobody"), SETTINGS, NOW),
    ]
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(CustomerNotFound):
        bulk_issue.save(conn, outcomes)
    conn.execute("COMMIT")
    assert conn.execute("SELECT count(*) AS n FROM vouchers").fetchone()["n"] == 0
    assert conn.execute("SELECT count(*) AS n FROM journal").fetchone()["n"] == 0
