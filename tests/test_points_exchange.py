"""The exchange catalogue on a running node (node/points/exchange_*.py): an order takes the
points soonest-expiry-first and one of the stock in one writer unit; a refusal changes nothing;
head office ships or cancels once; a cancel gives the points back to the lots they came from (a
lot swept as expired meanwhile gives its share to breakage); the books balance throughout; 50
parallel orders for a stock of 10 through the API sell exactly 10."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from node.errors import (
    ExchangeItemNotFound,
    ExchangeOrderClosed,
    ExchangeSoldOut,
    InsufficientPoints,
    InvalidPoints,
)
from node.home import NodeHome
from node.points import actions, exchange_actions, operations, tables
from node.points import books as points_books
from node.points.actions import ADMIN
from node.points.exchange_model import ItemTerms
from node.points.model import BREAKAGE_ACCOUNT, EXCHANGE_ACCOUNT, member_account
from node.runtime import Node
from tests.conftest import FakeClock
from tests.points_helpers import PointsNode, points_node

ADDRESS: dict[str, object] = {
    "ship_name": "山田 花子",
    "ship_postcode": "１５００００１",
    "ship_address": "東京都渋谷区神宮前1-2-3",
}


async def books(node: Node) -> tuple[dict[str, int], dict[str, int]]:
    """(each account's sum, each member's lot remainders), read in the writer's transaction."""

    def read(conn: Any) -> tuple[dict[str, int], dict[str, int]]:
        return tables.account_sums(conn), tables.lot_remainders(conn)

    return await node.require_writer().submit(read)


async def assert_books_balance(node: Node) -> dict[str, int]:
    assert await points_books.problems(node.require_reader()) == []
    sums, lots = await books(node)
    assert sum(sums.values()) == 0, sums
    for customer_id, remaining in lots.items():
        assert -sums.get(member_account(customer_id), 0) == remaining, (customer_id, sums)
    return sums


async def _item(node: Node, points: int, stock: int | None, name: str = "タオル") -> str:
    added = await exchange_actions.add_item(node, ItemTerms(name, points, stock, ""), "admin")
    return str(added["item_id"])


async def test_an_order_takes_the_soonest_expiring_points_and_a_cancel_gives_them_back(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        member = await p.member()
        await actions.adjust(p.node, member.member_no, 350, "来店特典", ADMIN)
        clock.advance(days=30)
        await actions.adjust(p.node, member.member_no, 500, "誕生日", ADMIN)
        item_id = await _item(p.node, 300, 2)
        placed = await exchange_actions.order_for_customer(
            p.node, member.customer_id, item_id, ADDRESS
        )
        assert (placed["points"], placed["balance"], placed["status"]) == (300, 550, "ordered")
        assert placed["ship_postcode"] == "150-0001"  # full-width digits kept as 150-0001
        balance = await actions.balance_answer(p.node, member)
        assert [lot["remaining"] for lot in balance["lots"]] == [50, 500]  # the older lot first
        assert (await exchange_actions.show_item(p.node, item_id))["stock"] == 1

        # The older lot expires and its 50 are swept; the cancel gives its 300 to breakage.
        clock.advance(days=340)
        await p.node.require_writer().submit(
            lambda conn: operations.expire_due(conn, clock.now(), p.node.rng)
        )
        cancelled = await exchange_actions.cancel(p.node, str(placed["order_id"]), "admin")
        assert cancelled["status"] == "cancelled" and cancelled["cancel_entry_id"]
        assert (await actions.balance_answer(p.node, member))["balance"] == 500
        assert (await exchange_actions.show_item(p.node, item_id))["stock"] == 2
        sums = await assert_books_balance(p.node)
        assert sums[EXCHANGE_ACCOUNT] == 0 and sums[BREAKAGE_ACCOUNT] == -350

        # A live lot gets its points back, with its own expiry.
        second = await exchange_actions.order_for_customer(
            p.node, member.customer_id, item_id, ADDRESS
        )
        assert second["balance"] == 200
        await exchange_actions.cancel(p.node, str(second["order_id"]), "admin")
        after = await actions.balance_answer(p.node, member)
        assert [lot["remaining"] for lot in after["lots"]] == [500]
        assert after["lots"] == balance["lots"][1:]
        await assert_books_balance(p.node)
        with pytest.raises(ExchangeOrderClosed):
            await exchange_actions.ship(p.node, str(placed["order_id"]), "admin")


async def test_refusals_change_nothing(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        member = await p.member()
        await actions.adjust(p.node, member.member_no, 100, "付与", ADMIN)
        costly, last_one = await _item(p.node, 101, 5), await _item(p.node, 60, 1)
        with pytest.raises(InsufficientPoints):
            await exchange_actions.order_for_customer(p.node, member.customer_id, costly, ADDRESS)
        assert (await exchange_actions.show_item(p.node, costly))["stock"] == 5
        with pytest.raises(InvalidPoints) as bad:
            await exchange_actions.order_for_customer(
                p.node, member.customer_id, last_one, {**ADDRESS, "ship_postcode": "15-001"}
            )
        assert bad.value.details["field"] == "ship_postcode"
        first = await exchange_actions.order_for_customer(
            p.node, member.customer_id, last_one, ADDRESS
        )
        with pytest.raises(ExchangeSoldOut):
            await exchange_actions.order_for_customer(p.node, member.customer_id, last_one, ADDRESS)
        assert (await actions.balance_answer(p.node, member))["balance"] == 40
        shipped = await exchange_actions.ship(p.node, str(first["order_id"]), "admin")
        assert shipped["status"] == "shipped" and shipped["closed_at"]
        for again in (exchange_actions.ship, exchange_actions.cancel):
            with pytest.raises(ExchangeOrderClosed):
                await again(p.node, str(first["order_id"]), "admin")
        retired = await exchange_actions.retire_item(p.node, costly)
        assert retired["retired_at"] and not retired["on_offer"]
        with pytest.raises(ExchangeItemNotFound):
            await exchange_actions.order_for_customer(p.node, member.customer_id, costly, ADDRESS)
        with pytest.raises(InvalidPoints) as unnamed:
            await exchange_actions.add_item(p.node, ItemTerms("  ", 10, None, ""), "admin")
        assert unnamed.value.details["field"] == "name"
        listed = await exchange_actions.list_items(p.node, on_offer_only=True)
        assert listed["items"] == []  # one retired, one sold out
        await assert_books_balance(p.node)


async def _funded_members(p: PointsNode, count: int, points: int) -> list[str]:
    numbers = []
    for i in range(count):
        member = await p.member(f"会員{i}")
        await actions.adjust(p.node, member.member_no, points, "付与", ADMIN)
        numbers.append(member.member_no)
    return numbers


async def test_fifty_parallel_orders_for_ten_in_stock_sell_exactly_ten(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        numbers = await _funded_members(p, 50, 1_000)
        status, item = await p.admin(
            "POST", "points/exchange/items", {"name": "限定マグ", "points": 700, "stock": 10}
        )
        assert status == 201, item

        async def order(member_no: str) -> tuple[int, dict[str, object]]:
            body = {"member_no": member_no, "item_id": item["item_id"], **ADDRESS}
            return await p.admin("POST", "points/exchange/orders", body)

        answers = await asyncio.gather(*(order(n) for n in numbers))
        assert sorted(s for s, _ in answers) == [201] * 10 + [409] * 40
        refused = {str(a["error"]["code"]) for s, a in answers if s == 409}  # type: ignore[index]
        assert refused == {"points.exchange_sold_out"}
        status, shown = await p.admin("GET", "points/exchange/items")
        assert shown["items"][0]["stock"] == 0  # type: ignore[index]
        status, orders = await p.admin("GET", "points/exchange/orders?status=ordered")
        assert len(orders["orders"]) == 10  # type: ignore[arg-type]
        sums = await assert_books_balance(p.node)
        assert sums[EXCHANGE_ACCOUNT] == -7_000
        balances = [
            (await actions.balance_answer(p.node, await actions.member_by_number(p.node, n)))[
                "balance"
            ]
            for n in numbers
        ]
        assert sorted(balances) == [300] * 10 + [1_000] * 40


async def test_a_repeated_transaction_id_orders_once(home: NodeHome, clock: FakeClock) -> None:
    """An EC site's retry (the same `txn` and order) answers the first order; the same `txn`
    for another order is refused; neither takes points or stock again."""
    async with points_node(home, clock) as p:
        (member_no,) = await _funded_members(p, 1, 1_000)
        status, item = await p.admin(
            "POST", "points/exchange/items", {"name": "マグ", "points": 300, "stock": 5}
        )
        body = {"member_no": member_no, "item_id": item["item_id"], "txn": "ec-1", **ADDRESS}
        status, first = await p.admin("POST", "points/exchange/orders", body)
        assert status == 201 and first["replayed"] is False
        status, again = await p.admin("POST", "points/exchange/orders", body)
        assert status == 201 and again == {**first, "replayed": True}
        other = {**body, "ship_address": "大阪府大阪市北区1-1"}
        status, refused = await p.admin("POST", "points/exchange/orders", other)
        assert (status, refused["error"]["code"]) == (409, "points.txn_conflict")  # type: ignore[index]
        status, shown = await p.admin("GET", "points/exchange/items")
        assert shown["items"][0]["stock"] == 4  # type: ignore[index]
        status, orders = await p.admin("GET", "points/exchange/orders")
        assert len(orders["orders"]) == 1  # type: ignore[arg-type]
        await assert_books_balance(p.node)


async def test_a_cancelled_order_settles_a_returned_purchases_shortfall(
    home: NodeHome, clock: FakeClock
) -> None:
    """Earn 100, exchange them, return the purchase (its 100 are gone: a shortfall), then head
    office cancels the order: the 100 come back and settle the shortfall at once, so the member
    keeps no points of goods they returned."""
    async with points_node(home, clock) as p:
        member = await p.member()
        await actions.earn(p.node, member.member_no, 10_000, "sf-1", ADMIN)
        placed = await exchange_actions.order_for_customer(
            p.node, member.customer_id, await _item(p.node, 100, None), ADDRESS
        )
        returned = await actions.return_txn(p.node, "sf-1", ADMIN)
        assert (returned["points_taken_back"], returned["shortfall"]) == (0, 100)
        await exchange_actions.cancel(p.node, str(placed["order_id"]), "admin")
        assert (await actions.balance_answer(p.node, member))["balance"] == 0
        await actions.earn(p.node, member.member_no, 5_000, "sf-2", ADMIN)
        code = actions.card_code(p.node, member)
        await actions.use(p.node, str(code["payload"]), 50, "sf-3", ADMIN)
        back = await actions.return_txn(p.node, "sf-3", ADMIN)  # nothing left open to settle
        assert back["balance"] == 50
        await assert_books_balance(p.node)
