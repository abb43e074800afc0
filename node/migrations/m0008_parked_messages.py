"""Migration 0008_parked_messages, released: frozen. Never edit it; a change is a new migration.

Parked messages: a message the partner refused for good waits for the admin; later signed versions
of a channel position; the view of the version sent.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        -- A message the partner refused for good waits, parked, for the admin (docs/protocol.md,
        -- "Parked messages"). A dropped one is never sent again and frees its position.
        ALTER TABLE deliveries ADD COLUMN parked_at INTEGER;
        ALTER TABLE deliveries ADD COLUMN parked_code TEXT;
        ALTER TABLE deliveries ADD COLUMN parked_message TEXT;
        ALTER TABLE deliveries ADD COLUMN dropped_at INTEGER;

        -- Later signed versions of a channel position the partner never accepted (re-signed with
        -- a fresh window, or a new message where a dropped one was). The first version stays in
        -- `outbox`; the newest is the one sent.
        CREATE TABLE outbox_versions (
            peer TEXT NOT NULL,
            seq INTEGER NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 2),
            msg_id TEXT NOT NULL,
            msg_type TEXT NOT NULL,
            envelope BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (peer, seq, version),
            FOREIGN KEY (peer, seq) REFERENCES outbox(peer, seq)
        );

        CREATE VIEW outbox_current AS
        SELECT o.peer AS peer, o.seq AS seq,
               coalesce(v.msg_id, o.msg_id) AS msg_id,
               coalesce(v.msg_type, o.msg_type) AS msg_type,
               coalesce(v.envelope, o.envelope) AS envelope,
               coalesce(v.version, 1) AS version
        FROM outbox o LEFT JOIN outbox_versions v
          ON v.peer = o.peer AND v.seq = o.seq
         AND v.version = (SELECT max(w.version) FROM outbox_versions w
                          WHERE w.peer = o.peer AND w.seq = o.seq);

    CREATE TRIGGER outbox_versions_no_update BEFORE UPDATE ON outbox_versions
    BEGIN SELECT RAISE(ABORT, 'outbox_versions is append-only'); END;
    CREATE TRIGGER outbox_versions_no_delete BEFORE DELETE ON outbox_versions
    BEGIN SELECT RAISE(ABORT, 'outbox_versions is append-only'); END;
    """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
