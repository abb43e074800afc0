"""Migration 0030_points_rank_runs, released: frozen. Never edit it; a change is a new migration.

Member ranks (issue 17), beside 0026's rank tables:
- `rank_runs`: each yearly recompute, once per recompute moment (`period_start`): the table
  version it placed members by, how far it got (`cursor`: members are placed in batches, each
  batch one transaction, in customer id order), and when it finished. A run that is finished is
  never run again; one that stopped half way goes on from its cursor.
- `rank_floors`: every manual rank (floor) head office granted, append-only, with its reason and
  who granted it (`member_ranks` holds only the floor in force).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE rank_runs (
            period_start INTEGER PRIMARY KEY,
            version_id TEXT NOT NULL REFERENCES rank_tables(version_id),
            started_at INTEGER NOT NULL,
            cursor TEXT,
            members INTEGER NOT NULL DEFAULT 0 CHECK (members >= 0),
            changed INTEGER NOT NULL DEFAULT 0 CHECK (changed >= 0),
            finished_at INTEGER,
            actor TEXT NOT NULL
        );
        CREATE TRIGGER rank_runs_finished BEFORE UPDATE ON rank_runs
        WHEN OLD.finished_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a finished rank run never changes'); END;
        CREATE TRIGGER rank_runs_kept BEFORE DELETE ON rank_runs
        BEGIN SELECT RAISE(ABORT, 'rank_runs are never deleted'); END;

        CREATE TABLE rank_floors (
            floor_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            rank_name TEXT NOT NULL,
            until INTEGER NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 200),
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL
        );
        CREATE INDEX rank_floors_member ON rank_floors(customer_id, created_at);
        CREATE TRIGGER rank_floors_no_update BEFORE UPDATE ON rank_floors
        BEGIN SELECT RAISE(ABORT, 'rank_floors is append-only'); END;
        CREATE TRIGGER rank_floors_no_delete BEFORE DELETE ON rank_floors
        BEGIN SELECT RAISE(ABORT, 'rank_floors is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
