"""Read-only SQL for the redemptions CSV over settlement's tables: partners' vouchers taken at one
of our stores (our claims on them), in time order, keyset-paged like the ledger's half
(node/ledger/export_queries.py) on the index on (role, store_id, created_at, claim_id)."""

from __future__ import annotations

from node.ledger.export_queries import Chunk, ExportRow, chunk_params
from node.reads import Reader
from node.settlement.model import ISSUER_ACCEPTED

# A partner's voucher redeemed at our store counts once its issuer accepted it, whatever
# happened next (invoiced, paid, cleared, disputed, voided); pending and rejected claims do not.
EXPORTED_CLAIM_STATUSES = tuple(str(s) for s in ISSUER_ACCEPTED)
_CLAIM_STATUS_LIST = ", ".join(f"'{s}'" for s in EXPORTED_CLAIM_STATUSES)

_PARTNER_CLAIMS = f"""
    SELECT c.created_at, c.store_id, coalesce(s.name, c.store_name) AS store_name,
           c.claim_id, c.voucher_id, coalesce(p.name, c.peer) AS issuer, c.amount_yen,
           c.balance_after, c.status = 'VOIDED' AS is_voided, c.receipt_no
    FROM claims c LEFT JOIN stores s ON s.store_id = c.store_id
    LEFT JOIN peers p ON p.node_id = c.peer
    WHERE c.role = 'redeemer' AND c.store_id = :store AND c.status IN ({_CLAIM_STATUS_LIST})
      AND c.created_at >= :after_t AND c.created_at < :end
      AND (c.created_at > :after_t OR c.claim_id > :after)
    ORDER BY c.created_at, c.claim_id LIMIT :limit
"""  # noqa: S608 (only constants are formatted in)


def partner_chunks(db: Reader, store_id: str, end_s: int) -> Chunk:
    """Our accepted claims on partners' vouchers taken at the store before `end_s`."""

    async def after(key: tuple[int, str]) -> list[ExportRow]:
        rows = await db.execute_fetchall(_PARTNER_CLAIMS, chunk_params(store_id, end_s, key))
        return [
            ExportRow(
                created_at=r["created_at"],
                store_id=r["store_id"],
                store_name=r["store_name"],
                reference=r["claim_id"],
                voucher_id=r["voucher_id"],
                issuer=r["issuer"],
                amount_yen=r["amount_yen"],
                balance_after_yen=r["balance_after"],
                is_voided=bool(r["is_voided"]),
                receipt_no=r["receipt_no"],
            )
            for r in rows
        ]

    return after
