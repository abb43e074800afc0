"""Points-expiring notices: a member who opted in gets one mail (aiosmtpd) before points lapse,
never two; one who did not gets none; integrations get a points.expiring webhook (issue 17)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from node.errors import MemberNotFound
from node.ledger import operations as ledger_operations
from node.points import notice_tables, notices, operations
from node.points import tables as points_tables
from node.points.model import Member
from node.points.notices import last_day
from node.server import load_node, start
from node.web.points_mail import run_once
from tests.conftest import FakeClock, NodeFactory, SeededRandomness, make_home, ok
from tests.web_flow_helpers import free_port, smtp_inbox, web_config
from tests.webhook_helpers import Receiver, node_of, receiver


async def _call(session: aiohttp.ClientSession, base: str, path: str, body: Any = None) -> Any:
    async with session.post(f"{base}/api/v1/{path}", json=body) as answer:
        assert answer.status < 300, await answer.text()
        return await answer.json()


async def test_an_opted_in_member_is_mailed_once_before_points_expire(tmp_path: Path) -> None:
    clock = FakeClock()
    async with smtp_inbox() as (inbox, smtp_port), receiver(clock) as pos:
        home = make_home(tmp_path / "node", "居酒屋 さくら")
        port = free_port()
        text = web_config(home.config_path.read_text(encoding="utf-8"), port, smtp_port)
        issuer = 'legal_name = "株式会社さくら"\naddress = "東京都渋谷区道玄坂1-2-3"'
        text = text.replace('legal_name = ""\naddress = ""', issuer)
        home.config_path.write_text(text, encoding="utf-8")
        node = load_node(home, clock, SeededRandomness())
        runner, _ = await start(node, "127.0.0.1", port)
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {node.admin_token}"}
        try:
            async with aiohttp.ClientSession(headers=headers) as api:
                await _expiry_story(node, api, base, inbox, pos)
        finally:
            await runner.cleanup()


async def _expiry_story(
    node: Any, api: aiohttp.ClientSession, base: str, inbox: Any, pos: Receiver
) -> None:
    hook = await _call(api, base, "webhooks", {"url": pos.url, "events": ["points.expiring"]})
    pos.secret = hook["secret"]
    hanako = await _call(api, base, "customers", {"name": "花子", "email": "hanako@example.jp"})
    taro = await _call(api, base, "customers", {"name": "太郎", "email": "taro@example.jp"})
    opted = await notices.set_opt_in(node, hanako["customer_id"], True)
    assert opted["notify_expiry"] is True and opted["customer_id"] == hanako["customer_id"]
    members = {}
    for who in (hanako, taro):
        now = node.clock.now()
        member = await node.require_writer().submit(
            lambda conn, c=who["customer_id"], n=now: operations.ensure_member(conn, c, n, node.rng)
        )
        members[who["customer_id"]] = member
        await node.require_writer().submit(
            lambda conn, m=member, n=now: operations.earn(
                conn,
                m,
                2_500,
                None,
                f"pos-{m.customer_id}",
                (),
                "test",
                n,
                node.config.zone,
                node.rng,
            )
        )
    expires_on = node.clock.now().astimezone(node.config.zone).date() + timedelta(days=365)

    await run_once(node)  # a year before: nothing is due
    assert inbox.messages == [] and pos.received == []

    node.clock.advance(days=365 - 14)
    await run_once(node)  # 14 days and 14 hours before the midnight they lapse at: not yet
    assert inbox.messages == [] and pos.received == []
    node.clock.advance(days=1)
    await run_once(node)
    async with asyncio.timeout(10):
        while not inbox.messages:
            await inbox.arrived.wait()
            inbox.arrived.clear()
    [mail] = inbox.messages
    assert mail["To"] == "hanako@example.jp"
    assert "ポイント失効のお知らせ" in str(make_header(decode_header(mail["Subject"])))
    body = mail.get_payload(decode=True).decode("utf-8")
    day = expires_on
    assert f"25pt の有効期限は {day.year}年{day.month}月{day.day}日 まで" in body
    assert "株式会社さくら" in body and "東京都渋谷区道玄坂1-2-3" in body  # 送信者
    assert "配信を停止するには" in body and f"{node.config.node.public_url}/wallet" in body

    got = await pos.next(2)
    assert all(r.signature_ok for r in got)
    told = {r.event["data"]["customer_id"]: r.event["data"] for r in got}
    assert set(told) == {hanako["customer_id"], taro["customer_id"]}  # the webhook: everyone
    assert told[taro["customer_id"]]["points"] == 25
    assert told[taro["customer_id"]]["expires_on"] == day.isoformat()
    assert told[taro["customer_id"]]["member_no"] == members[taro["customer_id"]].member_no

    node.clock.advance(days=1)
    await run_once(node)  # noticed already: no second mail, no second event
    await run_once(node)
    assert len(inbox.messages) == 1 and len(pos.received) == 2
    [notice] = await notice_tables.notices_of(node.require_reader(), hanako["customer_id"])
    assert notice.expires_on == day.isoformat() and notice.points == 25 and notice.mail_wanted
    [quiet] = await notice_tables.notices_of(node.require_reader(), taro["customer_id"])
    assert not quiet.mail_wanted


def test_the_last_day_is_the_day_before_the_midnight_points_expire_at() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    assert last_day(datetime(2027, 3, 1, 0, 0, tzinfo=tokyo), tokyo) == date(2027, 2, 28)


async def test_the_wallets_switch_turns_the_mail_off_and_on(nodes: NodeFactory) -> None:
    shop = await nodes.start("居酒屋 さくら")
    node = node_of(shop)
    hanako = await ok(shop, "POST", "customers", {"name": "花子", "email": "hanako@example.jp"})
    customer_id = hanako["customer_id"]
    await notices.set_opt_in(node, customer_id, True)
    assert (await member_now(node, customer_id)).notify_expiry
    answer = await notices.set_opt_in(node, customer_id, False)
    assert answer["notify_expiry"] is False and len(answer["member_no"]) == 10
    assert not (await member_now(node, customer_id)).notify_expiry
    with pytest.raises(MemberNotFound):
        await notices.set_opt_in(node, "cu_nobody", True)


async def member_now(node: Any, customer_id: str) -> Member:
    def read(conn: Any) -> Member | None:
        return points_tables.load_member(conn, customer_id)

    found = await node.require_writer().submit(read)
    assert found is not None
    return found


async def test_a_day_cut_by_the_batch_is_noticed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three lots lapsing the same day, read two at a time: the one notice says all three's
    points (the batch held only two of them)."""
    monkeypatch.setattr(notices, "LOTS_PER_UNIT", 2)
    clock = FakeClock()
    node = load_node(make_home(tmp_path / "node"), clock, SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", 0)
    try:
        customer = await node.require_writer().submit(
            ledger_operations.add_customer("cu_notice", "山田花子", None, clock.now())
        )
        for points in (10, 20, 30):
            await node.require_writer().submit(
                lambda conn, points=points: operations.adjust(
                    conn,
                    operations.ensure_member(conn, customer, clock.now(), node.rng),
                    points,
                    "来店特典",
                    "admin",
                    clock.now(),
                    node.config.zone,
                    node.rng,
                )
            )
        clock.advance(days=360)
        assert await notices.record_notices(node) == 1
        shown = await notice_tables.notices_of(node.require_reader(), customer)
        assert [n.points for n in shown] == [60]
    finally:
        await runner.cleanup()
