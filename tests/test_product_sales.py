"""Selling products through the writer's units (node/products/operations.py) on a real SQLite
database with the node's schema: the stock never goes below zero, a customer's limit refuses and
changes nothing, every sale's journal entry is the ledger's balanced `issue` (price to the card
processor's clearing or the store's cash, premium to promotion, face to the voucher), a counter
sale records its payment method and answers its form's key once, and retiring a product keeps the
vouchers sold from it as they were."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node import db
from node.app import prepare_database
from node.errors import KippuError
from node.ledger import operations as ledger_operations
from node.ledger import tables as ledger_tables
from node.ledger.model import (
    PROMOTION_ACCOUNT,
    LedgerPolicy,
    PaymentMethod,
    Store,
    cash_account,
    psp_account,
    voucher_account,
)
from node.ledger.numbers import voucher_number_from
from node.products import core, operations, queries, tables
from node.products.core import ProductTerms
from node.products.model import LimitPeriod, Product, SaleChannel
from tests.conftest import START

ZONE = ZoneInfo("Asia/Tokyo")
SETTINGS = ledger_operations.LedgerSettings(
    "self", LedgerPolicy(max_voucher_yen=100_000, void_same_day_only=True), ZONE, step_seconds=30
)
STORE = "st_shibuya"
CUSTOMERS = ("cu_hanako", "cu_taro")
PSP = psp_account("stripe")
T = TypeVar("T")


class Books:
    """One node's database, and units run as the writer runs them: all or nothing."""

    def __init__(self, directory: Path) -> None:
        path = directory / "node.db"
        prepare_database(path)
        self.conn = db.connect(path)
        self.serial = 0
        self.run(ledger_operations.add_store(Store(STORE, "渋谷店", START)))
        for customer in CUSTOMERS:
            self.run(ledger_operations.add_customer(customer, customer, f"{customer}@ex.jp", START))

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(self.conn)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return result

    def number(self) -> str:
        self.serial += 1
        return voucher_number_from(self.serial.to_bytes(8, "big"))

    def add(self, terms: ProductTerms) -> Product:
        self.serial += 1
        made = core.new_product(terms, f"pr_{self.serial}", START, 100_000)
        return self.run(operations.add_product(made))

    def sell(
        self, product_id: str, customer: str | None, now: Callable[[], object] | None = None
    ) -> operations.ProductSale:
        when = START if now is None else now()
        self.serial += 1
        return self.run(
            operations.sell_product(
                product_id,
                customer,
                SaleChannel.ONLINE,
                None,
                PSP,
                SETTINGS,
                when,  # type: ignore[arg-type]
                self.number(),
                b"k" * 32,
                f"tx_{self.serial:06d}",
                self.number,
            )
        )

    def state(self) -> tuple[object, ...]:
        """Everything a refused sale must leave as it was."""
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM journal) AS entries,"
            " (SELECT count(*) FROM vouchers) AS vouchers,"
            " (SELECT count(*) FROM product_sales) AS sales,"
            " (SELECT group_concat(coalesce(stock, -1)) FROM products) AS stocks"
        ).fetchone()
        return tuple(row)

    def balanced(self) -> bool:
        """As GET /api/v1/ledger/check: every entry sums to zero, liability equals balances."""
        bad = self.conn.execute(
            "SELECT count(*) FROM (SELECT txn_id FROM postings GROUP BY txn_id"
            " HAVING sum(amount_yen) != 0)"
        ).fetchone()[0]
        liability = self.conn.execute(
            "SELECT -coalesce(sum(amount_yen), 0) FROM postings WHERE account LIKE 'voucher:%'"
        ).fetchone()[0]
        balances = self.conn.execute(
            "SELECT coalesce(sum(balance_yen), 0) FROM vouchers"
        ).fetchone()[0]
        return bad == 0 and liability == balances


@pytest.fixture
def books() -> Iterator[Books]:
    directory = Path(tempfile.mkdtemp(prefix="kippu-products-"))
    made = Books(directory)
    yield made
    made.conn.close()
    shutil.rmtree(directory, ignore_errors=True)


def refused(books: Books, work: Callable[[], object]) -> str:
    before = books.state()
    with pytest.raises(KippuError) as error:
        work()
    assert books.state() == before, "a refused sale changes nothing"
    return error.value.code


def test_an_online_sale_books_the_price_to_the_processor_and_the_premium_to_promotion(
    books: Books,
) -> None:
    offer = books.add(ProductTerms(name="プレミアム券", face_yen=11_000, price_yen=10_000))
    sold = books.sell(offer.product_id, "cu_hanako")
    voucher = sold.voucher
    assert (voucher.face_yen, voucher.price_yen, voucher.holder_id) == (11_000, 10_000, "cu_hanako")
    lines = dict(
        books.conn.execute(
            "SELECT p.account, p.amount_yen FROM postings p JOIN journal j USING (txn_id)"
            " WHERE j.kind = 'issue'"
        ).fetchall()
    )
    assert lines == {
        PSP: 10_000,
        PROMOTION_ACCOUNT: 1_000,
        voucher_account(voucher.voucher_id): -11_000,
    }
    assert books.balanced()
    record = tables.load_sale(books.conn, voucher.voucher_id)
    assert record is not None
    assert (record.product_id, record.customer_id, record.channel, record.price_yen) == (
        offer.product_id,
        "cu_hanako",
        SaleChannel.ONLINE,
        10_000,
    )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stock=st.integers(0, 4), buyers=st.lists(st.sampled_from((*CUSTOMERS, None)), max_size=8))
def test_the_stock_never_goes_below_zero(stock: int, buyers: list[str | None]) -> None:
    directory = Path(tempfile.mkdtemp(prefix="kippu-products-"))
    books = Books(directory)
    try:
        offer = books.add(ProductTerms(name="限定券", face_yen=3_000, stock=stock))
        sold = 0
        for buyer in buyers:
            if sold < stock:
                after = books.sell(offer.product_id, buyer).product
                sold += 1
                assert after.stock == stock - sold
            else:
                code = refused(books, lambda b=buyer: books.sell(offer.product_id, b))
                assert code == "product.sold_out"
        left = tables.load_product(books.conn, offer.product_id)
        assert left is not None and left.stock == stock - sold >= 0
        assert books.balanced()
    finally:
        books.conn.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_a_limit_reached_refuses_and_changes_nothing(books: Books) -> None:
    offer = books.add(
        ProductTerms(
            name="お一人様2枚まで",
            face_yen=5_000,
            price_yen=4_500,
            limit_count=2,
            limit_period=LimitPeriod.DAY,
            stock=10,
        )
    )
    books.sell(offer.product_id, "cu_hanako")
    books.sell(offer.product_id, "cu_hanako")
    assert refused(books, lambda: books.sell(offer.product_id, "cu_hanako")) == (
        "product.limit_reached"
    )
    books.sell(offer.product_id, "cu_taro")  # another customer's limit is their own
    tomorrow = START + timedelta(days=1)
    books.sell(offer.product_id, "cu_hanako", lambda: tomorrow)  # a new Tokyo day
    assert books.balanced()


def test_a_yen_limit_over_a_month_counts_the_price(books: Books) -> None:
    offer = books.add(
        ProductTerms(
            name="月1万円まで",
            face_yen=5_500,
            price_yen=5_000,
            limit_yen=10_000,
            limit_period=LimitPeriod.MONTH,
        )
    )
    books.sell(offer.product_id, "cu_hanako")
    books.sell(offer.product_id, "cu_hanako")
    assert refused(books, lambda: books.sell(offer.product_id, "cu_hanako")) == (
        "product.limit_reached"
    )


def test_an_unknown_retired_or_unsold_product_is_refused(books: Books) -> None:
    assert refused(books, lambda: books.sell("pr_nope", "cu_hanako")) == "product.not_found"
    later = books.add(
        ProductTerms(name="来月発売", face_yen=1_000, sale_starts_at=START + timedelta(days=3))
    )
    assert refused(books, lambda: books.sell(later.product_id, None)) == "product.not_on_sale"
    offer = books.add(ProductTerms(name="券", face_yen=1_000, valid_days=90))
    sold = books.sell(offer.product_id, "cu_hanako").voucher
    books.run(operations.retire_product(offer.product_id, START + timedelta(hours=1)))
    assert refused(books, lambda: books.sell(offer.product_id, "cu_hanako")) == (
        "product.not_on_sale"
    )
    with pytest.raises(KippuError) as again:
        books.run(operations.retire_product(offer.product_id, START + timedelta(hours=2)))
    assert again.value.code == "product.retired"
    kept = ledger_tables.load_voucher(books.conn, sold.voucher_id)
    assert kept is not None
    assert (kept.face_yen, kept.balance_yen, kept.expires_at) == (1_000, 1_000, sold.expires_at)
    assert refused(books, lambda: books.sell(offer.product_id, "cu_nobody")) == (
        "product.not_on_sale"
    )


def test_a_sale_to_an_unknown_customer_changes_nothing(books: Books) -> None:
    offer = books.add(ProductTerms(name="券", face_yen=1_000, stock=1))
    assert refused(books, lambda: books.sell(offer.product_id, "cu_nobody")) == (
        "customer.not_found"
    )


def counter_sale(
    books: Books, product_id: str, key: str, method: PaymentMethod = PaymentMethod.CARD
) -> operations.CounterProductSale:
    books.serial += 1
    return books.run(
        operations.sell_at_counter(
            product_id,
            STORE,
            method,
            "staff:yamada",
            SETTINGS,
            START,
            (books.number(), b"k" * 32, f"tx_{books.serial:06d}"),
            books.number,
            key,
        )
    )


def test_a_counter_sale_records_its_method_and_its_key_sells_once(books: Books) -> None:
    offer = books.add(ProductTerms(name="最後の1枚", face_yen=3_000, price_yen=2_800, stock=1))
    made = counter_sale(books, offer.product_id, "key_" + "a" * 20)
    assert (made.sale.payment_method, made.sale.store_id, made.is_repeat) == (
        PaymentMethod.CARD,
        STORE,
        False,
    )
    assert made.voucher.holder_id is None and made.product.stock == 0
    again = counter_sale(books, offer.product_id, "key_" + "a" * 20)
    assert again.is_repeat and again.voucher.voucher_id == made.voucher.voucher_id
    assert refused(books, lambda: counter_sale(books, offer.product_id, "key_" + "b" * 20)) == (
        "product.sold_out"
    )
    lines = dict(
        books.conn.execute(
            "SELECT account, amount_yen FROM postings WHERE txn_id = ?", (made.sale.txn_id,)
        ).fetchall()
    )
    assert lines[cash_account(STORE)] == 2_800 and lines[PROMOTION_ACCOUNT] == 200
    record = tables.load_sale(books.conn, made.voucher.voucher_id)
    assert record is not None and (record.channel, record.store_id) == (SaleChannel.COUNTER, STORE)
    assert books.balanced()


def test_a_counter_refuses_a_product_with_a_per_customer_limit(books: Books) -> None:
    """A counter sale has no customer to count against, so a limited product is online only."""
    one_each = books.add(ProductTerms(name="お一人様1枚", face_yen=11_000, limit_count=1, stock=5))
    capped = books.add(ProductTerms(name="上限あり", face_yen=1_000, limit_yen=5_000))
    for offer in (one_each, capped):
        assert offer.has_customer_limit
        assert refused(books, lambda o=offer: counter_sale(books, o.product_id, "k" * 20)) == (
            "product.online_only"
        )
    books.sell(one_each.product_id, "cu_hanako")  # online, to a known customer: counted
    assert refused(books, lambda: books.sell(one_each.product_id, "cu_hanako")) == (
        "product.limit_reached"
    )


def cancel(books: Books, voucher_id: str) -> None:
    books.serial += 1
    books.run(
        operations.cancel_sale(
            voucher_id, STORE, "staff:yamada", SETTINGS, START, f"tx_{books.serial:06d}"
        )
    )


def summary(books: Books, product_id: str) -> tuple[int, int, int | None]:
    """(sold, sold_yen, stock) as the console and the API read them (queries.SUMMARY)."""
    row = books.conn.execute(
        f"{queries.SUMMARY} WHERE p.product_id = ? GROUP BY p.product_id", (product_id,)
    ).fetchone()
    return row["sold"], row["sold_yen"], row["stock"]


def test_a_cancelled_counter_sale_gives_its_stock_back_and_is_not_counted(books: Books) -> None:
    offer = books.add(ProductTerms(name="在庫2枚", face_yen=3_000, price_yen=2_800, stock=2))
    free = books.add(ProductTerms(name="在庫なし", face_yen=1_000))
    first = counter_sale(books, offer.product_id, "key_" + "a" * 20)
    second = counter_sale(books, offer.product_id, "key_" + "b" * 20)
    assert summary(books, offer.product_id) == (2, 5_600, 0)
    cancel(books, first.voucher.voucher_id)
    assert summary(books, offer.product_id) == (1, 2_800, 1)
    third = counter_sale(books, offer.product_id, "key_" + "c" * 20)  # the one given back
    assert third.product.stock == 0
    assert refused(books, lambda: cancel(books, first.voucher.voucher_id)) == (
        "sale.already_cancelled"
    )
    sold_free = counter_sale(books, free.product_id, "key_" + "d" * 20)
    cancel(books, sold_free.voucher.voucher_id)
    assert summary(books, free.product_id) == (0, 0, None)  # no stock: none to give back
    assert second.voucher.voucher_id != third.voucher.voucher_id and books.balanced()
