"""The reads behind segment filters (segments.py): each gives the customers one filter holds for
(or a figure per customer, for a range), so a segment is their intersection (spend is read
through spend_snapshot.py). Reads of the ledger's and the points' tables (READS_BELOW), bounded
by the moment the segment is counted.
The statements are put together from the fixed fragments below (VOUCHERS_PAID, ...), never
from anything a caller typed: the values go in as parameters (ruff's S608 is waived here).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from node.crm.facts_queries import PURCHASES_PAID, VISITS, VOUCHERS_PAID
from node.ledger.rows import to_epoch
from node.reads import Reader

# A voucher its holder can use now, with value left.
USABLE = (
    " FROM vouchers WHERE holder_id IS NOT NULL AND status = 'active' AND balance_yen > 0"
    " AND suspended_at IS NULL AND (expires_at IS NULL OR expires_at > :now)"
)


async def _ids(db: Reader, sql: str, parameters: Mapping[str, object]) -> set[str]:
    return {str(r["customer_id"]) for r in await db.execute_fetchall(sql, parameters)}


async def _figures(db: Reader, sql: str, parameters: Mapping[str, object]) -> dict[str, int]:
    return {str(r["customer_id"]): int(r["n"]) for r in await db.execute_fetchall(sql, parameters)}


async def every_customer(db: Reader) -> set[str]:
    """Every customer but those erased on their request."""
    return await _ids(
        db,
        "SELECT customer_id FROM customers"
        " WHERE customer_id NOT IN (SELECT customer_id FROM customer_erasures)",
        {},
    )


async def erased(db: Reader) -> set[str]:
    """The customers erased on their request."""
    return await _ids(db, "SELECT customer_id FROM customer_erasures", {})


async def holding_usable(db: Reader, now: datetime) -> set[str]:
    return await _ids(
        db, f"SELECT DISTINCT holder_id AS customer_id{USABLE}", {"now": to_epoch(now)}
    )


async def usable_balances(db: Reader, now: datetime) -> dict[str, int]:
    return await _figures(
        db,
        f"SELECT holder_id AS customer_id, sum(balance_yen) AS n{USABLE} GROUP BY holder_id",
        {"now": to_epoch(now)},
    )


async def ranked(db: Reader, rank_name: str) -> set[str]:
    return await _ids(
        db, "SELECT customer_id FROM member_ranks WHERE rank_name = :rank", {"rank": rank_name}
    )


async def last_seen(db: Reader, end: datetime) -> dict[str, int]:
    """Each customer's last payment or visit before `end` (epoch seconds). Each source is grouped
    on its own (the purchases through their covering index) and the maxima merged here: a union
    of ten million rows sorted as one would take many times longer."""
    bounds = {"end": to_epoch(end)}
    last: dict[str, int] = {}
    for sql in (
        f"SELECT v.holder_id AS customer_id, max(v.created_at) AS n{VOUCHERS_PAID}"
        " GROUP BY v.holder_id",
        f"SELECT p.customer_id AS customer_id, max(p.created_at) AS n{PURCHASES_PAID}"
        " GROUP BY p.customer_id",
        f"SELECT v.holder_id AS customer_id, max(r.created_at) AS n{VISITS} GROUP BY v.holder_id",
    ):
        for customer_id, at in (await _figures(db, sql, bounds)).items():
            last[customer_id] = max(at, last.get(customer_id, at))
    return last


async def seen_at_stores(db: Reader, stores: tuple[str, ...], end: datetime) -> set[str]:
    marks = ", ".join(f":s{i}" for i in range(len(stores)))
    parameters: dict[str, object] = {f"s{i}": store for i, store in enumerate(stores)}
    return await _ids(
        db,
        f"SELECT v.holder_id AS customer_id{VOUCHERS_PAID} AND v.store_id IN ({marks})"
        f" UNION SELECT p.customer_id{PURCHASES_PAID} AND p.store_id IN ({marks})"
        f" UNION SELECT v.holder_id{VISITS} AND r.store_id IN ({marks})",
        parameters | {"end": to_epoch(end)},
    )


async def born_in_month(db: Reader, month: int) -> set[str]:
    return await _ids(
        db,
        "SELECT customer_id FROM customer_profiles"
        " WHERE birthday IS NOT NULL AND substr(birthday, 6, 2) = :month",
        {"month": f"{month:02d}"},
    )


async def points_expiring(db: Reader, now: datetime, until: datetime) -> set[str]:
    return await _ids(
        db,
        "SELECT DISTINCT customer_id FROM point_lots WHERE remaining > 0"
        " AND expires_at > :now AND expires_at <= :until",
        {"now": to_epoch(now), "until": to_epoch(until)},
    )


async def consenting(db: Reader, purpose: str) -> set[str]:
    """Customers whose latest event for the purpose gave consent."""
    return await _ids(
        db,
        "SELECT e.customer_id AS customer_id FROM consent_events e"
        " WHERE e.purpose = :purpose AND e.granted = 1 AND NOT EXISTS (SELECT 1"
        " FROM consent_events later WHERE later.customer_id = e.customer_id"
        " AND later.purpose = e.purpose AND later.seq > e.seq)",
        {"purpose": purpose},
    )


async def last_consent_event(db: Reader) -> tuple[int, str | None]:
    """The highest consent event number and that event's id ((0, None): none yet)."""
    rows = await db.execute_fetchall(
        "SELECT seq, event_id FROM consent_events ORDER BY seq DESC LIMIT 1", {}
    )
    return next(((int(r["seq"]), str(r["event_id"])) for r in rows), (0, None))


async def consent_event_id(db: Reader, seq: int) -> str | None:
    """The id of the consent event numbered `seq`, if there is one."""
    rows = await db.execute_fetchall(
        "SELECT event_id FROM consent_events WHERE seq = :seq", {"seq": seq}
    )
    return next((str(r["event_id"]) for r in rows), None)


async def consents_after(db: Reader, purpose: str, after: int) -> list[tuple[str, bool]]:
    """The purpose's events numbered after `after`, in order: (customer, whether it granted)."""
    rows = await db.execute_fetchall(
        "SELECT customer_id, granted FROM consent_events WHERE seq > :after"
        " AND purpose = :purpose ORDER BY seq",
        {"after": after, "purpose": purpose},
    )
    return [(str(r["customer_id"]), bool(r["granted"])) for r in rows]


async def tagged(db: Reader, tag: str) -> set[str]:
    return await _ids(db, "SELECT customer_id FROM customer_tags WHERE tag = :tag", {"tag": tag})
