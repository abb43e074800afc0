"""The campaigns' reads: campaigns, a campaign's sums read from the ledger, a resident's grants.

A campaign's sums come from the ledger's postings on the accounts of the vouchers it issued, each
on its own (granted from the issue entries, used from redemptions and their voids, lapsed from
expiries), and the vouchers' balances; `status` sets them beside the campaign's own counts, so a
difference between the two books shows as `reconciled: false`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns.hold_tables import HOLD_COLUMNS, hold_from_row
from node.campaigns.model import Campaign, Hold, Round, campaign_account
from node.campaigns.tables import CAMPAIGN_COLUMNS, campaign_from_row
from node.ledger.model import PSP_PREFIX, VOUCHER_PREFIX
from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader

LIST_LIMIT = 500


async def campaigns(conn: Reader) -> list[Campaign]:
    rows = await conn.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY starts_at DESC, campaign_id"  # noqa: S608
        f" LIMIT {LIST_LIMIT}"
    )
    return await _with_rounds(conn, rows)


async def public_campaigns(conn: Reader, now: datetime) -> list[Campaign]:
    """What residents see: campaigns not closed whose period has not ended, soonest first."""
    rows = await conn.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM campaigns"  # noqa: S608
        " WHERE closed_at IS NULL AND ends_at >= ? ORDER BY starts_at, campaign_id"
        f" LIMIT {LIST_LIMIT}",
        (to_epoch(now),),
    )
    return await _with_rounds(conn, rows)


async def campaign(conn: Reader, campaign_id: str) -> Campaign | None:
    rows = await conn.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE campaign_id = ?",  # noqa: S608
        (campaign_id,),
    )
    found = await _with_rounds(conn, rows)
    return found[0] if found else None


async def _with_rounds(conn: Reader, rows: Iterable[sqlite3.Row]) -> list[Campaign]:
    listed = list(rows)
    if not listed:
        return []
    ids = [r["campaign_id"] for r in listed]
    marks = ", ".join("?" for _ in ids)
    round_rows = await conn.execute_fetchall(
        "SELECT campaign_id, round_no, opens_at, stock FROM campaign_rounds"  # noqa: S608
        f" WHERE campaign_id IN ({marks}) ORDER BY campaign_id, round_no",
        ids,
    )
    rounds: dict[str, list[Round]] = {}
    for r in round_rows:
        rounds.setdefault(r["campaign_id"], []).append(
            Round(r["round_no"], from_epoch(r["opens_at"]), r["stock"])
        )
    return [campaign_from_row(r, rounds.get(r["campaign_id"], [])) for r in listed]


@dataclass(frozen=True)
class LedgerSums:
    granted_yen: int  # face issued (the issue entries' credits to the vouchers)
    price_yen: int  # what residents paid for them
    used_yen: int  # redeemed at stores, net of voids
    lapsed_yen: int  # left on vouchers at their expiry (breakage)
    outstanding_yen: int  # still on the vouchers
    vouchers: int


async def ledger_sums(conn: Reader, campaign_id: str) -> LedgerSums:
    (row,) = await conn.execute_fetchall(
        "SELECT"
        " coalesce(-sum(CASE WHEN j.kind = 'issue' THEN p.amount_yen END), 0) AS granted,"
        " coalesce(sum(CASE WHEN j.kind IN ('redeem', 'void_redemption')"
        "   THEN p.amount_yen END), 0) AS used,"
        " coalesce(sum(CASE WHEN j.kind = 'expire' THEN p.amount_yen END), 0) AS lapsed"
        " FROM campaign_grant_vouchers g"
        " JOIN postings p ON p.account = ? || g.voucher_id"
        " JOIN journal j ON j.txn_id = p.txn_id"
        " WHERE g.campaign_id = ?",
        (VOUCHER_PREFIX, campaign_id),
    )
    (held,) = await conn.execute_fetchall(
        "SELECT coalesce(sum(v.balance_yen), 0) AS outstanding,"
        " coalesce(sum(v.price_yen), 0) AS price, count(*) AS n"
        " FROM campaign_grant_vouchers g JOIN vouchers v ON v.voucher_id = g.voucher_id"
        " WHERE g.campaign_id = ?",
        (campaign_id,),
    )
    return LedgerSums(
        granted_yen=int(row["granted"]),
        price_yen=int(held["price"]),
        used_yen=int(row["used"]),
        lapsed_yen=int(row["lapsed"]),
        outstanding_yen=int(held["outstanding"]),
        vouchers=int(held["n"]),
    )


@dataclass(frozen=True)
class SaleSums:
    """Where residents' payments went, from the ledger's issue entries (the price is posted to
    the card processor's clearing account or to a cash account), and the sets held for card
    payments now, from the campaign's holds."""

    card_yen: int  # paid by card (psp:*)
    counter_yen: int  # paid at the office's counter (cash:*)
    card_sets_yen: int  # the price of the holds that became grants: must equal card_yen
    card_sets: int
    held_sets: int  # live holds: a card being charged
    held_yen: int


async def sale_sums(conn: Reader, campaign_id: str, now: datetime) -> SaleSums:
    (paid,) = await conn.execute_fetchall(
        "SELECT coalesce(sum(CASE WHEN q.account LIKE ? THEN q.amount_yen END), 0) AS card,"
        " coalesce(sum(CASE WHEN q.account NOT LIKE ? THEN q.amount_yen END), 0) AS counter"
        " FROM campaign_grant_vouchers g"
        " JOIN postings p ON p.account = ? || g.voucher_id"
        " JOIN journal j ON j.txn_id = p.txn_id AND j.kind = 'issue'"
        " JOIN postings q ON q.txn_id = j.txn_id AND q.account <> p.account AND q.account <> ?"
        " WHERE g.campaign_id = ?",
        (
            f"{PSP_PREFIX}%",
            f"{PSP_PREFIX}%",
            VOUCHER_PREFIX,
            campaign_account(campaign_id),
            campaign_id,
        ),
    )
    (held,) = await conn.execute_fetchall(
        "SELECT coalesce(sum(CASE WHEN status = 'granted' THEN price_yen END), 0) AS sold_yen,"
        " count(CASE WHEN status = 'granted' THEN 1 END) AS sold,"
        " count(CASE WHEN status = 'held' AND expires_at > ? THEN 1 END) AS held,"
        " coalesce(sum(CASE WHEN status = 'held' AND expires_at > ? THEN face_yen END), 0)"
        " AS held_yen FROM campaign_holds WHERE campaign_id = ?",
        (to_epoch(now), to_epoch(now), campaign_id),
    )
    return SaleSums(
        card_yen=int(paid["card"]),
        counter_yen=int(paid["counter"]),
        card_sets_yen=int(held["sold_yen"]),
        card_sets=int(held["sold"]),
        held_sets=int(held["held"]),
        held_yen=int(held["held_yen"]),
    )


@dataclass(frozen=True)
class HeldCoupon:
    campaign_id: str
    campaign_name: str
    grant_id: str
    voucher_id: str
    store_class: str
    face_yen: int
    balance_yen: int
    status: str
    expires_at: datetime | None
    granted_at: datetime


_COUPON_SELECT = (
    "SELECT g.campaign_id, c.name, g.grant_id, gv.voucher_id, gv.store_class, v.face_yen,"
    " v.balance_yen, v.status, v.expires_at, g.granted_at"
    " FROM campaign_grants g"
    " JOIN campaigns c ON c.campaign_id = g.campaign_id"
    " JOIN campaign_grant_vouchers gv ON gv.grant_id = g.grant_id"
    " JOIN vouchers v ON v.voucher_id = gv.voucher_id"
)


async def coupons_of(conn: Reader, customer_id: str) -> list[HeldCoupon]:
    """A resident's campaign coupons, newest grant first."""
    rows = await conn.execute_fetchall(
        f"{_COUPON_SELECT} WHERE g.customer_id = ? ORDER BY g.granted_at DESC, gv.voucher_id"
        f" LIMIT {LIST_LIMIT}",
        (customer_id,),
    )
    return _held_coupons(rows)


async def coupons_of_hold(conn: Reader, hold_id: str, customer_id: str) -> list[HeldCoupon]:
    """The vouchers of the grant a paid hold (a card purchase: the hold's id is the payment's)
    became, the 共通券 first: read through the hold's grant, so a purchase of any age keeps
    them (coupons_of is capped at LIST_LIMIT, newest first). None before it is granted."""
    rows = await conn.execute_fetchall(
        f"{_COUPON_SELECT} JOIN campaign_holds h ON h.grant_id = g.grant_id"
        " WHERE h.hold_id = ? AND g.customer_id = ?"
        " ORDER BY gv.store_class = 'local', gv.voucher_id",
        (hold_id, customer_id),
    )
    return _held_coupons(rows)


def _held_coupons(rows: Iterable[sqlite3.Row]) -> list[HeldCoupon]:
    return [
        HeldCoupon(
            campaign_id=r["campaign_id"],
            campaign_name=r["name"],
            grant_id=r["grant_id"],
            voucher_id=r["voucher_id"],
            store_class=r["store_class"],
            face_yen=r["face_yen"],
            balance_yen=r["balance_yen"],
            status=r["status"],
            expires_at=None if r["expires_at"] is None else from_epoch(r["expires_at"]),
            granted_at=from_epoch(r["granted_at"]),
        )
        for r in rows
    ]


async def grants_of_person(conn: Reader, campaign_id: str, customer_id: str) -> int:
    (row,) = await conn.execute_fetchall(
        "SELECT count(*) AS n FROM campaign_grants WHERE campaign_id = ? AND customer_id = ?",
        (campaign_id, customer_id),
    )
    return int(row["n"])


async def passed_methods(conn: Reader, campaign_id: str, customer_id: str) -> list[str]:
    rows = await conn.execute_fetchall(
        "SELECT method FROM campaign_verifications WHERE campaign_id = ? AND customer_id = ?"
        " ORDER BY method",
        (campaign_id, customer_id),
    )
    return [str(r["method"]) for r in rows]


async def live_holds(
    conn: Reader, campaign_id: str, now: datetime, except_customer: str | None = None
) -> tuple[int, int]:
    """The sets held now for card payments (not lapsed) and their face: what the campaign's
    page counts as taken while the payments run (node/campaigns/holds.py). `except_customer`:
    the reader's own holds left out (their own purchase is not "someone paying right now")."""
    (row,) = await conn.execute_fetchall(
        "SELECT count(*) AS sets, coalesce(sum(face_yen), 0) AS yen FROM campaign_holds"
        " WHERE campaign_id = ? AND status = 'held' AND expires_at > ?"
        " AND (? IS NULL OR customer_id <> ?)",
        (campaign_id, to_epoch(now), except_customer, except_customer),
    )
    return int(row["sets"]), int(row["yen"])


async def own_live_holds(
    conn: Reader, campaign_id: str, customer_id: str, now: datetime
) -> list[Hold]:
    """The resident's own sets held now (their card purchases still being paid), oldest first:
    each hold's id is its payment's, so the page links to the purchase."""
    rows = await conn.execute_fetchall(
        f"SELECT {HOLD_COLUMNS} FROM campaign_holds WHERE campaign_id = ? AND customer_id = ?"  # noqa: S608
        " AND status = 'held' AND expires_at > ? ORDER BY created_at, hold_id",
        (campaign_id, customer_id, to_epoch(now)),
    )
    return [hold_from_row(r) for r in rows]
