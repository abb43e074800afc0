"""The class of a voucher in use (自家型, 第三者型, 適用除外), counted from its original issue.

A gift is a new voucher (`gifted_from` its giver's), with a fresh expiry; the 6 months of the
exemption count from the first voucher's 発行の日 all the same (node/compliance/model.py). So the
class needs the chain of givers: `first_issued_at` follows it over any lookup (a dict of the
vouchers a report loaded, pure), `load_first_issued_at` over the ledger's reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from node.compliance.model import Acceptance, VoucherClass, classify
from node.ledger import queries as ledger_queries
from node.ledger.model import Voucher
from node.reads import Reader

MAX_CHAIN = 64  # a chain of gifts longer than this is a corrupted table, not a history


def first_issued_at(voucher: Voucher, giver_of: Callable[[str], Voucher | None]) -> datetime:
    """The `created_at` of the first voucher of `voucher`'s chain of gifts (its own if none).
    A giver the lookup does not know ends the chain there (the earliest moment known)."""
    first = voucher
    for _ in range(MAX_CHAIN):
        if first.gifted_from is None:
            break
        giver = giver_of(first.gifted_from)
        if giver is None:
            break
        first = giver
    return first.created_at


def voucher_class(
    voucher: Voucher, first_issued: datetime, acceptance: Acceptance, zone: ZoneInfo
) -> VoucherClass:
    """The class of `voucher` now: its own enforced expiry against the original issue."""
    return classify(first_issued, voucher.expires_at, acceptance, zone)


def classes_of(
    vouchers: dict[str, Voucher], acceptance: Acceptance, zone: ZoneInfo
) -> dict[str, VoucherClass]:
    """The class of every voucher of a loaded set (a report's), by voucher id."""
    return {
        voucher_id: voucher_class(voucher, first_issued_at(voucher, vouchers.get), acceptance, zone)
        for voucher_id, voucher in vouchers.items()
    }


async def load_first_issued_at(reader: Reader, voucher: Voucher) -> datetime:
    """`first_issued_at` over the ledger's reads: one read per giver (a gift is rarely regifted)."""
    chain = {voucher.voucher_id: voucher}
    current = voucher
    for _ in range(MAX_CHAIN):
        if current.gifted_from is None or current.gifted_from in chain:
            break
        giver = await ledger_queries.get_voucher(reader, current.gifted_from)
        if giver is None:
            break
        chain[giver.voucher_id] = current = giver
    return first_issued_at(voucher, chain.get)


async def load_voucher_class(
    reader: Reader, voucher: Voucher, acceptance: Acceptance, zone: ZoneInfo
) -> VoucherClass:
    """The class of one voucher now (the console's voucher page, the wallet's display)."""
    first = await load_first_issued_at(reader, voucher)
    return voucher_class(voucher, first, acceptance, zone)
