"""Counter sales and their cancels never create or lose a yen: properties of the pure rule, and a
hypothesis state machine driving the ledger's real writer operations (sell_at_counter, redeem,
cancel_sale) on a real SQLite database with the node's schema, days passing in between.

After every step the books are checked as `GET /api/v1/ledger/check` does (every entry balanced,
postings summing to zero, voucher liability equal to the sum of balances, no negative balance),
and the sum of balances is what the model says: the face of every sale not cancelled, less what
was redeemed. A refused cancel (twice, after use, another day, another store) changes nothing and
says why with its stable code.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from node import db
from node.app import prepare_database
from node.errors import KippuError
from node.ledger import core, operations
from node.ledger.model import (
    EntryKind,
    JournalEntry,
    LedgerPolicy,
    PaymentMethod,
    Posting,
    Sale,
    Store,
    VoucherStatus,
    cash_account,
    voucher_account,
)
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_manual_code, parse_code
from tests.conftest import START

ZONE = ZoneInfo("Asia/Tokyo")
POLICY = LedgerPolicy(max_voucher_yen=100_000, void_same_day_only=True)
SETTINGS = operations.LedgerSettings("self", POLICY, ZONE, step_seconds=30)
STORES = ("st_shibuya", "st_shinjuku")
CUSTOMER = "cu_hanako"
T = TypeVar("T")


@given(
    face=st.integers(1, 100_000),
    premium=st.integers(0, 5_000),
    method=st.sampled_from(list(PaymentMethod)),
)
def test_a_cancel_is_its_sale_reversed_line_by_line(
    face: int, premium: int, method: PaymentMethod
) -> None:
    price = max(0, face - premium)
    request = core.IssueRequest("000000000001", b"s" * 32, face, price, None, "st", None, "tx_1")
    issued = core.issue_voucher(request, POLICY, START, ZONE)
    sale = Sale("000000000001", "st", face, price, method, "staff:yamada", "tx_1", START)
    cancelled = core.cancel_sale(
        issued.vouchers[0], sale, issued.entry, "st", START + timedelta(hours=3), ZONE, "tx_2"
    )
    assert cancelled.entry.kind == EntryKind.SALE_CANCEL and cancelled.entry.is_balanced
    totals: dict[str, int] = {}
    for posting in issued.entry.postings + cancelled.entry.postings:
        totals[posting.account] = totals.get(posting.account, 0) + posting.amount_yen
    assert set(totals.values()) == {0}, "every account is back where it was"
    lines = {p.account: p.amount_yen for p in cancelled.entry.postings}
    assert lines.get(cash_account("st"), 0) == -price  # the price goes back out of the till
    voucher = cancelled.vouchers[0]
    assert (voucher.status, voucher.balance_yen) == (VoucherStatus.VOID, 0)


def test_a_cancel_refuses_an_entry_that_is_not_the_sales_issue() -> None:
    request = core.IssueRequest("000000000001", b"s" * 32, 5000, 5000, None, "st", None, "tx_1")
    issued = core.issue_voucher(request, POLICY, START, ZONE)
    sale = Sale("000000000001", "st", 5000, 5000, PaymentMethod.CASH, "staff:a", "tx_1", START)
    other = JournalEntry(
        "tx_9", EntryKind.REDEEM, START, (Posting("a", 1), Posting(voucher_account("x"), -1))
    )
    with pytest.raises(KippuError):
        core.cancel_sale(issued.vouchers[0], sale, other, None, START, ZONE, "tx_2")


@dataclass
class Sold:
    voucher_id: str
    store_id: str
    face_yen: int
    day: int
    redeemed_yen: int = 0
    is_cancelled: bool = False
    key: str = ""
    is_received: bool = False


class SaleMachine(RuleBasedStateMachine):
    """The shell's operations on a real database; the model says what the books must show."""

    @initialize()
    def open_books(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="kippu-sales-"))
        path = self.directory / "node.db"
        prepare_database(path)
        self.conn = db.connect(path)
        for store_id in STORES:
            self._run(operations.add_store(Store(store_id, store_id, START)))
        self.now = START
        self.day = 0
        self.sold: list[Sold] = []
        self.serial = 0
        self._run(operations.add_customer(CUSTOMER, "花子", "hanako@example.jp", START))

    def teardown(self) -> None:
        if hasattr(self, "conn"):
            self.conn.close()
            shutil.rmtree(self.directory, ignore_errors=True)

    def _next(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:012d}"

    def _number(self) -> str:
        self.serial += 1
        return voucher_number_from(self.serial.to_bytes(8, "big"))

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """One unit of work in one transaction, as the writer runs it: all or nothing."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(self.conn)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return result

    def _refused(self, work: Callable[[sqlite3.Connection], object]) -> str:
        before = self._books()
        with pytest.raises(KippuError) as refused:
            self._run(work)
        assert self._books() == before, "a refusal changes nothing"
        return refused.value.code

    def _books(self) -> tuple[int, int, int]:
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM journal) AS entries,"
            " (SELECT coalesce(sum(balance_yen), 0) FROM vouchers) AS balances,"
            " (SELECT count(*) FROM sale_cancels) AS cancels"
        ).fetchone()
        return int(row["entries"]), int(row["balances"]), int(row["cancels"])

    @rule(
        face=st.integers(1, 100_000),
        method=st.sampled_from(list(PaymentMethod)),
        store=st.sampled_from(STORES),
    )
    def sell(self, face: int, method: PaymentMethod, store: str) -> None:
        request = core.IssueRequest(
            self._number(), b"k" * 32, face, face, None, store, None, self._next("tx_")
        )
        key = self._next("key_")
        made = self._run(
            operations.sell_at_counter(
                request, method, "staff:yamada", SETTINGS, self.now, self._number, key
            )
        )
        voucher, sale = made.voucher, made.sale
        assert not made.is_repeat
        assert (voucher.balance_yen, sale.payment_method, sale.store_id) == (face, method, store)
        self.sold.append(Sold(voucher.voucher_id, store, face, self.day, key=key))

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data(), face=st.integers(1, 100_000))
    def sell_form_sent_again(self, data: st.DataObject, face: int) -> None:
        """A double tap, or a request resent after a lost answer: the sale it made, once."""
        sold = data.draw(st.sampled_from(self.sold))
        request = core.IssueRequest(
            self._number(), b"k" * 32, face, face, None, sold.store_id, None, self._next("tx_")
        )
        before = self._books()
        made = self._run(
            operations.sell_at_counter(
                request,
                PaymentMethod.CASH,
                "staff:yamada",
                SETTINGS,
                self.now,
                self._number,
                sold.key,
            )
        )
        assert made.is_repeat and made.sale.voucher_id == sold.voucher_id
        assert self._books() == before

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data(), face=st.integers(1, 100_000))
    def sell_form_sent_from_another_store(self, data: st.DataObject, face: int) -> None:
        """A sale's one-time key belongs to its store: elsewhere it sells and shows nothing."""
        sold = data.draw(st.sampled_from(self.sold))
        other = next(s for s in STORES if s != sold.store_id)
        request = core.IssueRequest(
            self._number(), b"k" * 32, face, face, None, other, None, self._next("tx_")
        )
        work = operations.sell_at_counter(
            request, PaymentMethod.CASH, "staff:tanaka", SETTINGS, self.now, self._number, sold.key
        )
        assert self._refused(work) == "sale.key_other_store"

    @precondition(lambda self: any(not s.is_cancelled for s in self.sold))
    @rule(data=st.data())
    def customer_takes(self, data: st.DataObject) -> None:
        """The customer scans the hand-over QR: the voucher is theirs (its code can be shown)."""
        sold = data.draw(st.sampled_from([s for s in self.sold if not s.is_cancelled]))
        taken = self._run(operations.hand_over(sold.voucher_id, CUSTOMER, self.now))
        assert taken is not None and taken.holder_id == CUSTOMER
        sold.is_received = True

    @precondition(lambda self: any(not s.is_cancelled for s in self.sold))
    @rule(data=st.data())
    def redeem(self, data: st.DataObject) -> None:
        standing = [s for s in self.sold if not s.is_cancelled and s.redeemed_yen < s.face_yen]
        if not standing:
            return
        sold = data.draw(st.sampled_from(standing))
        amount = data.draw(st.integers(1, sold.face_yen - sold.redeemed_yen))
        self.now += timedelta(seconds=61)  # a fresh typed code each time
        code = parse_code(
            make_manual_code(sold.voucher_id, b"k" * 32, self.now, SETTINGS.step_seconds)
        )
        self._run(
            operations.redeem(
                code,
                amount,
                sold.store_id,
                SETTINGS,
                self.now,
                self._next("rd_"),
                self._next("tx_"),
            )
        )
        sold.redeemed_yen += amount

    @precondition(lambda self: bool(self.sold))
    @rule(data=st.data(), at_own_store=st.booleans(), by_head_office=st.booleans())
    def cancel(self, data: st.DataObject, at_own_store: bool, by_head_office: bool) -> None:
        sold = data.draw(st.sampled_from(self.sold))
        other = next(s for s in STORES if s != sold.store_id)
        at_store = None if by_head_office else (sold.store_id if at_own_store else other)
        work = operations.cancel_sale(
            sold.voucher_id, at_store, "staff:yamada", SETTINGS, self.now, self._next("tx_")
        )
        if sold.is_cancelled:
            expected = "sale.already_cancelled"
        elif at_store is not None and at_store != sold.store_id:
            expected = "sale.other_store"
        elif sold.day != self.day:
            expected = "sale.cancel_window_closed"
        elif sold.redeemed_yen > 0:
            expected = "sale.voucher_used"
        elif sold.is_received:
            expected = "sale.already_received"
        else:
            expected = "cancelled"
        event(f"cancel: {expected}")
        if expected != "cancelled":
            assert self._refused(work) == expected
        else:
            cancelled, voucher = self._run(work)
            assert cancelled.is_cancelled and voucher.status == VoucherStatus.VOID
            assert voucher.balance_yen == 0
            sold.is_cancelled = True

    @rule(hours=st.integers(1, 30))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        start_day = START.astimezone(ZONE).date()
        self.day = (self.now.astimezone(ZONE).date() - start_day).days

    @invariant()
    def books_balance_and_no_yen_is_made_or_lost(self) -> None:
        if not hasattr(self, "conn"):
            return
        check = self.conn.execute(
            "SELECT (SELECT coalesce(sum(amount_yen), 0) FROM postings) AS postings_sum,"
            " (SELECT count(*) FROM (SELECT txn_id FROM postings GROUP BY txn_id"
            "   HAVING sum(amount_yen) != 0 OR count(*) < 2)) AS unbalanced,"
            " (SELECT coalesce(-sum(amount_yen), 0) FROM postings"
            "   WHERE account LIKE 'voucher:%') AS liability,"
            " (SELECT coalesce(sum(balance_yen), 0) FROM vouchers) AS balances,"
            " (SELECT count(*) FROM vouchers WHERE balance_yen < 0) AS negative,"
            " (SELECT coalesce(sum(amount_yen), 0) FROM postings WHERE account LIKE 'cash:%')"
            "   AS cash"
        ).fetchone()
        assert check["postings_sum"] == 0 and check["unbalanced"] == 0
        assert check["negative"] == 0
        assert check["liability"] == check["balances"]
        expected = sum(s.face_yen - s.redeemed_yen for s in self.sold if not s.is_cancelled)
        assert check["balances"] == expected
        # The till: every sale's price in, every cancelled sale's price out.
        assert check["cash"] == sum(s.face_yen for s in self.sold if not s.is_cancelled)


TestSaleMachine = pytest.mark.node(SaleMachine.TestCase)
TestSaleMachine.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
