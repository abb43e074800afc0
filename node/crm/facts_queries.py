"""The analytics' reads (facts.py says what counts): customers' payments from the ledger's
vouchers and the points' recorded purchases, visits from the ledger's redemptions, members from
the ledger's customers. Reads only, of tables below (READS_BELOW in tests/test_table_ownership.py),
summed in SQL so that a million customers come back as a million rows, not ten million payments.

Every statement is bounded by the end of the stated day (`:end`), so later rows change nothing.
The KPIs' and cohorts' reads, over the same sources, are kpi_queries.py.

The statements are put together from the fixed fragments below (VOUCHERS_PAID, ...), never
from anything a caller typed: the values go in as parameters (ruff's S608 is waived here).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from node.crm.facts import CustomerSpend, Period, merge_into
from node.crm.sqlite import ids_in
from node.ledger.rows import to_epoch
from node.reads import Reader

# A voucher bought: not a gift, a price paid, held by a customer by the end (its handover, if it
# was sold to nobody first, before the end), not cancelled by then.
VOUCHERS_PAID = (
    " FROM vouchers v"
    " LEFT JOIN voucher_handovers h ON h.voucher_id = v.voucher_id"
    " LEFT JOIN sale_cancels c ON c.voucher_id = v.voucher_id AND c.cancelled_at < :end"
    # `+v.holder_id`: read the vouchers whole rather than each holder's through their index
    # (measured: 2.5 s against well under 1 s for 500,000 vouchers).
    " WHERE +v.holder_id IS NOT NULL AND v.is_gift = 0 AND v.price_yen > 0"
    " AND v.created_at < :end AND (h.handed_over_at IS NULL OR h.handed_over_at < :end)"
    " AND c.voucher_id IS NULL"
)
# A purchase recorded at the counter or by the POS API, not returned by the end. Not the points
# a redemption at the counter earns (`redeem:<redemption id>`, node/web/counter_points_redeem.py):
# a redemption is a visit, its voucher was paid for when bought; the rest paid beside it is
# RESTS_PAID.
PURCHASES_PAID = (
    " FROM point_purchases p WHERE p.purchase_yen > 0 AND p.created_at < :end"
    " AND (p.returned_at IS NULL OR p.returned_at >= :end)"
    " AND substr(p.txn_id, 1, 7) != 'redeem:'"
)
# The rest of a sale paid another way beside a redemption (全額利用と差額), by the voucher's holder,
# not voided by the end.
RESTS_PAID = (
    " FROM rest_payments t JOIN redemptions r ON r.redemption_id = t.redemption_id"
    " JOIN vouchers v ON v.voucher_id = r.voucher_id"
    " LEFT JOIN voucher_handovers h ON h.voucher_id = v.voucher_id"
    " LEFT JOIN redemption_voids x ON x.redemption_id = r.redemption_id AND x.voided_at < :end"
    " WHERE v.holder_id IS NOT NULL AND t.created_at < :end AND x.redemption_id IS NULL"
    " AND (h.handed_over_at IS NULL OR h.handed_over_at <= t.created_at)"
)
SPEND_COLUMNS = (
    "min({t}) AS first_at, max({t}) AS last_at, sum({y}) AS total_yen,"
    " count(*) FILTER (WHERE {t} >= :start) AS window_count,"
    " coalesce(sum({y}) FILTER (WHERE {t} >= :start), 0) AS window_yen"
)
# A redemption not voided by the end, by the voucher's holder once they held it.
VISITS = (
    " FROM redemptions r JOIN vouchers v ON v.voucher_id = r.voucher_id"
    " LEFT JOIN voucher_handovers h ON h.voucher_id = v.voucher_id"
    " LEFT JOIN redemption_voids x ON x.redemption_id = r.redemption_id"
    " AND x.voided_at < :end"
    " WHERE v.holder_id IS NOT NULL AND r.created_at < :end AND x.redemption_id IS NULL"
    " AND (h.handed_over_at IS NULL OR h.handed_over_at <= r.created_at)"
)


def _bounds(period: Period) -> dict[str, int]:
    offset = period.end.astimezone(period.zone).utcoffset() or timedelta(0)
    return {
        "start": to_epoch(period.window_start),
        "end": to_epoch(period.end),
        "offset": int(offset.total_seconds()),
    }


def _spends(rows: Iterable[sqlite3.Row]) -> list[CustomerSpend]:
    return [
        CustomerSpend(
            r["customer_id"],
            r["first_at"],
            r["last_at"],
            r["total_yen"],
            r["window_count"],
            r["window_yen"],
        )
        for r in rows
    ]


def _source(who: str, paid_at: str, yen: str, paid: str) -> tuple[str, str, str]:
    """(a source's statement, `{extra}` its further conditions: a span of time, some
    customers; the column of the customer; the column of the moment paid)"""
    columns = SPEND_COLUMNS.format(t=paid_at, y=yen)
    statement = f"SELECT {who} AS customer_id, {columns}{paid}{{extra}} GROUP BY {who}"
    return statement, who, paid_at


SOURCES = (
    _source("v.holder_id", "v.created_at", "v.price_yen", VOUCHERS_PAID),
    _source("p.customer_id", "p.created_at", "p.purchase_yen", PURCHASES_PAID),
    _source("v.holder_id", "t.created_at", "t.amount_yen", RESTS_PAID),
)


async def spends(db: Reader, period: Period) -> list[CustomerSpend]:
    """Every paying customer's spend as of the period's end (run in the report worker: a
    million customers), each source summed in SQL and the three merged here."""
    merged: dict[str, CustomerSpend] = {}
    for statement, _, _ in SOURCES:
        rows = await db.execute_fetchall(statement.format(extra=""), _bounds(period))
        merge_into(merged, _spends(rows))
    return list(merged.values())


async def spends_of(db: Reader, period: Period, customers: Collection[str]) -> list[CustomerSpend]:
    """The same for some customers only, each found through its own index."""
    merged: dict[str, CustomerSpend] = {}
    parameters = _bounds(period) | {"ids": json.dumps(sorted(customers))}
    for statement, who, _ in SOURCES:
        rows = await db.execute_fetchall(statement.format(extra=f" AND {ids_in(who)}"), parameters)
        merge_into(merged, _spends(rows))
    return list(merged.values())


async def made_between(
    db: Reader, since: datetime, until: datetime, end: datetime, window_start: datetime
) -> list[CustomerSpend]:
    """Each customer's payments made in [since, until) that count at `end` (facts.py), summed:
    first and last, total, and the count and yen of those made at or after `window_start`.
    Read by time: a span of a day or two is a small part of the table."""
    merged: dict[str, CustomerSpend] = {}
    parameters = {
        "since": to_epoch(since),
        "until": to_epoch(until),
        "end": to_epoch(end),
        "start": to_epoch(window_start),
    }
    for statement, _, paid_at in SOURCES:
        extra = f" AND {paid_at} >= :since AND {paid_at} < :until"
        rows = await db.execute_fetchall(statement.format(extra=extra), parameters)
        merge_into(merged, _spends(rows))
    return list(merged.values())


async def changed_between(db: Reader, after: datetime, end: datetime) -> set[str]:
    """The customers an earlier payment of whom may count differently at `end` than at
    `after`: a purchase returned, a counter sale cancelled, a redemption voided (the rest paid
    beside it), or a voucher handed over (it counts from then, dated when it was bought), in
    [after, end)."""
    rows = await db.execute_fetchall(
        "SELECT customer_id AS customer_id FROM point_purchases WHERE returned_at >= :after"
        " AND returned_at < :end"
        " UNION SELECT v.holder_id FROM sale_cancels c"
        " JOIN vouchers v ON v.voucher_id = c.voucher_id"
        " WHERE c.cancelled_at >= :after AND c.cancelled_at < :end AND v.holder_id IS NOT NULL"
        " UNION SELECT v.holder_id FROM voucher_handovers h"
        " JOIN vouchers v ON v.voucher_id = h.voucher_id"
        " WHERE h.handed_over_at >= :after AND h.handed_over_at < :end"
        " AND v.holder_id IS NOT NULL"
        " UNION SELECT v.holder_id FROM redemption_voids x"
        " JOIN redemptions r ON r.redemption_id = x.redemption_id"
        " JOIN vouchers v ON v.voucher_id = r.voucher_id"
        " WHERE x.voided_at >= :after AND x.voided_at < :end AND v.holder_id IS NOT NULL",
        {"after": to_epoch(after), "end": to_epoch(end)},
    )
    return {str(r["customer_id"]) for r in rows}
