"""Reads for the live wallet (node/web/live.py): which vouchers the newest journal entries
touched (and how many suspensions, resumptions and extensions `voucher_changes` holds: no
journal entry records those), and what changed on one voucher since a point of the journal. A
point is an entry's number in `journal_seq` (migration 0016: numbered as appended, so a later
entry has a larger one)."""

from __future__ import annotations

from dataclasses import dataclass

from node.ledger.model import VOUCHER_PREFIX
from node.reads import Reader

TOUCHED_BATCH = 5000


async def journal_end(db: Reader) -> int:
    """The point of the newest journal entry (0 for an empty journal)."""
    rows = list(await db.execute_fetchall("SELECT coalesce(max(seq), 0) AS seq FROM journal_seq"))
    return int(rows[0]["seq"])


async def touched_since(
    db: Reader, after: int, batch: int = TOUCHED_BATCH
) -> tuple[int, set[str], bool]:
    """Vouchers that entries after `after` posted to, the point read up to, and whether more
    entries remain past that point (read them next). Read by whole entries (at most `batch` of
    them), never by posting rows: a limit on rows could end inside an entry whose other postings
    the next read, starting after that entry, would never see."""
    rows = list(
        await db.execute_fetchall(
            "SELECT e.seq, p.account FROM"
            " (SELECT seq, txn_id FROM journal_seq WHERE seq > ? ORDER BY seq LIMIT ?) AS e"
            " LEFT JOIN postings p"
            " ON p.txn_id = e.txn_id AND substr(p.account, 1, 8) = 'voucher:'",
            (after, batch),
        )
    )
    if not rows:
        return after, set(), False
    entries = {int(r["seq"]) for r in rows}
    touched = {str(r["account"])[len(VOUCHER_PREFIX) :] for r in rows if r["account"] is not None}
    return max(entries), touched, len(entries) == batch


async def changes_count(db: Reader) -> int:
    """How many suspensions, resumptions and extensions were ever recorded. The log is
    append-only (migration 0013's triggers), so a larger count means new ones; they are rare, so
    the live wallet then simply wakes every open stream (no portable order tells which are new)."""
    rows = list(await db.execute_fetchall("SELECT count(*) AS n FROM voucher_changes"))
    return int(rows[0]["n"])


@dataclass(frozen=True)
class Change:
    """One journal entry on a voucher: its point, kind, and the balance's change (negative: spent)."""

    seq: int
    kind: str
    amount_yen: int
    created_at: int


async def voucher_changes(db: Reader, voucher_id: str, after: int) -> list[Change]:
    """The voucher's entries after point `after`, oldest first (at most the last 50)."""
    rows = await db.execute_fetchall(
        "SELECT * FROM (SELECT s.seq, j.kind, j.created_at, -p.amount_yen AS amount_yen"
        " FROM postings p JOIN journal j ON j.txn_id = p.txn_id"
        " JOIN journal_seq s ON s.txn_id = p.txn_id"
        " WHERE p.account = ? AND s.seq > ? ORDER BY s.seq DESC LIMIT 50) AS newest ORDER BY seq",
        (VOUCHER_PREFIX + voucher_id, after),
    )
    return [
        Change(int(r["seq"]), str(r["kind"]), int(r["amount_yen"]), int(r["created_at"]))
        for r in rows
    ]


async def voucher_point(db: Reader, voucher_id: str) -> int:
    """The point of the voucher's newest entry (0 if none): where its page's stream starts."""
    rows = list(
        await db.execute_fetchall(
            "SELECT coalesce(max(s.seq), 0) AS seq FROM postings p"
            " JOIN journal_seq s ON s.txn_id = p.txn_id WHERE p.account = ?",
            (VOUCHER_PREFIX + voucher_id,),
        )
    )
    return int(rows[0]["seq"])
