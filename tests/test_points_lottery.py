"""Point lotteries on a running node (node/points/lottery_*.py) through the admin API: set-up
refused over the 景品表示法 limits, entries only in the period and up to the per-member cap,
the entries' hash published at the close before the seed, the draw recorded once and its file
recomputed offline by `kippu points verify-draw` (a tampered file exits 1 naming what
differs); a cancelled lottery refunds every entry; the books balance throughout."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli import main
from node.clock import iso
from node.home import NodeHome
from node.points import actions
from node.points.actions import ADMIN
from node.points.lottery_draw import commitment_of, entries_hash
from node.points.model import LOTTERY_ACCOUNT
from tests.conftest import FakeClock
from tests.points_helpers import PointsNode, points_node
from tests.test_points_exchange import assert_books_balance


def lottery_body(clock: FakeClock, **changes: Any) -> dict[str, Any]:
    now = clock.now()
    return {
        "name": "春のポイント抽選",
        "entry_points": 100,  # ¥100 a entry: a prize at most ¥2,000
        "max_entries": 2,
        "opens_at": iso(now + timedelta(hours=1)),
        "closes_at": iso(now + timedelta(days=7)),
        "related_sales_yen": 1_000_000,  # all prizes at most ¥20,000
        "prizes": [
            {"name": "お米券", "value_yen": 2_000, "count": 2},
            {"name": "クオカード", "value_yen": 500, "count": 3},
        ],
    } | changes


async def _member_with(p: PointsNode, name: str, points: int) -> str:
    member = await p.member(name)
    await actions.adjust(p.node, member.member_no, points, "付与", ADMIN)
    return member.member_no


def verify(path: Path) -> Any:
    return CliRunner().invoke(main, ["points", "verify-draw", str(path)], catch_exceptions=False)


async def test_a_lottery_from_set_up_to_a_draw_anyone_recomputes(
    home: NodeHome, clock: FakeClock, tmp_path: Path
) -> None:
    async with points_node(home, clock) as p:
        over = lottery_body(clock, prizes=[{"name": "旅行券", "value_yen": 2_001, "count": 1}])
        status, refused = await p.admin("POST", "points/lotteries", over)
        assert (status, refused["error"]["code"]) == (422, "points.prize_limit")  # type: ignore[index]
        assert refused["error"]["limit_yen"] == 2_000  # type: ignore[index]
        total = lottery_body(clock, related_sales_yen=200_000)  # 2 % = ¥4,000 < ¥5,500
        status, refused = await p.admin("POST", "points/lotteries", total)
        assert refused["error"]["field"] == "related_sales_yen"  # type: ignore[index]
        status, lottery = await p.admin("POST", "points/lotteries", lottery_body(clock))
        assert status == 201 and lottery["state"] == "scheduled" and lottery["seed"] is None
        url = f"points/lotteries/{lottery['lottery_id']}"

        members = [await _member_with(p, f"会員{i}", 250) for i in range(6)]
        status, early = await p.admin("POST", f"{url}/entries", {"member_no": members[0]})
        assert (status, early["error"]["code"]) == (409, "points.lottery_not_open")  # type: ignore[index]
        clock.advance(hours=2)
        tickets = []
        for member_no in members:
            for _ in range(2):
                status, entered = await p.admin("POST", f"{url}/entries", {"member_no": member_no})
                assert status == 201, entered
                tickets.append(entered["ticket"])
        assert entered["balance"] == 50 and entered["seq"] == 12
        status, capped = await p.admin("POST", f"{url}/entries", {"member_no": members[0]})
        assert capped["error"]["code"] == "points.lottery_entry_limit"  # type: ignore[index]
        status, early = await p.admin("POST", f"{url}/close")
        assert early["error"]["code"] == "points.lottery_not_closed"  # type: ignore[index]

        clock.advance(days=7)
        status, late = await p.admin("POST", f"{url}/entries", {"member_no": members[1]})
        assert late["error"]["code"] == "points.lottery_not_open"  # type: ignore[index]
        status, draw_early = await p.admin("POST", f"{url}/draw")
        assert draw_early["error"]["code"] == "points.lottery_not_closed"  # type: ignore[index]
        status, closed = await p.admin("POST", f"{url}/close")
        assert closed["state"] == "closed" and closed["seed"] is None  # the hash before the seed
        assert closed["entries_hash"] == entries_hash(str(lottery["lottery_id"]), tickets).hex()
        status, drawn = await p.admin("POST", f"{url}/draw")
        assert drawn["state"] == "drawn"
        assert commitment_of(bytes.fromhex(str(drawn["seed"]))).hex() == lottery["commitment"]
        winners = drawn["winners"]
        assert [w["prize_name"] for w in winners] == ["お米券"] * 2 + ["クオカード"] * 3  # type: ignore[union-attr,index]
        assert {w["member_no"] for w in winners} <= set(members)  # type: ignore[union-attr,index]
        status, again = await p.admin("POST", f"{url}/draw")
        assert again["error"]["code"] == "points.lottery_drawn"  # type: ignore[index]
        status, cancel = await p.admin("POST", f"{url}/cancel")
        assert cancel["error"]["code"] == "points.lottery_drawn"  # type: ignore[index]
        sums = await assert_books_balance(p.node)
        assert sums[LOTTERY_ACCOUNT] == -1_200  # losers' points are not refunded

        status, document = await p.admin("GET", f"{url}/export")
        assert document["entries"] == tickets and "member_no" not in json.dumps(document)
        path = tmp_path / "draw.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        checked = verify(path)
        assert checked.exit_code == 0, checked.output
        assert "ok: the draw recomputes (12 entries, 5 winners)" in checked.stdout

        loser = next(t for t in tickets if t not in {w["ticket"] for w in document["winners"]})  # type: ignore[union-attr,index]
        forged = json.loads(path.read_text(encoding="utf-8"))
        forged["winners"][0]["ticket"] = loser
        path.write_text(json.dumps(forged), encoding="utf-8")
        checked = verify(path)
        assert checked.exit_code == 1 and "MISMATCH winners" in checked.stderr
        forged = {**document, "entries": [*tickets, "lt_forged"]}
        path.write_text(json.dumps(forged), encoding="utf-8")
        checked = verify(path)
        assert checked.exit_code == 1 and "MISMATCH entries_hash" in checked.stderr
        forged = {**document, "seed": "00" * 32}
        path.write_text(json.dumps(forged), encoding="utf-8")
        checked = verify(path)
        assert checked.exit_code == 1 and "MISMATCH commitment" in checked.stderr
        path.write_text("{not json", encoding="utf-8")
        assert verify(path).exit_code == 2


async def test_a_cancelled_lottery_refunds_every_entry(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        status, lottery = await p.admin("POST", "points/lotteries", lottery_body(clock))
        url = f"points/lotteries/{lottery['lottery_id']}"
        members = [await _member_with(p, f"会員{i}", 300) for i in range(3)]
        clock.advance(hours=2)
        for member_no in members:
            status, entered = await p.admin("POST", f"{url}/entries", {"member_no": member_no})
            assert status == 201, entered
        status, cancelled = await p.admin("POST", f"{url}/cancel")
        assert (cancelled["state"], cancelled["refunded"]) == ("cancelled", 3)
        for member_no in members:
            member = await actions.member_by_number(p.node, member_no)
            assert (await actions.balance_answer(p.node, member))["balance"] == 300
        sums = await assert_books_balance(p.node)
        assert sums[LOTTERY_ACCOUNT] == 0
        status, closed = await p.admin("POST", f"{url}/close")
        assert closed["error"]["code"] == "points.lottery_not_open"  # type: ignore[index]
        status, export = await p.admin("GET", f"{url}/export")
        assert export["error"]["code"] == "points.lottery_not_closed"  # type: ignore[index]


async def test_parallel_entries_stop_at_the_members_cap(home: NodeHome, clock: FakeClock) -> None:
    """Twenty entries of one member sent at once with a cap of 3: exactly three tickets, each
    paid once, the cap counted in the same writer unit as the entry."""
    async with points_node(home, clock) as p:
        body = lottery_body(clock, max_entries=3)
        status, lottery = await p.admin("POST", "points/lotteries", body)
        assert status == 201, lottery
        url = f"points/lotteries/{lottery['lottery_id']}/entries"
        member_no = await _member_with(p, "山田花子", 5_000)
        clock.advance(hours=2)
        answers = await asyncio.gather(
            *(p.admin("POST", url, {"member_no": member_no}) for _ in range(20))
        )
        assert sorted(s for s, _ in answers) == [201] * 3 + [409] * 17
        assert {a["error"]["code"] for s, a in answers if s == 409} == {  # type: ignore[index]
            "points.lottery_entry_limit"
        }
        assert sorted(a["seq"] for s, a in answers if s == 201) == [1, 2, 3]
        member = await actions.member_by_number(p.node, member_no)
        assert (await actions.balance_answer(p.node, member))["balance"] == 4_700
        await assert_books_balance(p.node)
