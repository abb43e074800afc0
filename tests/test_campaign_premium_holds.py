"""Premium sets held while a card is charged, on a real SQLite database with the node's schema,
driven through the campaigns' own writer units as the card flow calls them (hold in the start
unit, grant from the hold in the settle unit, release on a decline) with the office's counter
grants mixed in and time passing (a hypothesis property): the stock and every person's limit
hold with the live holds counted, a set paid while its hold is live is always granted (nobody
pays for a set that cannot be granted), a lapsed hold is back in stock, and the books balance.
And migration 0041 on a node that already has card payments."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node import db
from node.campaigns import core, hold_tables, holds, operations, tables
from node.campaigns.model import Hold
from node.errors import KippuError
from node.ledger import operations as ledger_operations
from node.ledger.fresh import NewVoucher
from node.ledger.model import psp_account
from node.migrations import MIGRATIONS
from node.payments.model import ABANDONED_AFTER_S
from node.products import core as product_core
from node.products import operations as product_operations
from node.products.core import ProductTerms
from tests.conftest import START
from tests.test_product_sales import CUSTOMERS, SETTINGS, Books

STOCK, PER_PERSON = 3, 2
Step = tuple[str, int]
STEPS = st.lists(
    st.tuples(st.sampled_from(["hold", "pay", "decline", "counter", "lapse"]), st.integers(0, 5)),
    max_size=25,
)


@dataclass
class Sale:
    """One database with one premium campaign, and the holds whose cards are being charged."""

    books: Books
    campaign_id: str = "cp_premium"
    now: datetime = START
    serial: int = 0
    pending: list[Hold] = field(default_factory=list)

    def ids(self) -> tuple[str, list[NewVoucher]]:
        self.serial += 1
        vouchers = [
            NewVoucher(self.books.number(), b"k" * 32, f"tx_{self.serial}_{i}") for i in range(2)
        ]
        return f"gr_{self.serial}", vouchers

    def request(self, customer: str, hold_id: str | None) -> operations.GrantRequest:
        grant_id, vouchers = self.ids()
        return operations.GrantRequest(
            self.campaign_id,
            customer,
            f"customer:{customer}",
            grant_id,
            vouchers,
            paid_into=psp_account("stripe") if hold_id else None,
            hold_id=hold_id,
        )

    def step(self, kind: str, pick: int) -> None:
        customer = CUSTOMERS[pick % len(CUSTOMERS)]
        if kind == "lapse":
            self.now += timedelta(seconds=ABANDONED_AFTER_S)
        elif kind == "counter":
            request = self.request(customer, None)
            self._try(
                lambda c: operations.grant_in(c, request, SETTINGS, self.now, self.books.number)
            )
        elif kind == "hold":
            self.serial += 1
            campaign = self.books.run(lambda c: tables.load_campaign(c, self.campaign_id))
            assert campaign is not None
            expires = self.now + timedelta(seconds=ABANDONED_AFTER_S)
            hold = holds.new_hold(campaign, customer, f"cp_{self.serial}", self.now, expires)
            if self._try(lambda c: holds.hold_in(c, hold)):
                self.pending.append(hold)
        elif self.pending:
            hold = self.pending.pop(pick % len(self.pending))
            if kind == "pay":
                self._pay(hold)
            else:
                self.books.run(lambda c: holds.release_in(c, hold.hold_id, self.now))

    def _pay(self, hold: Hold) -> None:
        """As the settle unit: granted, or (refused) released and the payment refunded."""
        request = self.request(hold.customer_id, hold.hold_id)
        paid = self._try(
            lambda c: holds.grant_held_in(c, request, SETTINGS, self.now, self.books.number)
        )
        if not paid:
            self.books.run(lambda c: holds.release_in(c, hold.hold_id, self.now))
        assert paid or not hold.is_live_at(self.now), "a live hold, paid, was not granted"

    def _try(self, work: object) -> bool:
        try:
            self.books.run(work)  # type: ignore[arg-type]
        except KippuError:
            return False
        return True

    def check(self) -> None:
        conn = self.books.conn
        campaign = tables.load_campaign(conn, self.campaign_id)
        assert campaign is not None
        live_sets, _ = hold_tables.live_holds(conn, self.campaign_id, self.now, None)
        assert campaign.granted_sets + live_sets <= STOCK
        for customer in CUSTOMERS:
            granted = tables.grants_of_person(conn, self.campaign_id, customer)
            held = hold_tables.live_holds_of_person(
                conn, self.campaign_id, customer, self.now, None
            )
            assert granted + held <= PER_PERSON
        assert self.books.balanced()


def _campaign(books: Books) -> None:
    terms = core.NewTerms(
        kind="premium",
        name="プレミアム商品券",
        face_yen=12_000,
        price_yen=10_000,
        local_yen=2_000,
        stock=STOCK,
        per_person=PER_PERSON,
        starts_at=START - timedelta(hours=1),
        ends_at=START + timedelta(days=30),
    )
    books.run(operations.create(core.new_campaign("cp_premium", terms, START, "admin")))


@settings(max_examples=40, deadline=None)
@given(steps=STEPS)
def test_holds_and_grants_never_pass_the_stock_or_a_limit(steps: list[Step]) -> None:
    directory = Path(tempfile.mkdtemp(prefix="kippu-premium-"))
    books = Books(directory)
    try:
        _campaign(books)
        sale = Sale(books)
        for kind, pick in steps:
            sale.step(kind, pick)
            sale.check()
    finally:
        books.conn.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_migration_0041_keeps_the_shops_payments_and_their_guards(tmp_path: Path) -> None:
    """A node upgraded with card payments already recorded keeps them as they were, and the
    rebuilt table keeps 0021's guards (a voucher set once) and gains its own (one thing bought)."""
    at = next(i for i, (name, _) in enumerate(MIGRATIONS) if name.startswith("0041"))
    conn = db.connect(tmp_path / "node.db")
    db.migrate(conn, MIGRATIONS[:at])
    conn.execute("BEGIN")
    ledger_operations.add_customer("cu_1", "花子", "h@ex.jp", START)(conn)
    product = product_core.new_product(ProductTerms("商品券", 1000, 900), "pr_1", START, 100_000)
    product_operations.add_product(product)(conn)
    conn.execute(
        "INSERT INTO card_payments (payment_id, intent_id, customer_id, product_id, amount_yen,"
        " face_yen, status, voucher_id, created_at, updated_at, attention)"
        " VALUES ('cp_1', 'pi_1', 'cu_1', 'pr_1', 900, 1000, 'issued', 'v1', 1, 2, 'x')"
    )
    conn.execute("COMMIT")
    db.migrate(conn, MIGRATIONS)
    row = conn.execute("SELECT * FROM card_payments").fetchone()
    assert (row["payment_id"], row["product_id"], row["campaign_id"], row["attention"]) == (
        "cp_1",
        "pr_1",
        None,
        "x",
    )
    with pytest.raises(sqlite3.IntegrityError, match="issues its voucher once"):
        conn.execute("UPDATE card_payments SET voucher_id = 'v2'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO card_payments (payment_id, customer_id, amount_yen, face_yen, status,"
            " created_at, updated_at) VALUES ('cp_2', 'cu_1', 900, 1000, 'pending', 1, 1)"
        )
    conn.close()
