"""Reads of the signed log and its checkpoints for the admin API, the console, the export and the
proof answers (aiosqlite)."""

from __future__ import annotations

from dataclasses import dataclass

from node.reads import Reader


@dataclass(frozen=True)
class StoredCheckpoint:
    body: bytes
    signature: bytes


@dataclass(frozen=True)
class CosignatureRow:
    cosigner: str
    signature: bytes
    received_at: int


@dataclass(frozen=True)
class WitnessedRow:
    """The largest checkpoint of a partner's log that we countersigned."""

    peer: str
    size: int
    witnessed_at: int


@dataclass(frozen=True)
class AlarmRow:
    peer: str
    direction: str  # "theirs": a partner showed two histories; "ours": a partner reports ours
    size: int
    reason: str
    detected_at: int


@dataclass(frozen=True)
class Entry:
    position: int
    envelope: bytes


@dataclass(frozen=True)
class WitnessedRoot:
    size: int
    root: bytes


async def checkpoints(reader: Reader) -> list[StoredCheckpoint]:
    """Every checkpoint of ours, oldest first."""
    rows = await reader.execute_fetchall(
        "SELECT body, signature FROM audit_checkpoints ORDER BY size"
    )
    return [StoredCheckpoint(bytes(r["body"]), bytes(r["signature"])) for r in rows]


async def latest_checkpoint(reader: Reader) -> StoredCheckpoint | None:
    rows = list(
        await reader.execute_fetchall(
            "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
        )
    )
    return StoredCheckpoint(bytes(rows[0]["body"]), bytes(rows[0]["signature"])) if rows else None


async def has_checkpoint(reader: Reader, size: int) -> bool:
    rows = await reader.execute_fetchall("SELECT 1 FROM audit_checkpoints WHERE size = ?", (size,))
    return bool(list(rows))


async def cosignatures(reader: Reader, size: int) -> list[CosignatureRow]:
    """Partners' countersignatures of our checkpoint of `size`, by partner."""
    rows = await reader.execute_fetchall(
        "SELECT cosigner, signature, received_at FROM audit_cosignatures WHERE size = ?"
        " ORDER BY cosigner",
        (size,),
    )
    return [
        CosignatureRow(str(r["cosigner"]), bytes(r["signature"]), int(r["received_at"]))
        for r in rows
    ]


async def log_size(reader: Reader) -> int:
    rows = list(
        await reader.execute_fetchall(
            "SELECT coalesce(max(position) + 1, 0) AS size FROM audit_log"
        )
    )
    return int(rows[0]["size"])


async def witnessed(reader: Reader) -> list[WitnessedRow]:
    rows = await reader.execute_fetchall(
        "SELECT peer, max(size) AS size, witnessed_at FROM audit_witnessed GROUP BY peer"
        " ORDER BY peer"
    )
    return [WitnessedRow(str(r["peer"]), int(r["size"]), int(r["witnessed_at"])) for r in rows]


async def last_witnessed(reader: Reader, peer: str) -> WitnessedRoot | None:
    rows = list(
        await reader.execute_fetchall(
            "SELECT size, root FROM audit_witnessed WHERE peer = ? ORDER BY size DESC LIMIT 1",
            (peer,),
        )
    )
    return WitnessedRoot(int(rows[0]["size"]), bytes(rows[0]["root"])) if rows else None


async def alarms(reader: Reader) -> list[AlarmRow]:
    rows = await reader.execute_fetchall(
        "SELECT peer, direction, size, reason, detected_at FROM audit_alarms ORDER BY alarm_id"
    )
    return [
        AlarmRow(
            str(r["peer"]),
            str(r["direction"]),
            int(r["size"]),
            str(r["reason"]),
            int(r["detected_at"]),
        )
        for r in rows
    ]


async def entries(reader: Reader, start: int, end: int) -> list[Entry]:
    """The log's entries at positions [start, end), in order."""
    rows = await reader.execute_fetchall(
        "SELECT position, envelope FROM audit_log WHERE position >= ? AND position < ?"
        " ORDER BY position",
        (start, end),
    )
    return [Entry(int(r["position"]), bytes(r["envelope"])) for r in rows]


async def entries_about(reader: Reader, topic: str, size: int, limit: int) -> list[Entry]:
    """The first `limit` entries about `topic` before position `size`."""
    rows = await reader.execute_fetchall(
        "SELECT position, envelope FROM audit_log WHERE topic = ? AND position < ?"
        " ORDER BY position LIMIT ?",
        (topic, size, limit),
    )
    return [Entry(int(r["position"]), bytes(r["envelope"])) for r in rows]


async def leaves(reader: Reader, size: int) -> list[bytes]:
    """The leaf hashes of the first `size` entries, in order."""
    rows = await reader.execute_fetchall(
        "SELECT leaf FROM audit_log WHERE position < ? ORDER BY position", (size,)
    )
    return [bytes(r["leaf"]) for r in rows]
