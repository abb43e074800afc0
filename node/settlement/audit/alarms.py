"""Alarms about inconsistent histories, kept with their evidence (the audit_alarms table)."""

from __future__ import annotations

import logging
import sqlite3

from node.settlement.audit import tables as audit_tables

logger = logging.getLogger(__name__)


def record_reported(
    conn: sqlite3.Connection, peer: str, where: int, reason: str, evidence: bytes, now_s: int
) -> None:
    """A partner tells us that our history is inconsistent with what we showed it before
    (`where`: our checkpoint's size or the channel's sequence number). Recorded once."""
    if audit_tables.insert_reported_alarm(conn, peer, where, reason[:500], evidence, now_s):
        logger.error("partner %s reports our history inconsistent: %s", peer, reason[:200])
