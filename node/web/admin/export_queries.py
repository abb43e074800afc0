"""Read-only SQL for the redemptions CSV: one store's redemptions and partner claims, in time order.

Each half is keyset-paged on (created_at, id): every chunk is one short statement that starts
where the last one ended, so a report connection is never held while a slow client downloads, and
no chunk rescans what came before. Our redemptions use the index on (store_id, created_at), and
partners' claims the one on (role, store_id, created_at, claim_id), which is why the CSV goes
store by store.

The balance after each of our redemptions is read in one ordered pass per voucher (a window
function over the voucher's postings), kept until its row is written: the whole export costs
one pass over each voucher's history, not one per row (summing every earlier posting for each
row made the export quadratic in uses per voucher: issue 13, item 7).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from node.ledger.model import VOUCHER_PREFIX
from node.reads import Reader
from node.settlement.model import ISSUER_ACCEPTED

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

    @property
    def key(self) -> tuple[int, str]:
        return self.created_at, self.reference


# A partner's voucher redeemed at our store counts once its issuer accepted it, whatever
# happened next (invoiced, paid, cleared, disputed, voided); pending and rejected claims do not.
EXPORTED_CLAIM_STATUSES = tuple(str(s) for s in ISSUER_ACCEPTED)
_CLAIM_STATUS_LIST = ", ".join(f"'{s}'" for s in EXPORTED_CLAIM_STATUSES)

_OUR_REDEMPTIONS = """
    SELECT r.created_at, r.store_id, s.name, r.redemption_id, r.voucher_id, NULL, r.amount_yen,
           r.txn_id, v.voided_at IS NOT NULL
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

_PARTNER_CLAIMS = f"""
    SELECT c.created_at, c.store_id, coalesce(s.name, c.store_name), c.claim_id, c.voucher_id,
           coalesce(p.name, c.peer), c.amount_yen, c.balance_after, c.status = 'VOIDED'
    FROM claims c LEFT JOIN stores s ON s.store_id = c.store_id
    LEFT JOIN peers p ON p.node_id = c.peer
    WHERE c.role = 'redeemer' AND c.store_id = :store AND c.status IN ({_CLAIM_STATUS_LIST})
      AND c.created_at >= :after_t AND c.created_at < :end
      AND (c.created_at > :after_t OR c.claim_id > :after)
    ORDER BY c.created_at, c.claim_id LIMIT :limit
"""  # noqa: S608 (only constants are formatted in)

Chunk = Callable[[tuple[int, str]], Awaitable[list[ExportRow]]]


def _params(store_id: str, end_s: int, key: tuple[int, str]) -> dict[str, object]:
    return {
        "store": store_id,
        "end": end_s,
        "after_t": key[0],
        "after": key[1],
        "limit": CHUNK_ROWS,
    }


def _export_row(r: Sequence[Any], balance_after_yen: int | None) -> ExportRow:
    return ExportRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], balance_after_yen, bool(r[8]))


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
        for txn_id, balance in await self.db.execute_fetchall(_BALANCES_AFTER, params):
            self.by_txn[str(txn_id)] = int(balance)

    def take(self, txn_id: str) -> int | None:
        return self.by_txn.pop(txn_id, None)


def _our_chunks(db: Reader, store_id: str, start_s: int, end_s: int) -> Chunk:
    balances = BalancesAfter(db, start_s, end_s)

    async def after(key: tuple[int, str]) -> list[ExportRow]:
        rows = list(await db.execute_fetchall(_OUR_REDEMPTIONS, _params(store_id, end_s, key)))
        # A voucher is read again only when a redemption committed after its last read shows up.
        await balances.load({str(r[4]) for r in rows if str(r[7]) not in balances.by_txn})
        return [_export_row(r, balances.take(str(r[7]))) for r in rows]

    return after


def _partner_chunks(db: Reader, store_id: str, end_s: int) -> Chunk:
    async def after(key: tuple[int, str]) -> list[ExportRow]:
        rows = await db.execute_fetchall(_PARTNER_CLAIMS, _params(store_id, end_s, key))
        return [_export_row(r, r[7]) for r in rows]

    return after


async def _paged(chunk: Chunk, start_s: int) -> AsyncIterator[ExportRow]:
    key = (start_s, "")  # every id sorts after "": the first chunk starts at start_s itself
    while True:
        rows = await chunk(key)
        for row in rows:
            yield row
        if len(rows) < CHUNK_ROWS:
            return
        key = rows[-1].key


async def _merged(
    first: AsyncIterator[ExportRow], second: AsyncIterator[ExportRow]
) -> AsyncIterator[ExportRow]:
    """Two streams sorted by key, as one sorted stream."""
    a, b = await anext(first, None), await anext(second, None)
    while a is not None or b is not None:
        if a is not None and (b is None or a.key <= b.key):
            yield a
            a = await anext(first, None)
        elif b is not None:
            yield b
            b = await anext(second, None)


def store_redemptions(
    db: Reader, store_id: str, start_s: int, end_s: int
) -> AsyncIterator[ExportRow]:
    """Every redemption at `store_id` in [start_s, end_s), ours and partners', in time order."""
    ours = _paged(_our_chunks(db, store_id, start_s, end_s), start_s)
    theirs = _paged(_partner_chunks(db, store_id, end_s), start_s)
    return _merged(ours, theirs)
