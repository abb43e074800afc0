"""Figures for the admin dashboard, read from the journal: liability, sales and redemptions
(the ledger's reads for the console's dashboard)."""

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
    """What the vouchers still owe their holders: the sum of their balances, which the database
    keeps equal to each voucher account's credit balance (a trigger on postings)."""
    rows = list(
        await db.execute_fetchall("SELECT coalesce(sum(balance_yen), 0) AS owed FROM vouchers")
    )
    return int(rows[0]["owed"])


def _prefix_range(prefix: str) -> tuple[str, str]:
    """Accounts that start with `prefix` are those in [low, high): an index range, not a LIKE."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Each journal line of the last days falls in a day: the number of later midnights it is past.
# Summed by SQLite, so a dashboard never walks every posting of two weeks in Python.
_DAY_TOTALS = """
    SELECT {day} AS day,
           coalesce(-sum(CASE WHEN j.kind = 'issue' AND p.account >= :voucher_low
                              AND p.account < :voucher_high THEN p.amount_yen END), 0) AS sales,
           coalesce(-sum(CASE WHEN p.account >= :revenue_low AND p.account < :revenue_high
                              THEN p.amount_yen END), 0) AS redeemed
    FROM journal j JOIN postings p USING (txn_id)
    WHERE j.created_at >= :first AND j.kind IN ('issue', 'redeem', 'void_redemption')
    GROUP BY day
"""


async def by_day(db: Reader, now: datetime, zone: ZoneInfo) -> list[DayFigures]:
    """Sales (vouchers issued, face value) and redemptions (net of voids) for the last days."""
    today = now.astimezone(zone).date()
    days = [today - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1)]
    midnights = [int(datetime.combine(d, datetime.min.time(), zone).timestamp()) for d in days]
    after = " + ".join(f"(j.created_at >= :m{k})" for k in range(1, len(midnights)))
    voucher_low, voucher_high = _prefix_range(VOUCHER_PREFIX)
    revenue_low, revenue_high = _prefix_range(REVENUE_PREFIX)
    params: dict[str, object] = {
        "first": midnights[0],
        "voucher_low": voucher_low,
        "voucher_high": voucher_high,
        "revenue_low": revenue_low,
        "revenue_high": revenue_high,
        **{f"m{k}": midnights[k] for k in range(1, len(midnights))},
    }
    rows = await db.execute_fetchall(_DAY_TOTALS.format(day=after), params)
    totals = {int(r["day"]): (int(r["sales"]), int(r["redeemed"])) for r in rows}
    return [DayFigures(d.isoformat(), *totals.get(k, (0, 0))) for k, d in enumerate(days)]


async def by_store(db: Reader) -> list[StoreFigures]:
    """Each store's sales and what was redeemed there: its revenue account's credits, less a
    campaign office's payouts to it (kind settlement: the debt paid, no redemption undone)."""
    rows = await db.execute_fetchall(
        "SELECT s.store_id, s.name,"
        " (SELECT coalesce(sum(face_yen), 0) FROM vouchers v"
        "   WHERE v.store_id = s.store_id AND v.is_gift = 0) AS sales,"
        " (SELECT coalesce(-sum(p.amount_yen), 0) FROM postings p JOIN journal j USING (txn_id)"
        "   WHERE p.account = ? || s.store_id AND j.kind != 'settlement')"
        " AS redeemed"
        " FROM stores s ORDER BY s.name",
        (REVENUE_PREFIX,),
    )
    return [
        StoreFigures(str(r["store_id"]), str(r["name"]), int(r["sales"]), int(r["redeemed"]))
        for r in rows
    ]


@dataclass(frozen=True)
class PeriodFigures:
    """One period's movements (today, this month), net of cancellations and voids."""

    sales_yen: int  # face value of vouchers sold, less same-day cancellations
    sales_count: int
    redeemed_yen: int  # our vouchers used at our stores, less voids
    redemption_count: int
    partner_claims_yen: int  # our vouchers used at partners' stores (we owe them: 買掛)
    partner_claim_count: int
    our_claims_yen: int  # partners' vouchers used at our stores (they owe us: 売掛)
    our_claim_count: int


# One pass over the period's journal lines (the journal_time index, then each entry's postings):
# amounts net of cancellations and voids; counts of entries, a cancellation or void counting -1.
_PAYABLE = "p.account >= 'payable:' AND p.account < 'payable;'"
_RECEIVABLE = "p.account >= 'receivable:' AND p.account < 'receivable;'"
_PERIOD = f"""
    SELECT
      coalesce(-sum(CASE WHEN j.kind IN ('issue', 'sale_cancel') AND p.account >= :voucher_low
                         AND p.account < :voucher_high THEN p.amount_yen END), 0) AS sales,
      coalesce(-sum(CASE WHEN j.kind IN ('redeem', 'void_redemption') AND p.account >= :revenue_low
                         AND p.account < :revenue_high THEN p.amount_yen END), 0) AS redeemed,
      coalesce(-sum(CASE WHEN j.kind IN ('claim', 'claim_void') AND {_PAYABLE}
                         THEN p.amount_yen END), 0) AS payable,
      coalesce(sum(CASE WHEN j.kind IN ('claim', 'claim_void') AND {_RECEIVABLE}
                        THEN p.amount_yen END), 0) AS receivable,
      count(DISTINCT CASE WHEN j.kind = 'issue' THEN j.txn_id END)
        - count(DISTINCT CASE WHEN j.kind = 'sale_cancel' THEN j.txn_id END) AS sales_n,
      count(DISTINCT CASE WHEN j.kind = 'redeem' THEN j.txn_id END)
        - count(DISTINCT CASE WHEN j.kind = 'void_redemption' THEN j.txn_id END) AS redeemed_n,
      count(DISTINCT CASE WHEN j.kind = 'claim' AND {_PAYABLE} THEN j.txn_id END)
        - count(DISTINCT CASE WHEN j.kind = 'claim_void' AND {_PAYABLE} THEN j.txn_id END)
        AS payable_n,
      count(DISTINCT CASE WHEN j.kind = 'claim' AND {_RECEIVABLE} THEN j.txn_id END)
        - count(DISTINCT CASE WHEN j.kind = 'claim_void' AND {_RECEIVABLE} THEN j.txn_id END)
        AS receivable_n
    FROM journal j JOIN postings p USING (txn_id)
    WHERE j.created_at >= :since AND j.created_at < :until
      AND j.kind IN ('issue', 'sale_cancel', 'redeem', 'void_redemption', 'claim', 'claim_void')
"""  # noqa: S608 (only constants are formatted in)


async def period_figures(db: Reader, since: datetime, until: datetime) -> PeriodFigures:
    """Sales, redemptions and partners' claims booked in [since, until)."""
    voucher_low, voucher_high = _prefix_range(VOUCHER_PREFIX)
    revenue_low, revenue_high = _prefix_range(REVENUE_PREFIX)
    window = {"since": int(since.timestamp()), "until": int(until.timestamp())}
    bounds = {
        **window,
        "voucher_low": voucher_low,
        "voucher_high": voucher_high,
        "revenue_low": revenue_low,
        "revenue_high": revenue_high,
    }
    (row,) = await db.execute_fetchall(_PERIOD, bounds)
    return PeriodFigures(
        int(row["sales"]),
        int(row["sales_n"]),
        int(row["redeemed"]),
        int(row["redeemed_n"]),
        int(row["payable"]),
        int(row["payable_n"]),
        int(row["receivable"]),
        int(row["receivable_n"]),
    )
