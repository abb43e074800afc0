"""The KPIs' and cohorts' reads (facts.py says what counts; facts_queries.py holds the sources):
each store's and each customer's payments and visits, the months customers paid in, members.
Reads only, of tables below (READS_BELOW in tests/test_table_ownership.py), summed in SQL.

Every statement counts what counts at the end of a day (`:end`) and reads what happened in a
span `[:since, :until)`, so that the report worker can read a whole window once and then only
a day's worth (kpi_snapshot.py). Local months are taken with the zone's UTC offset at the stated
day (`:offset`), as in facts_queries.py.

The statements are put together from fixed fragments, never from anything a caller typed
(ruff's S608 is waived here).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from node.crm.facts import Period
from node.crm.facts_queries import PURCHASES_PAID, RESTS_PAID, VISITS, VOUCHERS_PAID
from node.crm.sqlite import ids_in, local_month
from node.ledger.rows import to_epoch
from node.reads import Reader


@dataclass(frozen=True)
class StoreRow:
    """One customer's dealings at one store (None: a voucher bought online) in a span: spend,
    payments and visits made at or after `:start`, and the last payment or visit of the span."""

    store_id: str | None
    customer_id: str
    spend_yen: int
    payments: int
    visits: int
    last_at: int


def _store_source(store: str, who: str, at: str, yen: str, paid: str, visit: bool) -> str:
    counted = f"count(*) FILTER (WHERE {at} >= :start)"
    spend = f"coalesce(sum({yen}) FILTER (WHERE {at} >= :start), 0)"
    payments, visits = ("0", counted) if visit else (counted, "0")
    return (
        f"SELECT {store} AS store_id, {who} AS customer_id, {spend} AS spend_yen,"
        f" {payments} AS payments, {visits} AS visits, max({at}) AS last_at"
        f"{paid} AND {at} >= :since AND {at} < :until{{extra}} GROUP BY {store}, {who}"
    )


# (statement, column of the customer)
STORE_SOURCES = (
    (_store_source("v.store_id", "v.holder_id", "v.created_at", "v.price_yen", VOUCHERS_PAID, False),
     "v.holder_id"),
    (_store_source("p.store_id", "p.customer_id", "p.created_at", "p.purchase_yen", PURCHASES_PAID,
                   False), "p.customer_id"),
    (_store_source("r.store_id", "v.holder_id", "t.created_at", "t.amount_yen", RESTS_PAID, False),
     "v.holder_id"),
    (_store_source("r.store_id", "v.holder_id", "r.created_at", "0", VISITS, True), "v.holder_id"),
)  # fmt: skip

# (customer, local month) of payments, the same three sources as the spend
MONTH_SOURCES = (
    (f"SELECT DISTINCT v.holder_id AS customer_id, {local_month('v.created_at')} AS month"
     f"{VOUCHERS_PAID} AND v.created_at >= :since AND v.created_at < :until{{extra}}",
     "v.holder_id"),
    (f"SELECT DISTINCT p.customer_id AS customer_id, {local_month('p.created_at')} AS month"
     f"{PURCHASES_PAID} AND p.created_at >= :since AND p.created_at < :until{{extra}}",
     "p.customer_id"),
    (f"SELECT DISTINCT v.holder_id AS customer_id, {local_month('t.created_at')} AS month"
     f"{RESTS_PAID} AND t.created_at >= :since AND t.created_at < :until{{extra}}",
     "v.holder_id"),
)  # fmt: skip


def _offset(period: Period) -> int:
    offset = period.end.astimezone(period.zone).utcoffset() or timedelta(0)
    return int(offset.total_seconds())


def _filters(customers: Collection[str] | None) -> tuple[dict[str, str], bool]:
    if customers is None:
        return {}, False
    return {"ids": json.dumps(sorted(customers))}, True


async def store_rows(
    db: Reader,
    end: datetime,
    start: datetime,
    since: datetime,
    until: datetime,
    customers: Collection[str] | None = None,
) -> list[StoreRow]:
    """Each (store, customer)'s payments and visits made in [since, until) that count at `end`,
    those at or after `start` counted and summed; all customers, or only `customers` (each
    through its own index)."""
    ids, only = _filters(customers)
    parameters = ids | {
        "end": to_epoch(end),
        "start": to_epoch(start),
        "since": to_epoch(since),
        "until": to_epoch(until),
    }
    found = []
    for statement, who in STORE_SOURCES:
        extra = f" AND {ids_in(who)}" if only else ""
        for r in await db.execute_fetchall(statement.format(extra=extra), parameters):
            found.append(
                StoreRow(
                    None if r["store_id"] is None else str(r["store_id"]),
                    str(r["customer_id"]),
                    int(r["spend_yen"]),
                    int(r["payments"]),
                    int(r["visits"]),
                    int(r["last_at"]),
                )
            )
    return found


async def paid_months(
    db: Reader,
    period: Period,
    since: datetime,
    until: datetime,
    customers: Collection[str] | None = None,
) -> set[tuple[str, str]]:
    """(customer id, local YYYY-MM) for each month a customer paid in, of the payments made in
    [since, until) that count at the period's end."""
    ids, only = _filters(customers)
    parameters = ids | {
        "end": to_epoch(period.end),
        "offset": _offset(period),
        "since": to_epoch(since),
        "until": to_epoch(until),
    }
    found: set[tuple[str, str]] = set()
    for statement, who in MONTH_SOURCES:
        extra = f" AND {ids_in(who)}" if only else ""
        for r in await db.execute_fetchall(statement.format(extra=extra), parameters):
            found.add((str(r["customer_id"]), str(r["month"])))
    return found


async def store_names(db: Reader) -> dict[str, str]:
    rows = await db.execute_fetchall("SELECT store_id, name FROM stores")
    return {str(r["store_id"]): str(r["name"]) for r in rows}


async def members_before(db: Reader, end: datetime) -> int:
    rows = list(
        await db.execute_fetchall(
            "SELECT count(*) AS n FROM customers WHERE created_at < ?", (to_epoch(end),)
        )
    )
    return int(rows[0]["n"])


async def members_by_month(db: Reader, period: Period, since: datetime) -> dict[str, int]:
    rows = await db.execute_fetchall(
        f"SELECT {local_month('created_at')} AS month, count(*) AS n"  # noqa: S608
        " FROM customers WHERE created_at >= :since AND created_at < :end GROUP BY month",
        {"since": to_epoch(since), "end": to_epoch(period.end), "offset": _offset(period)},
    )
    return {str(r["month"]): int(r["n"]) for r in rows}
