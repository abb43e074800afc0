"""Migration 0003_settlement, released: frozen. Never edit it; a change is a new migration.

Settlement tables: claims (both roles) and statements, with triggers holding each one's lifecycle
(the transitions of node/settlement/model.py as they were released, written out below: a change
to the model's table is a new migration, and tests/test_migrations_frozen.py says so), and the
journal's new entry kinds.
"""

# ruff: noqa: E501 (the SQL text is frozen as it was released, long lines included)

from __future__ import annotations

import sqlite3

from node.db import run_script

OLD_KINDS = "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire')"
NEW_KINDS = (
    "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire',"
    " 'claim', 'claim_void', 'settlement')"
)

SQL = """
        CREATE TABLE claims (
            peer TEXT NOT NULL REFERENCES peers(node_id),
            role TEXT NOT NULL CHECK (role IN ('issuer', 'redeemer')),
            claim_id TEXT NOT NULL CHECK (length(claim_id) BETWEEN 1 AND 64),
            voucher_id TEXT NOT NULL,
            store_id TEXT NOT NULL,
            store_name TEXT NOT NULL,
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            status TEXT NOT NULL CHECK (status IN ('CLAIMED', 'ACCEPTED', 'REJECTED', 'VOIDED', 'INVOICED', 'PAID', 'CLEARED', 'DISPUTED')),
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
        WHEN OLD.status != NEW.status AND NOT ((OLD.status = 'ACCEPTED' AND NEW.status = 'DISPUTED') OR (OLD.status = 'ACCEPTED' AND NEW.status = 'INVOICED') OR (OLD.status = 'ACCEPTED' AND NEW.status = 'VOIDED') OR (OLD.status = 'CLAIMED' AND NEW.status = 'ACCEPTED') OR (OLD.status = 'CLAIMED' AND NEW.status = 'REJECTED') OR (OLD.status = 'DISPUTED' AND NEW.status = 'ACCEPTED') OR (OLD.status = 'DISPUTED' AND NEW.status = 'INVOICED') OR (OLD.status = 'INVOICED' AND NEW.status = 'CLEARED') OR (OLD.status = 'INVOICED' AND NEW.status = 'PAID') OR (OLD.status = 'PAID' AND NEW.status = 'CLEARED'))
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
            status TEXT NOT NULL CHECK (status IN ('proposed', 'agreed', 'disputed', 'superseded', 'paid', 'cleared')),
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
        WHEN OLD.status != NEW.status AND NOT ((OLD.status = 'agreed' AND NEW.status = 'cleared') OR (OLD.status = 'agreed' AND NEW.status = 'paid') OR (OLD.status = 'paid' AND NEW.status = 'cleared') OR (OLD.status = 'proposed' AND NEW.status = 'agreed') OR (OLD.status = 'proposed' AND NEW.status = 'disputed') OR (OLD.status = 'proposed' AND NEW.status = 'superseded'))
        BEGIN SELECT RAISE(ABORT, 'statement status change not allowed'); END;

        CREATE TRIGGER statements_fixed BEFORE UPDATE OF statement_id, peer, proposer, number,
            cutoff, fields, statement_hash, payer, amount_yen ON statements
        BEGIN SELECT RAISE(ABORT, 'a statement''s terms cannot change'); END;

        CREATE TRIGGER statements_no_delete BEFORE DELETE ON statements
        BEGIN SELECT RAISE(ABORT, 'statements are never deleted'); END;
"""


def widen_journal_kinds(conn: sqlite3.Connection) -> None:
    """Allow the settlement entry kinds in the journal's CHECK constraint.

    SQLite cannot ALTER a CHECK constraint. Rebuilding the journal would fight its append-only
    triggers and the foreign keys that point at it, so this uses the documented procedure for
    loosening a CHECK: edit the table's SQL in sqlite_schema and bump schema_version. Every
    existing row satisfies the wider constraint.
    """
    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'journal'")
    (sql,) = row.fetchone()
    if OLD_KINDS not in sql:
        raise RuntimeError("the journal table is not the one migration 0001 created")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'journal'",
            (sql.replace(OLD_KINDS, NEW_KINDS),),
        )
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def apply(conn: sqlite3.Connection) -> None:
    widen_journal_kinds(conn)
    run_script(conn, SQL)
