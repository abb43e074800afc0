"""The 基準日 report's figures are built in a worker thread, not on the event loop the console and
the counters share: its pure build goes over every voucher and entry kind of the journal."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

from node.compliance.reference_date import VoucherFlow, VoucherTerms, build_report, reference_period
from node.compliance.report_actions import build_off_loop
from node.ledger.model import EntryKind
from tests.compliance_books import NO_PARTNERS, ZONE, tokyo

PERIOD = reference_period(date(2027, 3, 31), ZONE)
TERMS = [VoucherTerms(f"v{i}", tokyo("2026-06-01 10:00"), None, None) for i in range(50)]


def flows(seen: set[int]) -> Iterator[VoucherFlow]:
    """The journal's flows, noting the thread that reads them."""
    for terms in TERMS:
        seen.add(threading.get_ident())
        yield VoucherFlow(terms.voucher_id, EntryKind.ISSUE, 1_000, 500)


async def test_the_report_is_built_off_the_event_loop() -> None:
    readers: set[int] = set()
    report = await build_off_loop(
        "x", PERIOD, TERMS, flows(readers), NO_PARTNERS, ZONE, PERIOD.ends_at
    )
    assert readers and threading.get_ident() not in readers
    expected = build_report("x", PERIOD, TERMS, flows(set()), NO_PARTNERS, ZONE, PERIOD.ends_at)
    assert report == expected
    assert report.unused_yen == 50 * 1_500
