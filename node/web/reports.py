"""Figures for the admin dashboard, read from the journal: liability, sales and redemptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from node.ledger.model import REVENUE_PREFIX, VOUCHER_PREFIX
from node.reads import Reader

DAYS_SHOWN = 14


@dataclass(frozen=True)
class DayFigures:
    day: str  # YYYY-MM-DD, local
    sales_yen: int
    redeemed_yen: int


@dataclass(frozen=True)
class StoreFigures:
    store_id: str
    name: str
    sales_yen: int
    redeemed_yen: int


async def liability_yen(db: Reader) -> int:
    """What the vouchers still owe their holders: the credit balance of every voucher account."""
    rows = list(
        await db.execute_fetchall(
            "SELECT coalesce(-sum(amount_yen), 0) FROM postings WHERE account >= ? AND account < ?",
            (VOUCHER_PREFIX, VOUCHER_PREFIX[:-1] + chr(ord(VOUCHER_PREFIX[-1]) + 1)),
        )
    )
    return int(rows[0][0])


async def by_day(db: Reader, now: datetime, zone: ZoneInfo) -> list[DayFigures]:
    """Sales (vouchers issued, face value) and redemptions (net of voids) for the last days."""
    today = now.astimezone(zone).date()
    first = datetime.combine(today - timedelta(days=DAYS_SHOWN - 1), datetime.min.time(), zone)
    rows = await db.execute_fetchall(
        "SELECT j.created_at, j.kind, p.account, p.amount_yen FROM journal j"
        " JOIN postings p USING (txn_id) WHERE j.created_at >= ?"
        " AND j.kind IN ('issue', 'redeem', 'void_redemption')",
        (int(first.timestamp()),),
    )
    sales: dict[str, int] = {}
    redeemed: dict[str, int] = {}
    for created_at, kind, account, amount in rows:
        day = datetime.fromtimestamp(int(created_at), zone).date().isoformat()
        if kind == "issue" and str(account).startswith(VOUCHER_PREFIX):
            sales[day] = sales.get(day, 0) - int(amount)
        elif str(account).startswith(REVENUE_PREFIX):
            redeemed[day] = redeemed.get(day, 0) - int(amount)
    days = [(today - timedelta(days=n)).isoformat() for n in range(DAYS_SHOWN - 1, -1, -1)]
    return [DayFigures(d, sales.get(d, 0), redeemed.get(d, 0)) for d in days]


async def by_store(db: Reader) -> list[StoreFigures]:
    rows = await db.execute_fetchall(
        "SELECT s.store_id, s.name,"
        " (SELECT coalesce(sum(face_yen), 0) FROM vouchers v"
        "   WHERE v.store_id = s.store_id AND v.is_gift = 0),"
        " (SELECT coalesce(-sum(amount_yen), 0) FROM postings WHERE account = ? || s.store_id)"
        " FROM stores s ORDER BY s.name",
        (REVENUE_PREFIX,),
    )
    return [StoreFigures(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]
