"""Read-only SQL for the redemptions CSV over the ledger's tables: one store's redemptions, in
time order, each with the voucher's balance after it (node/web/admin/export_queries.py pages and
merges them with partners' claims).

Keyset-paged on (created_at, id): every chunk is one short statement that starts where the last
one ended, using the index on (store_id, created_at). The balance after each redemption is read in
one ordered pass per voucher (a window function over the voucher's postings), kept until its row is
written: the whole export costs one pass over each voucher's history, not one per row (summing
every earlier posting for each row made the export quadratic in uses per voucher: issue 13, item 7).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from node.ledger.model import VOUCHER_PREFIX
from node.reads import Reader

CHUNK_ROWS = 1000


@dataclass(frozen=True)
class ExportRow:
    """One redemption at one of our stores: our voucher (issuer None) or a partner's (a claim)."""

    created_at: int  # epoch seconds
    store_id: str
    store_name: str
    reference: str  # our redemption id, or the claim id of a partner's voucher
    voucher_id: str
    issuer: str | None  # the partner's name; None for our own vouchers
    amount_yen: int
    balance_after_yen: int | None
    is_voided: bool
    receipt_no: str | None = None  # the number printed on the receipt (ours, or the partner's)

    @property
    def key(self) -> tuple[int, str]:
        return self.created_at, self.reference


Chunk = Callable[[tuple[int, str]], Awaitable[list[ExportRow]]]

_OUR_REDEMPTIONS = """
    SELECT r.created_at, r.store_id, s.name AS store_name, r.redemption_id AS reference,
           r.voucher_id, r.amount_yen, r.txn_id, v.voided_at IS NOT NULL AS is_voided,
           r.receipt_no
    FROM redemptions r JOIN stores s ON s.store_id = r.store_id
    LEFT JOIN redemption_voids v ON v.redemption_id = r.redemption_id
    WHERE r.store_id = :store AND r.created_at >= :after_t AND r.created_at < :end
      AND (r.created_at > :after_t OR r.redemption_id > :after)
    ORDER BY r.created_at, r.redemption_id LIMIT :limit
"""

# Each redemption's balance after it, for a few vouchers at once: the running sum of each
# voucher's postings in journal order (rowid: the journal is append-only), up to and including
# the redemption's entry; kept only for redemptions inside the export's period.
_BALANCES_AFTER = """
    SELECT txn_id, balance FROM (
        SELECT p.txn_id, j.kind, j.created_at,
               -sum(p.amount_yen) OVER (PARTITION BY p.account ORDER BY j.rowid) AS balance
        FROM postings p JOIN journal j USING (txn_id)
        WHERE p.account IN (SELECT :prefix || value FROM json_each(:vouchers))
    ) WHERE kind = 'redeem' AND created_at >= :start AND created_at < :end
"""


def chunk_params(store_id: str, end_s: int, key: tuple[int, str]) -> dict[str, object]:
    return {
        "store": store_id,
        "end": end_s,
        "after_t": key[0],
        "after": key[1],
        "limit": CHUNK_ROWS,
    }


def _our_row(r: sqlite3.Row, balance_after_yen: int | None) -> ExportRow:
    return ExportRow(
        created_at=r["created_at"],
        store_id=r["store_id"],
        store_name=r["store_name"],
        reference=r["reference"],
        voucher_id=r["voucher_id"],
        issuer=None,
        amount_yen=r["amount_yen"],
        balance_after_yen=balance_after_yen,
        is_voided=bool(r["is_voided"]),
        receipt_no=r["receipt_no"],
    )


@dataclass
class BalancesAfter:
    """The balance after each of our redemptions in [start_s, end_s), read voucher by voucher
    in one ordered pass and dropped once its row is written."""

    db: Reader
    start_s: int
    end_s: int
    by_txn: dict[str, int] = field(default_factory=dict)

    async def load(self, voucher_ids: set[str]) -> None:
        if not voucher_ids:
            return
        params = {
            "prefix": VOUCHER_PREFIX,
            "vouchers": json.dumps(sorted(voucher_ids)),
            "start": self.start_s,
            "end": self.end_s,
        }
        for row in await self.db.execute_fetchall(_BALANCES_AFTER, params):
            self.by_txn[str(row["txn_id"])] = int(row["balance"])

    def take(self, txn_id: str) -> int | None:
        return self.by_txn.pop(txn_id, None)


def our_chunks(db: Reader, store_id: str, start_s: int, end_s: int) -> Chunk:
    """Our redemptions at the store in [start_s, end_s), a chunk after each key."""
    balances = BalancesAfter(db, start_s, end_s)

    async def after(key: tuple[int, str]) -> list[ExportRow]:
        rows = list(await db.execute_fetchall(_OUR_REDEMPTIONS, chunk_params(store_id, end_s, key)))
        # A voucher is read again only when a redemption committed after its last read shows up.
        await balances.load(
            {str(r["voucher_id"]) for r in rows if str(r["txn_id"]) not in balances.by_txn}
        )
        return [_our_row(r, balances.take(str(r["txn_id"]))) for r in rows]

    return after


@dataclass(frozen=True)
class SaleRow:
    """One voucher sold (not a gift): where, for how much, and whether the sale was cancelled."""

    created_at: int
    voucher_id: str
    store_id: str | None  # None: issued by head office (the admin API)
    store_name: str | None
    face_yen: int
    price_yen: int
    is_cancelled: bool
    payment_method: str | None  # a counter sale's (cash, card, other); None: issued by the API
    sold_by: str | None  # who sold it at the counter ("staff:<login>"); None: issued by the API

    @property
    def key(self) -> tuple[int, str]:
        return self.created_at, self.voucher_id


# A sale cancelled the same day (journal kind sale_cancel) is listed with is_cancelled: the
# cancellation moves the voucher's value back, and its entry posts to the voucher's account.
_SALES = """
    SELECT v.created_at, v.voucher_id, v.store_id, s.name AS store_name, v.face_yen, v.price_yen,
           EXISTS (SELECT 1 FROM postings p JOIN journal j USING (txn_id)
                   WHERE p.account = :prefix || v.voucher_id AND j.kind = 'sale_cancel')
             AS is_cancelled,
           cs.payment_method, cs.sold_by
    FROM vouchers v LEFT JOIN stores s ON s.store_id = v.store_id
    LEFT JOIN counter_sales cs ON cs.voucher_id = v.voucher_id
    WHERE v.is_gift = 0 AND (:store = '' OR v.store_id = :store)
      AND v.created_at >= :after_t AND v.created_at < :end
      AND (v.created_at > :after_t OR v.voucher_id > :after)
    ORDER BY v.created_at, v.voucher_id LIMIT :limit
"""


async def sales_after(db: Reader, store_id: str, end_s: int, key: tuple[int, str]) -> list[SaleRow]:
    """Vouchers sold ("" store: at every store and by head office) after `key`, before end_s."""
    params = {**chunk_params(store_id, end_s, key), "prefix": VOUCHER_PREFIX}
    return [
        SaleRow(
            created_at=r["created_at"],
            voucher_id=r["voucher_id"],
            store_id=r["store_id"],
            store_name=r["store_name"],
            face_yen=r["face_yen"],
            price_yen=r["price_yen"],
            is_cancelled=bool(r["is_cancelled"]),
            payment_method=r["payment_method"],
            sold_by=r["sold_by"],
        )
        for r in await db.execute_fetchall(_SALES, params)
    ]
