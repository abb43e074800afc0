"""The points report (node/points/report*.py) over a real node: the roll-forward from what
members held at the start, through each kind of entry, to what they hold at the end, balances;
points past their expiry count until the sweep moves them; bad days are refused."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from cli import main
from node.home import NodeHome
from node.points import actions, operations
from node.points.actions import ADMIN, Caller
from node.points.items import SoldLine, analyse, regulars_of
from node.points.report import build
from tests.conftest import FakeClock, NodeHandle
from tests.points_helpers import points_node

POS = Caller("key:ak_test")


def test_the_report_rolls_forward_and_rates_non_use() -> None:
    report = build(
        date(2027, 1, 1),
        date(2027, 1, 31),
        100,
        {"earn": 50, "use": -30, "expire": -20},
        100,
        2,
        {"earn": 500, "use": -300, "use_return": 20, "expire": -70},
    )
    assert report.balanced and report.closing_yen == 200
    assert (report.lapsed_12m, report.spent_12m) == (70, 280)
    assert report.non_use_rate == 70 / 350
    unbalanced = build(date(2027, 1, 1), date(2027, 1, 31), 0, {"earn": 5}, 4, 1, {})
    assert not unbalanced.balanced and unbalanced.non_use_rate is None


async def test_the_report_of_a_running_node(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        await actions.earn(p.node, member.member_no, 10_000, "r1", POS, store)
        code = actions.card_code(p.node, member)
        await actions.use(p.node, str(code["payload"]), 30, "r2", POS, store)
        await actions.adjust(p.node, member.member_no, -10, "訂正", ADMIN)
        status, first = await p.admin("GET", "points/report")
        assert status == 200, first
        assert first["opening_points"] == 0 and first["closing_points"] == 60
        assert first["changes"]["earn"] == 100 and first["changes"]["use"] == -30
        assert first["balanced"] is True

        clock.advance(days=400)  # past the lot's expiry: held until swept
        today = clock.now().astimezone(p.node.config.zone).date().isoformat()
        status, later = await p.admin("GET", f"points/report?from={today}&to={today}")
        assert (later["opening_points"], later["closing_points"]) == (60, 60)
        await p.node.require_writer().submit(
            lambda conn: operations.expire_due(conn, clock.now(), p.node.rng)
        )
        status, swept = await p.admin("GET", f"points/report?from={today}&to={today}")
        assert swept["changes"]["expire"] == -60 and swept["closing_points"] == 0
        assert swept["balanced"] is True and swept["non_use_rate_12m"] == 1.0

        status, refused = await p.admin("GET", "points/report?from=2027-02-30")
        assert status == 422 and refused["error"]["code"] == "request.invalid_date"
        for query, field in (
            ("from=9999-12-01&to=9999-12-31", "from"),
            ("from=2027-01-01&to=9999-12-31", "to"),
            ("from=0001-01-01&to=0001-01-31", "from"),
            ("from=1999-12-31", "from"),
        ):
            status, refused = await p.admin("GET", f"points/report?{query}")
            assert (status, refused["error"]["code"]) == (422, "request.invalid_date"), refused
            assert refused["error"]["field"] == field  # type: ignore[index]
        status, backwards = await p.admin("GET", "points/report?from=2027-02-02&to=2027-02-01")
        assert status == 422 and backwards["error"]["field"] == "to"


def test_the_regulars_carry_an_item_that_sells_little() -> None:
    spend = {f"c{i}": 1000 for i in range(1, 10)} | {"c0": 50_000}
    lines = [SoldLine(f"c{i}", "MILK", "牛乳", 3, 600) for i in range(1, 10)]
    lines += [SoldLine("c0", "TEA", "抹茶", 2, 1200), SoldLine("c1", "TEA", "抹茶", 1, 600)]
    lines += [SoldLine("c0", "MILK", "牛乳", 1, 200)]
    report = analyse(lines, spend)
    assert (report.members, report.regulars) == (10, 2)  # c0 and c1 (tie broken by id)
    milk, tea = report.items
    assert (milk.sku, milk.quantity, milk.buyers) == ("MILK", 28, 10)
    assert (tea.quantity, tea.regular_quantity, tea.carried_by_regulars) == (3, 3, True)
    assert not milk.carried_by_regulars
    assert analyse([], {}).items == () and regulars_of({}) == frozenset()


async def test_the_items_report_reads_lines_and_leaves_out_returns(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        regular, occasional = await p.member("常連"), await p.member("たまに")
        tea = [{"sku": "TEA-1", "name": "抹茶", "quantity": 2, "amount_yen": 1200}]
        milk = [{"sku": "MILK", "name": "牛乳", "quantity": 1, "amount_yen": 200}]
        await actions.earn(p.node, regular.member_no, 20_000, "i1", POS, None, tea + milk)
        await actions.earn(p.node, occasional.member_no, 200, "i2", POS, None, milk)
        await actions.earn(p.node, occasional.member_no, 9_000, "i3", POS, None, tea)
        await actions.return_txn(p.node, "i3", POS)
        status, shown = await p.admin("GET", "points/items")
        assert status == 200, shown
        assert (shown["members"], shown["regulars"]) == (2, 1)
        rows = {row["sku"]: row for row in shown["items"]}
        assert rows["TEA-1"]["quantity"] == 2 and rows["TEA-1"]["regular_share"] == 1.0
        assert rows["MILK"]["buyers"] == 2


def test_the_report_commands(node: NodeHandle) -> None:
    customer = node.client.post("customers", {"name": "山田花子"})
    member = node.client.post(f"customers/{customer['customer_id']}/member")
    line = {"sku": "TEA", "name": "抹茶", "quantity": 1, "amount_yen": 1000}
    node.client.post(
        "points/earn",
        {"member": member["member_no"], "purchase_yen": 1000, "txn": "c1", "lines": [line]},
    )
    shown = CliRunner().invoke(main, ["points", "report", "--home", str(node.home.root)])
    assert shown.exit_code == 0, shown.output
    assert "closing_points: 10" in shown.output and "earn: +10" in shown.output
    items = CliRunner().invoke(main, ["points", "items", "--json", "--home", str(node.home.root)])
    assert json.loads(items.stdout)["items"][0]["sku"] == "TEA"
    refused = CliRunner().invoke(
        main, ["points", "report", "--from", "2027-13-01", "--home", str(node.home.root)]
    )
    assert refused.exit_code == 1 and "request.invalid_date" in refused.stderr
