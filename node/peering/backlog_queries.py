"""The outbox backlog: messages queued per partner and not yet delivered (for health and metrics)."""

from __future__ import annotations

from dataclasses import dataclass

from node.reads import Reader


@dataclass(frozen=True)
class Backlog:
    """Messages queued for one partner and not yet delivered."""

    peer: str
    messages: int
    oldest_s: int  # how long the oldest has waited


async def outbox_backlog(reader: Reader, now_s: int) -> list[Backlog]:
    rows = await reader.execute_fetchall(
        "SELECT d.peer, COUNT(*) AS messages, MIN(o.created_at) AS oldest FROM deliveries d"
        " JOIN outbox o ON o.peer = d.peer AND o.seq = d.seq"
        " WHERE d.delivered_at IS NULL AND d.dropped_at IS NULL GROUP BY d.peer ORDER BY d.peer"
    )
    return [
        Backlog(str(r["peer"]), int(r["messages"]), max(0, now_s - int(r["oldest"]))) for r in rows
    ]
