"""Migration 0016_journal_sequence: every journal entry gets an explicit, gapless-in-order number.

The live wallet (issue 15) follows the journal: "what was posted since entry N" must not depend on
SQLite's implicit rowid (VACUUM may renumber it, and PostgreSQL has none). `journal_seq` numbers
each entry as it is appended (a trigger, in the same transaction), and the entries already there
are numbered in the order they were appended. Append-only, like the journal.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """CREATE TABLE journal_seq (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            txn_id TEXT NOT NULL UNIQUE REFERENCES journal(txn_id)
        );
        INSERT INTO journal_seq (txn_id) SELECT txn_id FROM journal ORDER BY rowid;
        CREATE TRIGGER journal_numbered AFTER INSERT ON journal
        BEGIN INSERT INTO journal_seq (txn_id) VALUES (NEW.txn_id); END;
        CREATE TRIGGER journal_seq_no_update BEFORE UPDATE ON journal_seq
        BEGIN SELECT RAISE(ABORT, 'journal_seq is append-only'); END;
        CREATE TRIGGER journal_seq_no_delete BEFORE DELETE ON journal_seq
        BEGIN SELECT RAISE(ABORT, 'journal_seq is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
