"""The 基準日 report's reads of the ledger's tables: every voucher's postings summed by entry kind
around the period's start, and the terms that decide each voucher's class as they stood then."""

from __future__ import annotations

import sqlite3

from node.compliance.reference_date import ReferencePeriod, VoucherFlow, VoucherTerms
from node.ledger.model import EntryKind
from node.ledger.rows import from_epoch, maybe_datetime, to_epoch
from node.reads import Reader

# Liability is the credit side: a voucher account's postings negated. Only entries before the
# report's instant count; those before the period's start make the opening balance. Value past
# its expiry but not yet swept is still here: build_report counts it expired (by `expires_then`). The
# accounts are model.VOUCHER_PREFIX (`voucher:`, 8 characters) and the voucher's id.
_FLOWS = """
SELECT substr(p.account, 9) AS voucher_id, j.kind AS kind,
       coalesce(sum(CASE WHEN j.created_at < ? THEN -p.amount_yen ELSE 0 END), 0) AS before_yen,
       coalesce(sum(CASE WHEN j.created_at >= ? THEN -p.amount_yen ELSE 0 END), 0) AS during_yen
FROM postings p JOIN journal j ON j.txn_id = p.txn_id
WHERE substr(p.account, 1, 8) = 'voucher:' AND j.created_at < ?
GROUP BY p.account, j.kind
"""

# A voucher's expiry at the instant: the one before the first extension made after it, if any.
_TERMS = """
SELECT v.voucher_id, v.created_at, v.expires_at, v.gifted_from, v.price_yen,
       (SELECT c.expires_before FROM voucher_changes c
         WHERE c.voucher_id = v.voucher_id AND c.kind = 'extend' AND c.created_at >= ?
         ORDER BY c.created_at, c.change_id LIMIT 1) AS expires_then,
       (SELECT count(*) FROM voucher_changes c
         WHERE c.voucher_id = v.voucher_id AND c.kind = 'extend' AND c.created_at >= ?)
         AS later_extensions
FROM vouchers v WHERE v.created_at < ?
"""


def _terms_from_row(row: sqlite3.Row) -> VoucherTerms:
    expires = row["expires_then"] if row["later_extensions"] else row["expires_at"]
    return VoucherTerms(
        voucher_id=row["voucher_id"],
        created_at=from_epoch(row["created_at"]),
        expires_at=maybe_datetime(expires),
        gifted_from=row["gifted_from"],
        issued_free=row["price_yen"] == 0 and row["gifted_from"] is None,
    )


def _flow_from_row(row: sqlite3.Row) -> VoucherFlow:
    return VoucherFlow(
        voucher_id=row["voucher_id"],
        kind=EntryKind(row["kind"]),
        before_yen=row["before_yen"],
        during_yen=row["during_yen"],
    )


async def voucher_terms(db: Reader, period: ReferencePeriod) -> list[VoucherTerms]:
    """Every voucher issued before the report's instant, with its expiry as it stood then."""
    end = to_epoch(period.ends_at)
    rows = await db.execute_fetchall(_TERMS, (end, end, end))
    return [_terms_from_row(r) for r in rows]


async def voucher_flows(db: Reader, period: ReferencePeriod) -> list[VoucherFlow]:
    """Each voucher's postings up to the report's instant, summed by kind, before and during."""
    start, end = to_epoch(period.starts_at), to_epoch(period.ends_at)
    rows = await db.execute_fetchall(_FLOWS, (start, start, end))
    return [_flow_from_row(r) for r in rows]
