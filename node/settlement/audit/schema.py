"""Audit tables: the append-only settlement log, our signed checkpoints and the partners' views of them."""

from __future__ import annotations

import sqlite3

from node.db import append_only, run_script

AUDIT_SCHEMA = """
        -- One row per leaf of the RFC 6962 tree: a signed envelope, verbatim. `topic` is the claim or
        -- statement a message is about (or its msg_id), and for a reply the msg_id it answers, so that
        -- the entries about one claim can be found for an inclusion proof.
        CREATE TABLE audit_log (
            position INTEGER PRIMARY KEY CHECK (position >= 0),
            leaf BLOB NOT NULL CHECK (length(leaf) = 32),
            envelope BLOB NOT NULL,
            topic TEXT NOT NULL,
            logged_at INTEGER NOT NULL
        );
        CREATE INDEX audit_log_topic ON audit_log(topic);

        -- Our signed checkpoints: tree size and root, signed with the key of the moment.
        CREATE TABLE audit_checkpoints (
            size INTEGER PRIMARY KEY CHECK (size >= 0),
            root BLOB NOT NULL CHECK (length(root) = 32),
            created_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            signature BLOB NOT NULL CHECK (length(signature) = 64)
        );

        -- Partners' countersignatures on our checkpoints.
        CREATE TABLE audit_cosignatures (
            size INTEGER NOT NULL REFERENCES audit_checkpoints(size),
            cosigner TEXT NOT NULL,
            signature BLOB NOT NULL CHECK (length(signature) = 64),
            received_at INTEGER NOT NULL,
            PRIMARY KEY (size, cosigner)
        );

        -- The last checkpoint we sent each partner: the next one carries a proof from it.
        CREATE TABLE audit_shared (
            peer TEXT PRIMARY KEY,
            size INTEGER NOT NULL CHECK (size >= 0)
        );

        -- Partners' checkpoints that we checked for consistency and countersigned.
        CREATE TABLE audit_witnessed (
            peer TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            root BLOB NOT NULL CHECK (length(root) = 32),
            body BLOB NOT NULL,
            signature BLOB NOT NULL,
            cosignature BLOB NOT NULL,
            witnessed_at INTEGER NOT NULL,
            PRIMARY KEY (peer, size)
        );

        -- Inconsistent histories: a partner's checkpoint that does not extend what it showed us
        -- before (`direction` 'theirs'), or a partner telling us that ours does not ('ours').
        CREATE TABLE audit_alarms (
            alarm_id INTEGER PRIMARY KEY,
            peer TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('theirs', 'ours')),
            size INTEGER NOT NULL,
            reason TEXT NOT NULL,
            evidence BLOB NOT NULL,
            detected_at INTEGER NOT NULL
        );
"""


def create_audit_tables(conn: sqlite3.Connection) -> None:
    tables = (
        "audit_log",
        "audit_checkpoints",
        "audit_cosignatures",
        "audit_witnessed",
        "audit_alarms",
    )
    run_script(conn, AUDIT_SCHEMA + "".join(append_only(table) for table in tables))
