"""A member's own reads go straight to their rows: the wallet's orders use the orders' member index
(not a scan of every order behind `(? IS NULL OR …)`), head office's list by status its status
index, and the wallet's lottery page reads only that member's winning tickets, which are exactly
theirs among the draw's winners."""

from __future__ import annotations

import sqlite3
from typing import Any

from node.home import NodeHome
from node.points import actions, lottery_actions
from node.points.actions import ADMIN
from node.points.exchange_queries import MEMBER_ORDERS, ORDERS_OF_STATUS
from tests.conftest import FakeClock
from tests.points_helpers import points_node
from tests.test_points_lottery import lottery_body


def _plan(sql: str, params: tuple[object, ...]) -> Any:
    def work(conn: sqlite3.Connection) -> str:
        rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        return " | ".join(str(tuple(r)[-1]) for r in rows)

    return work


async def test_member_and_status_order_lists_use_their_indexes(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        writer = p.node.require_writer()
        member_plan = await writer.submit(_plan(MEMBER_ORDERS, ("cu_x", 200)))
        assert "exchange_orders_member" in member_plan, member_plan
        status_plan = await writer.submit(_plan(ORDERS_OF_STATUS, ("ordered", 200)))
        assert "exchange_orders_open" in status_plan, status_plan


async def test_each_member_sees_exactly_their_own_wins(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        status, lottery = await p.admin("POST", "points/lotteries", lottery_body(clock))
        assert status == 201, lottery
        url = f"points/lotteries/{lottery['lottery_id']}"
        members = [await p.member(f"会員{i}") for i in range(4)]
        for member in members:
            await actions.adjust(p.node, member.member_no, 200, "付与", ADMIN)
        clock.advance(hours=2)
        for member in members:
            for _ in range(2):
                status, entered = await p.admin(
                    "POST", f"{url}/entries", {"member_no": member.member_no}
                )
                assert status == 201, entered
        clock.advance(days=7)
        assert (await p.admin("POST", f"{url}/close"))[0] == 200
        status, drawn = await p.admin("POST", f"{url}/draw")
        assert status == 200, drawn
        everyone = {(w["member_no"], w["ticket"]) for w in drawn["winners"]}  # type: ignore[union-attr,index]
        seen = set()
        for member in members:
            view = await lottery_actions.member_view(
                p.node, str(lottery["lottery_id"]), member.customer_id
            )
            mine = {t["ticket"] for t in view["my_tickets"]}
            assert {w["ticket"] for w in view["my_wins"]} <= mine
            seen |= {(member.member_no, w["ticket"]) for w in view["my_wins"]}
        assert seen == everyone and len(everyone) == 5
