"""A hypothesis state machine over the exchange and lottery writer units on one SQLite database
in memory (the real schema, every migration; the writer's one-savepoint-per-unit emulated, so a
refused unit leaves nothing): members credited, orders placed, shipped and cancelled, lottery
entries and the lottery's cancel, time passing with the expiry sweep. After every step the books
balance, each member's lots hold what the books owe them, the stock and the exchange and lottery
accounts agree with the orders and tickets, and no refusal changed anything."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from node.db import migrate
from node.errors import KippuError
from node.ledger import operations as ledger_operations
from node.migrations import MIGRATIONS
from node.points import exchange_operations, exchange_tables, lottery_operations, operations, tables
from node.points.exchange_core import shipping
from node.points.exchange_model import ExchangeItem, OrderStatus
from node.points.lottery_model import LotteryTerms, Prize
from node.points.model import EXCHANGE_ACCOUNT, LOTTERY_ACCOUNT, member_account
from tests.conftest import SeededRandomness

ZONE = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
ADDRESS = shipping("山田 花子", "150-0001", "東京都渋谷区神宮前1-2-3")
STOCKS = (3, None)
T = TypeVar("T")


def _template() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, MIGRATIONS)
    return conn


TEMPLATE = _template()


class ExchangeAndLottery(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.conn = sqlite3.connect(":memory:", isolation_level=None)
        TEMPLATE.backup(self.conn)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.now = START
        self.rng = SeededRandomness()
        self.orders: list[str] = []
        self.refused = 0

    def unit(self, work: Callable[[sqlite3.Connection], T]) -> T | None:
        """One writer unit: committed whole, or (a refusal) rolled back whole."""
        before = self.snapshot()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("SAVEPOINT unit")
        try:
            done = work(self.conn)
        except KippuError:
            self.conn.execute("ROLLBACK TO unit")
            self.conn.execute("COMMIT")
            assert self.snapshot() == before, "a refusal changed something"
            self.refused += 1
            return None
        self.conn.execute("RELEASE unit")
        self.conn.execute("COMMIT")
        return done

    def snapshot(self) -> tuple[Any, ...]:
        return (
            tables.account_sums(self.conn),
            tables.lot_remainders(self.conn),
            [tuple(r) for r in self.conn.execute("SELECT item_id, stock FROM exchange_items")],
            self.conn.execute("SELECT count(*) FROM exchange_orders").fetchone()[0],
            self.conn.execute("SELECT count(*) FROM lottery_tickets").fetchone()[0],
        )

    @initialize()
    def set_up(self) -> None:
        now = self.now
        self.members = []
        for i in range(3):
            customer_id = f"cu_{i}"
            ledger_operations.add_customer(customer_id, f"会員{i}", None, now)(self.conn)
            member = operations.ensure_member(self.conn, customer_id, now, self.rng)
            operations.adjust(self.conn, member, 1_000, "開始", "admin", now, ZONE, self.rng)
            self.members.append(member)
        self.items = []
        for i, stock in enumerate(STOCKS):
            made = exchange_operations.add_item(
                self.conn,
                _item(f"xi_{i}", 150 + 100 * i, stock, now),
            )
            self.items.append(made.item_id)
        terms = LotteryTerms(
            "抽選", 120, 2, now, now + timedelta(days=200), 10_000_000, (Prize("券", 2_000, 2),)
        )
        lottery_operations.add_lottery(self.conn, terms, "lo_1", bytes(32), "admin", now)

    @rule(who=st.integers(0, 2), points=st.integers(100, 1_000))
    def credit(self, who: int, points: int) -> None:
        member = self.members[who]
        self.unit(
            lambda conn: operations.adjust(
                conn, member, points, "付与", "admin", self.now, ZONE, self.rng
            )
        )

    @rule(who=st.integers(0, 2), which=st.integers(0, 1))
    def order(self, who: int, which: int) -> None:
        member, item_id = self.members[who], self.items[which]
        made = self.unit(
            lambda conn: exchange_operations.order(
                conn, member, item_id, ADDRESS, "test", self.now, self.rng
            )
        )
        if made is not None:
            self.orders.append(made.order_id)

    @rule(pick=st.integers(0, 50), ship=st.booleans())
    def close_order(self, pick: int, ship: bool) -> None:
        if not self.orders:
            return
        order_id = self.orders[pick % len(self.orders)]
        if ship:
            self.unit(lambda conn: exchange_operations.ship(conn, order_id, "admin", self.now))
        else:
            self.unit(
                lambda conn: exchange_operations.cancel(conn, order_id, "admin", self.now, self.rng)
            )

    @rule(who=st.integers(0, 2))
    def enter(self, who: int) -> None:
        member = self.members[who]
        self.unit(
            lambda conn: lottery_operations.enter(conn, member, "lo_1", "test", self.now, self.rng)
        )

    @rule(chance=st.integers(0, 4))
    def cancel_lottery(self, chance: int) -> None:
        if chance:  # one draw in five: a lottery called off early leaves little to enter
            return
        self.unit(lambda conn: lottery_operations.cancel(conn, "lo_1", "admin", self.now, self.rng))

    @rule(days=st.integers(1, 90))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)
        self.unit(lambda conn: operations.expire_due(conn, self.now, self.rng))

    @invariant()
    def books_balance(self) -> None:
        sums = tables.account_sums(self.conn)
        assert sum(sums.values()) == 0, sums
        for customer_id, remaining in tables.lot_remainders(self.conn).items():
            assert -sums.get(member_account(customer_id), 0) == remaining

    @invariant()
    def orders_stock_and_accounts_agree(self) -> None:
        sums = tables.account_sums(self.conn)
        held = self.conn.execute(
            "SELECT coalesce(sum(points), 0) AS p FROM exchange_orders WHERE status != ?",
            (str(OrderStatus.CANCELLED),),
        ).fetchone()["p"]
        assert -sums.get(EXCHANGE_ACCOUNT, 0) == held
        for item_id, stock in zip(self.items, STOCKS, strict=True):
            taken = self.conn.execute(
                "SELECT count(*) AS n FROM exchange_orders WHERE item_id = ? AND status != ?",
                (item_id, str(OrderStatus.CANCELLED)),
            ).fetchone()["n"]
            left = exchange_tables.load_item(self.conn, item_id)
            assert left is not None
            assert left.stock == (None if stock is None else stock - taken)
        tickets = self.conn.execute(
            "SELECT count(*) AS n FROM lottery_tickets WHERE refund_entry_id IS NULL"
        ).fetchone()["n"]
        assert -sums.get(LOTTERY_ACCOUNT, 0) == 120 * tickets
        capped = self.conn.execute(
            "SELECT max(n) AS m FROM (SELECT count(*) AS n FROM lottery_tickets GROUP BY customer_id)"
        ).fetchone()["m"]
        assert capped is None or capped <= 2

    def teardown(self) -> None:
        self.conn.close()


def _item(item_id: str, points: int, stock: int | None, now: datetime) -> ExchangeItem:
    return ExchangeItem(item_id, f"商品{item_id}", points, stock, "", now, "admin", None)


ExchangeAndLottery.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None
)
TestExchangeAndLottery = ExchangeAndLottery.TestCase
