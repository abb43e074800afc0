"""Settlement tables: claims (both roles), statements; and the journal's new entry kinds.

A claim's status moves only along ALLOWED_CLAIM_TRANSITIONS (node/settlement/model.py); the
trigger below holds the same table, so a bug in the code cannot slip past the database.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script
from node.settlement.model import ALLOWED_CLAIM_TRANSITIONS, ALLOWED_STATEMENT_TRANSITIONS

_CLAIM_STATUSES = (
    "'CLAIMED', 'ACCEPTED', 'REJECTED', 'VOIDED', 'INVOICED', 'PAID', 'CLEARED', 'DISPUTED'"
)
_STATEMENT_STATUSES = "'proposed', 'agreed', 'disputed', 'superseded', 'paid', 'cleared'"


def _allowed(pairs: frozenset[tuple[str, str]]) -> str:
    return " OR ".join(f"(OLD.status = '{a}' AND NEW.status = '{b}')" for a, b in sorted(pairs))


SETTLEMENT_SCHEMA = f"""
        CREATE TABLE claims (
            peer TEXT NOT NULL REFERENCES peers(node_id),
            role TEXT NOT NULL CHECK (role IN ('issuer', 'redeemer')),
            claim_id TEXT NOT NULL CHECK (length(claim_id) BETWEEN 1 AND 64),
            voucher_id TEXT NOT NULL,
            store_id TEXT NOT NULL,
            store_name TEXT NOT NULL,
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            status TEXT NOT NULL CHECK (status IN ({_CLAIM_STATUSES})),
            created_at INTEGER NOT NULL,
            decided_at INTEGER,
            reason_code TEXT,
            reason TEXT,
            balance_after INTEGER,
            receipt_no TEXT UNIQUE,
            void_requested_at INTEGER,
            statement_id TEXT,
            txn_id TEXT REFERENCES journal(txn_id),
            void_txn_id TEXT REFERENCES journal(txn_id),
            PRIMARY KEY (peer, role, claim_id)
        );
        -- Ids of our own claims (as redeemer) are ours to choose, hence unique on their own.
        CREATE UNIQUE INDEX claims_redeemer_id ON claims(claim_id) WHERE role = 'redeemer';
        CREATE INDEX claims_id ON claims(claim_id);
        CREATE INDEX claims_open ON claims(peer, status);
        CREATE INDEX claims_statement ON claims(statement_id) WHERE statement_id IS NOT NULL;

        CREATE TRIGGER claims_lifecycle BEFORE UPDATE OF status ON claims
        WHEN OLD.status != NEW.status AND NOT ({_allowed(ALLOWED_CLAIM_TRANSITIONS)})
        BEGIN SELECT RAISE(ABORT, 'claim status change not allowed'); END;

        CREATE TRIGGER claims_fixed BEFORE UPDATE OF peer, role, claim_id, voucher_id, store_id,
            amount_yen, created_at ON claims
        BEGIN SELECT RAISE(ABORT, 'a claim''s terms cannot change'); END;

        CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims
        BEGIN SELECT RAISE(ABORT, 'claims are never deleted'); END;

        CREATE TABLE statements (
            statement_id TEXT PRIMARY KEY CHECK (length(statement_id) BETWEEN 1 AND 64),
            peer TEXT NOT NULL REFERENCES peers(node_id),
            proposer TEXT NOT NULL,
            number INTEGER NOT NULL CHECK (number >= 1),
            cutoff INTEGER NOT NULL,
            fields BLOB NOT NULL,
            statement_hash BLOB NOT NULL CHECK (length(statement_hash) = 32),
            status TEXT NOT NULL CHECK (status IN ({_STATEMENT_STATUSES})),
            payer TEXT NOT NULL,
            amount_yen INTEGER NOT NULL CHECK (amount_yen >= 0),
            breaks TEXT,
            reference TEXT,
            created_at INTEGER NOT NULL,
            agreed_at INTEGER,
            paid_at INTEGER,
            cleared_at INTEGER,
            listed_in TEXT,
            txn_id TEXT REFERENCES journal(txn_id)
        );
        -- One agreed statement per number and partner: the chain of statements has no forks.
        CREATE UNIQUE INDEX statements_chain ON statements(peer, number)
            WHERE status IN ('agreed', 'paid', 'cleared');
        CREATE INDEX statements_peer ON statements(peer, status);

        CREATE TRIGGER statements_lifecycle BEFORE UPDATE OF status ON statements
        WHEN OLD.status != NEW.status AND NOT ({_allowed(ALLOWED_STATEMENT_TRANSITIONS)})
        BEGIN SELECT RAISE(ABORT, 'statement status change not allowed'); END;

        CREATE TRIGGER statements_fixed BEFORE UPDATE OF statement_id, peer, proposer, number,
            cutoff, fields, statement_hash, payer, amount_yen ON statements
        BEGIN SELECT RAISE(ABORT, 'a statement''s terms cannot change'); END;

        CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements
        BEGIN SELECT RAISE(ABORT, 'statements are never deleted'); END;
"""

_OLD_KINDS = "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire')"
_NEW_KINDS = (
    "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire',"
    " 'claim', 'claim_void', 'settlement')"
)


def widen_journal_kinds(conn: sqlite3.Connection) -> None:
    """Allow the settlement entry kinds in the journal's CHECK constraint.

    SQLite cannot ALTER a CHECK constraint. Rebuilding the journal would fight its append-only
    triggers and the foreign keys that point at it, so this uses the documented procedure for
    loosening a CHECK: edit the table's SQL in sqlite_schema and bump schema_version. Every
    existing row satisfies the wider constraint.
    """
    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'journal'")
    (sql,) = row.fetchone()
    if _OLD_KINDS not in sql:
        raise RuntimeError("the journal table is not the one migration 0001 created")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'journal'",
            (sql.replace(_OLD_KINDS, _NEW_KINDS),),
        )
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def create_settlement_tables(conn: sqlite3.Connection) -> None:
    widen_journal_kinds(conn)
    run_script(conn, SETTLEMENT_SCHEMA)


# Migration 0009 (issue 13, item 7): a voucher's uses at partners (wallet, console) and one
# store's partner claims in time order (the counter's day, the redemptions CSV, keyset-paged on
# created_at then claim_id).
CLAIM_READ_INDEXES = """
        CREATE INDEX claims_voucher ON claims(voucher_id);
        CREATE INDEX claims_store_time ON claims(role, store_id, created_at, claim_id);
"""


def index_claim_reads(conn: sqlite3.Connection) -> None:
    run_script(conn, CLAIM_READ_INDEXES)


def create_claim_codes(conn: sqlite3.Connection) -> None:
    """Our latest claim with each partner code at a store for an amount, so a retried code
    finds its claim (a try with other terms is a claim of its own, refused by the issuer)."""
    run_script(
        conn,
        """
        CREATE TABLE claim_codes (
            code TEXT NOT NULL,
            store_id TEXT NOT NULL,
            amount_yen INTEGER NOT NULL,
            claim_id TEXT NOT NULL,
            PRIMARY KEY (code, store_id, amount_yen)
        ) WITHOUT ROWID;
        """,
    )
