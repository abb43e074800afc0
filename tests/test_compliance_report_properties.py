"""For random histories of sales (some cancelled), free issues, redemptions (some voided), gifts
(some taken back), partners' claims and expiries across two 基準日, driven through the ledger's
real writer operations on a real SQLite file with the clock chosen step by step, the report's
unused balance is the books' state at each instant.

The oracle is not the report's source: at the first step at or after each instant, before it
runs, the vouchers table's balances and expiries are read (the ledger's own state then, which the
writer keeps equal to the postings), and a voucher at or past its expiry then holds nothing,
whether or not a sweep has run (the ledger refuses to spend it: its value is lost to the holder).
Sweeps run at random steps, so some come after the instant. The report, computed afterwards from
the journal alone, must give that total, the free part (無償: value issued for ¥0, followed
down its gifts in the vouchers table), the exempt part voucher by voucher, and figures that add
up: closing = opening + issued - collected + moved per class, and one period's closing is the next
one's opening.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.compliance.model import VoucherClass
from node.compliance.reference_date import (
    CLASS_ORDER,
    ReferenceDateReport,
    VoucherTerms,
    classes_of,
)
from node.errors import KippuError
from tests.compliance_books import NO_PARTNERS, ZONE, Books, tokyo

START = tokyo("2026-08-01 09:00")
INSTANTS = {"2026-09-30": tokyo("2026-10-01 00:00"), "2027-03-31": tokyo("2027-04-01 00:00")}


@dataclass(frozen=True)
class Step:
    after_minutes: int
    action: str
    pick: int
    amount: int
    valid_days: int | None


steps = st.builds(
    Step,
    after_minutes=st.integers(2, 60 * 24 * 40),
    action=st.sampled_from(
        [
            "sell",
            "sell",
            "give_free",
            "sell_cancel",
            "redeem",
            "redeem_void",
            "gift",
            "gift_return",
            "claim",
            "sweep",
        ]
    ),
    pick=st.integers(0, 1_000),
    amount=st.integers(1, 50_000),
    valid_days=st.sampled_from([None, 5, 20, 100, 200]),
)


def apply(books: Books, sold: list[str], step: Step, at: datetime) -> None:
    """One step; a refusal (used up, expired, a gifted voucher gifting) changes nothing. Times
    are whole minutes and a step's second entry comes 30 s after its first, so no step spans
    an instant (a local midnight)."""
    if step.action == "sell":
        sold.append(books.issue(step.amount, at, valid_days=step.valid_days))
        return
    if step.action == "give_free":  # issued for ¥0: 無償, outside the act
        sold.append(books.issue(step.amount, at, price=0, valid_days=step.valid_days))
        return
    if step.action == "sweep":
        books.sweep(at)
        return
    if step.action == "sell_cancel":  # a counter sale, cancelled at once (before the next step)
        sold.append(books.sell_at_counter(step.amount, at))
        books.cancel_sale(sold[-1], at + timedelta(seconds=30))
        return
    if not sold:
        return
    voucher_id = sold[step.pick % len(sold)]
    balance = books.voucher(voucher_id).balance_yen
    amount = max(1, min(step.amount, balance))
    try:
        if step.action == "redeem":
            books.redeem(voucher_id, amount, at)
        elif step.action == "redeem_void":
            books.void(books.redeem(voucher_id, amount, at), at + timedelta(seconds=30))
        elif step.action == "gift":
            sold.append(books.gift(voucher_id, amount, at))
        elif step.action == "gift_return":  # taken back before anyone received it
            books.return_gift(voucher_id, at)
        else:
            books.partner_claim(voucher_id, amount, at)
    except KippuError:
        pass


def terms_now(books: Books) -> list[VoucherTerms]:
    """Every voucher's terms from the vouchers table (no extensions happen in these histories)."""
    return [
        VoucherTerms(v.voucher_id, v.created_at, v.expires_at, v.gifted_from)
        for v in (books.voucher(vid) for vid in books.balances())
    ]


def unused_at(books: Books, instant: datetime) -> dict[str, int]:
    """Each voucher's balance from the vouchers table, nothing for one whose expiry has come."""
    unused = {}
    for voucher_id, balance in books.balances().items():
        expires_at = books.voucher(voucher_id).expires_at
        unused[voucher_id] = balance if expires_at is None or expires_at > instant else 0
    return unused


def issued_free(books: Books) -> set[str]:
    """The vouchers whose value was issued for ¥0: a free issue, or a gift down from one."""
    free = set()
    for voucher_id in books.balances():
        first = books.voucher(voucher_id)
        while first.gifted_from is not None:
            first = books.voucher(first.gifted_from)
        if first.price_yen == 0:
            free.add(voucher_id)
    return free


def check_adds_up(report: ReferenceDateReport) -> None:
    for figures in report.classes:
        assert figures.closing_yen == (
            figures.opening_yen + figures.issued_yen - figures.collected_yen + figures.moved_yen
        )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=st.lists(steps, min_size=1, max_size=25))
def test_the_unused_balance_is_the_books_at_the_instant(history: list[Step]) -> None:
    directory = Path(tempfile.mkdtemp(prefix="kippu-kijunbi-prop-"))
    books = Books(directory)
    try:
        sold: list[str] = []
        seen: dict[str, dict[str, int]] = {}
        at = START
        for step in [*history, Step(60 * 24 * 400, "sweep", 0, 1, None)]:
            at += timedelta(minutes=step.after_minutes)
            for day, instant in INSTANTS.items():
                if at >= instant and day not in seen:
                    seen[day] = unused_at(books, instant)
            apply(books, sold, step, at)
        classes = classes_of(terms_now(books), NO_PARTNERS, ZONE)
        free_ids = issued_free(books)
        reports = {day: books.report(day) for day in INSTANTS}
        for day, report in reports.items():
            balances = seen[day]
            everything = sum(c.closing_yen for c in report.classes)
            assert everything == sum(balances.values())
            free = sum(y for vid, y in balances.items() if vid in free_ids)
            exempt = sum(
                y
                for vid, y in balances.items()
                if classes[vid] == VoucherClass.EXEMPT and vid not in free_ids
            )
            assert report.of(VoucherClass.FREE).closing_yen == free
            assert report.of(VoucherClass.EXEMPT).closing_yen == exempt
            assert report.unused_yen == everything - exempt - free
            check_adds_up(report)
        autumn, spring = reports["2026-09-30"], reports["2027-03-31"]
        for voucher_class in CLASS_ORDER:
            assert spring.of(voucher_class).opening_yen == autumn.of(voucher_class).closing_yen
    finally:
        books.close()
        shutil.rmtree(directory, ignore_errors=True)
