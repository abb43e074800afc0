"""Reads for store payouts: a period's use of campaign coupons at each store, from the ledger's
redemptions and their voids (a void counts in the period it happened), and what the
reconciliation needs beside the ledger's sums (what payouts paid, what was used outside them,
per campaign and per store, and each store's revenue account from the journal).

The use of a period is read twice by a payout run: by the reader, to check every store's account
and name before anything is written, and again by the writer in the transaction that records
the run (`usage_in`, on the writer's connection), so what is recorded is what the ledger held
when it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from node.campaigns.payout_core import Period, UsageRow
from node.ledger.model import REVENUE_PREFIX
from node.ledger.rows import to_epoch
from node.reads import Reader

# Each redemption of a campaign coupon (+1, its amount) and each void of one (-1, minus it),
# with the moment that places it in a period.
_USES = """
    SELECT r.store_id, r.voucher_id, 1 AS uses, r.amount_yen AS amount, r.created_at AS at
    FROM redemptions r JOIN campaign_grant_vouchers g ON g.voucher_id = r.voucher_id
    UNION ALL
    SELECT r.store_id, r.voucher_id, -1 AS uses, -r.amount_yen AS amount, v.voided_at AS at
    FROM redemption_voids v JOIN redemptions r ON r.redemption_id = v.redemption_id
    JOIN campaign_grant_vouchers g ON g.voucher_id = r.voucher_id
"""
USAGE_SQL = f"""
    SELECT u.store_id, s.name AS store_name, g.campaign_id, c.name AS campaign_name,
           g.store_class, sum(u.uses) AS uses, sum(u.amount) AS amount
    FROM ({_USES}) u
    JOIN campaign_grant_vouchers g ON g.voucher_id = u.voucher_id
    JOIN campaigns c ON c.campaign_id = g.campaign_id
    JOIN stores s ON s.store_id = u.store_id
    WHERE u.at >= ? AND u.at < ?
    GROUP BY u.store_id, s.name, g.campaign_id, c.name, g.store_class
    HAVING sum(u.uses) != 0 OR sum(u.amount) != 0
    ORDER BY u.store_id, g.campaign_id, g.store_class
"""  # noqa: S608 (only constants are formatted in)
UNPAID_PERIODS_SQL = f"""
    SELECT g.campaign_id, coalesce(sum(u.amount), 0) AS amount
    FROM ({_USES}) u JOIN campaign_grant_vouchers g ON g.voucher_id = u.voucher_id
    WHERE NOT EXISTS (SELECT 1 FROM campaign_payouts p
                      WHERE u.at >= p.period_start AND u.at < p.period_end)
    GROUP BY g.campaign_id
"""  # noqa: S608 (only constants are formatted in)


def _rows(found: Iterable[sqlite3.Row]) -> list[UsageRow]:
    return [
        UsageRow(
            store_id=r["store_id"],
            store_name=r["store_name"],
            campaign_id=r["campaign_id"],
            campaign_name=r["campaign_name"],
            store_class=r["store_class"],
            uses=int(r["uses"]),
            amount_yen=int(r["amount"]),
        )
        for r in found
    ]


async def usage(db: Reader, period: Period) -> list[UsageRow]:
    """The period's use, by store, campaign and store class."""
    bounds = (to_epoch(period.start), to_epoch(period.end))
    return _rows(await db.execute_fetchall(USAGE_SQL, bounds))


def usage_in(conn: sqlite3.Connection, period: Period) -> list[UsageRow]:
    """The same, on the writer's connection, inside the transaction that records a run."""
    bounds = (to_epoch(period.start), to_epoch(period.end))
    return _rows(conn.execute(USAGE_SQL, bounds).fetchall())


async def unpaid_periods(db: Reader) -> dict[str, int]:
    """Per campaign, the net use outside every paid period."""
    rows = await db.execute_fetchall(UNPAID_PERIODS_SQL)
    return {str(r["campaign_id"]): int(r["amount"]) for r in rows}


UNPAID_BY_STORE_SQL = f"""
    SELECT u.store_id, coalesce(sum(u.amount), 0) AS amount
    FROM ({_USES}) u
    WHERE NOT EXISTS (SELECT 1 FROM campaign_payouts p
                      WHERE u.at >= p.period_start AND u.at < p.period_end)
    GROUP BY u.store_id
"""  # noqa: S608 (only constants are formatted in)
# Each store's revenue account over the journal entries of campaign coupons' redemptions and
# their voids, the payout runs and the carries' write-offs: `paid` the runs' and write-offs'
# postings (debits less credits), `balance` the credit balance of them all.
REVENUE_BY_STORE_SQL = """
    WITH txns(txn_id, is_payout) AS (
        SELECT r.txn_id, 0 FROM redemptions r
        JOIN campaign_grant_vouchers g ON g.voucher_id = r.voucher_id
        UNION ALL
        SELECT v.txn_id, 0 FROM redemption_voids v
        JOIN redemptions r ON r.redemption_id = v.redemption_id
        JOIN campaign_grant_vouchers g ON g.voucher_id = r.voucher_id
        UNION ALL
        SELECT txn_id, 1 FROM campaign_payouts WHERE txn_id IS NOT NULL
        UNION ALL
        SELECT txn_id, 1 FROM campaign_carry_write_offs
    )
    SELECT substr(p.account, length(:prefix) + 1) AS store_id,
           coalesce(sum(CASE WHEN t.is_payout = 1 THEN p.amount_yen END), 0) AS paid,
           -sum(p.amount_yen) AS balance
    FROM txns t JOIN postings p ON p.txn_id = t.txn_id
    WHERE substr(p.account, 1, length(:prefix)) = :prefix
    GROUP BY p.account
"""


async def unpaid_by_store(db: Reader) -> dict[str, int]:
    """Per store, the net use of campaign coupons outside every paid period."""
    rows = await db.execute_fetchall(UNPAID_BY_STORE_SQL)
    return {str(r["store_id"]): int(r["amount"]) for r in rows}


async def revenue_by_store(db: Reader) -> dict[str, tuple[int, int]]:
    """Per store, from the journal: (payouts less write-offs, credit balance) of its revenue
    account over campaign coupons' entries."""
    rows = await db.execute_fetchall(REVENUE_BY_STORE_SQL, {"prefix": REVENUE_PREFIX})
    return {str(r["store_id"]): (int(r["paid"]), int(r["balance"])) for r in rows}
