"""An offer's reads: the offer a mail carries (its stores through the ledger's store groups), and
how its coupons were used (the ledger's redemptions and their voids: READS_BELOW)."""

from __future__ import annotations

from dataclasses import dataclass

from node.crm.offers import Offer
from node.ledger import queries as ledger_queries
from node.ledger.rows import from_epoch
from node.reads import Reader


@dataclass(frozen=True)
class OfferUse:
    issued: int  # coupons given
    used: int  # coupons with at least one redemption standing
    used_yen: int  # yen redeemed from them, voids taken back


async def offer(db: Reader, mail_id: str) -> Offer | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT face_yen, use_until, store_group FROM mail_offers WHERE mail_id = ?",
            (mail_id,),
        )
    )
    if not rows:
        return None
    group = rows[0]["store_group"]
    stores: tuple[str, ...] = ()
    if group is not None:
        stores = tuple(sorted(s.store_id for s in await ledger_queries.group_stores(db, group)))
    return Offer(int(rows[0]["face_yen"]), from_epoch(rows[0]["use_until"]), stores)


async def use_of(db: Reader, mail_id: str) -> OfferUse:
    issued = list(
        await db.execute_fetchall(
            "SELECT COUNT(*) AS n FROM mail_offer_coupons WHERE mail_id = ?", (mail_id,)
        )
    )
    used = list(
        await db.execute_fetchall(
            "SELECT COUNT(DISTINCT r.voucher_id) AS n, COALESCE(SUM(r.amount_yen), 0) AS yen"
            " FROM mail_offer_coupons c JOIN redemptions r ON r.voucher_id = c.voucher_id"
            " WHERE c.mail_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM redemption_voids v WHERE v.redemption_id = r.redemption_id)",
            (mail_id,),
        )
    )
    return OfferUse(int(issued[0]["n"]), int(used[0]["n"]), int(used[0]["yen"]))
