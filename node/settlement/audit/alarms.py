"""Alarms about inconsistent histories, kept with their evidence (the audit_alarms table)."""

from __future__ import annotations

import logging
import sqlite3

logger = logging.getLogger(__name__)


def record_reported(
    conn: sqlite3.Connection, peer: str, where: int, reason: str, evidence: bytes, now_s: int
) -> None:
    """A partner tells us that our history is inconsistent with what we showed it before
    (`where`: our checkpoint's size or the channel's sequence number). Recorded once."""
    cursor = conn.execute(
        "INSERT INTO audit_alarms (peer, direction, size, reason, evidence, detected_at)"
        " SELECT ?, 'ours', ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit_alarms"
        " WHERE peer = ? AND direction = 'ours' AND size = ?)",
        (peer, where, reason[:500], evidence, now_s, peer, where),
    )
    if cursor.rowcount:
        logger.error("partner %s reports our history inconsistent: %s", peer, reason[:200])
