"""Migration 0018_web_api_keys, released: frozen. Never edit it; a change is a new migration.

Integration keys (issue 15, item 8): named, revocable API keys for POS and EC systems. Only the
SHA-256 of each key's secret is kept (the key is shown once, when it is made); a key is scoped
`read` or `write`; a revoked key stays listed, revoked for good; its name may be given to a new
key once it is revoked. The last time a key was used is kept to the minute.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """CREATE TABLE web_api_keys (
            key_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
            scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
            secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER
        );
        CREATE UNIQUE INDEX web_api_keys_live_name ON web_api_keys (name)
            WHERE revoked_at IS NULL;
        CREATE TRIGGER web_api_keys_fixed BEFORE UPDATE ON web_api_keys
        WHEN NEW.key_id IS NOT OLD.key_id OR NEW.name IS NOT OLD.name
            OR NEW.scope IS NOT OLD.scope OR NEW.secret_hash IS NOT OLD.secret_hash
            OR NEW.created_at IS NOT OLD.created_at
            OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NOT OLD.revoked_at)
        BEGIN SELECT RAISE(ABORT, 'an integration key cannot change, nor come back'); END;
        CREATE TRIGGER web_api_keys_kept BEFORE DELETE ON web_api_keys
        BEGIN SELECT RAISE(ABORT, 'integration keys are revoked, never deleted'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
