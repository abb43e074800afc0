"""Webhooks end to end: real nodes, a real receiver on 127.0.0.1 checking signatures as the
docs say, the outbox written with the change, retries with backoff on the fake clock, giving
up, disabling, and deliveries that survive a restart (issue 17)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from node.errors import PointsTxnConflict
from node.points import operations
from node.webhooks.core import MAX_ATTEMPTS
from tests.conftest import NodeFactory, ok
from tests.webhook_helpers import (
    deliveries,
    earn,
    member,
    node_of,
    receiver,
    settled,
    subscribe,
    verify,
    wake,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_points_events_arrive_signed_once_their_change_committed(nodes: NodeFactory) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with receiver(shop.clock) as pos:
        hook = await subscribe(shop, pos, "points.earned", "points.used")
        assert hook["secret"].startswith("whsec_") and hook["events"] == [
            "points.earned",
            "points.used",
        ]
        listed = (await ok(shop, "GET", "webhooks"))["webhooks"]
        assert [h["webhook_id"] for h in listed] == [hook["webhook_id"]]
        assert "secret" not in listed[0] and hook["secret"] not in str(listed)

        hanako = await member(shop, "花子")
        await earn(shop, hanako, 1_280, "pos-1")
        [first] = await pos.next(1)
        assert first.signature_ok
        assert first.headers["Kippu-Event"] == "points.earned"
        event = first.event
        assert event["type"] == "points.earned" and event["id"].startswith("ev_")
        assert event["data"]["member_no"] == hanako.member_no
        assert event["data"]["points"] == 12 and event["data"]["balance"] == 12
        assert event["data"]["txn_id"] == "pos-1" and event["data"]["purchase_yen"] == 1_280
        assert first.headers["Kippu-Delivery"].startswith("wd_")

        node = node_of(shop)
        now = node.clock.now()
        await node.require_writer().submit(
            lambda conn: operations.use(conn, hanako, 5, None, "test", now, node.rng)
        )
        second = (await pos.next(2))[1]
        assert second.event["type"] == "points.used"
        assert second.event["data"]["balance"] == 7 and second.event["data"]["value_yen"] == 5

        # A refused change queues nothing: the event is written in its transaction or not at all.
        with pytest.raises(PointsTxnConflict):
            await earn(shop, hanako, 500, "pos-1")
        await node.require_writer().submit(  # adjusted: not subscribed, so not sent
            lambda conn: operations.adjust(
                conn, hanako, 3, "おわび", "admin", now, node.config.zone, node.rng
            )
        )
        sent = await deliveries(shop, hook["webhook_id"])
        assert sorted(d["event"] for d in sent) == ["points.earned", "points.used"]
        assert all(d["state"] == "delivered" and d["attempts"] == 1 for d in sent)


async def test_a_bad_signature_is_caught_by_the_receiver(nodes: NodeFactory) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with receiver(shop.clock) as pos:
        hook = await subscribe(shop, pos, "points.earned")
        pos.secret = "whsec_not_the_one_we_were_given"
        await earn(shop, await member(shop, "花子"), 1_000, "pos-1")
        [got] = await pos.next(1)
        assert not got.signature_ok
        failed = await settled(shop, hook["webhook_id"], 1)
        assert failed["state"] == "pending" and failed["last_status"] == 400

    header = got.headers["Kippu-Signature"]
    now = shop.clock.now().timestamp()
    assert verify(hook["secret"], header, got.body, int(now))  # the real secret verifies
    tampered = got.body.replace(b'"points":10', b'"points":99')
    assert tampered != got.body and not verify(hook["secret"], header, tampered, int(now))
    assert not verify(hook["secret"], header, got.body, int(now) + 301)  # too old: a replay


async def test_a_failed_delivery_is_retried_with_backoff_until_it_succeeds(
    nodes: NodeFactory,
) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with receiver(shop.clock) as pos:
        pos.answers = [500, 503]
        hook = await subscribe(shop, pos, "points.earned")
        await earn(shop, await member(shop, "花子"), 1_000, "pos-1")
        first = await settled(shop, hook["webhook_id"], 1)
        assert (first["state"], first["last_status"], first["last_error"]) == (
            "pending",
            500,
            "HTTP 500",
        )
        wait = at(first["next_attempt_at"]) - shop.clock.now()
        assert timedelta(seconds=30) <= wait <= timedelta(seconds=37.5)

        wake(shop)  # nothing is due yet: no second attempt before its time
        shop.clock.advance(seconds=20)
        wake(shop)
        await ok(shop, "GET", "status")
        assert len(pos.received) == 1

        shop.clock.set(at(first["next_attempt_at"]))
        wake(shop)
        second = await settled(shop, hook["webhook_id"], 2)
        assert second["last_status"] == 503
        wait = at(second["next_attempt_at"]) - shop.clock.now()
        assert timedelta(seconds=60) <= wait <= timedelta(seconds=75)

        shop.clock.set(at(second["next_attempt_at"]))
        wake(shop)
        third = await settled(shop, hook["webhook_id"], 3)
        assert (third["state"], third["last_status"], third["next_attempt_at"]) == (
            "delivered",
            200,
            None,
        )
        ids = {r.event["id"] for r in pos.received}
        assert len(pos.received) == 3 and len(ids) == 1  # the same event, to deduplicate by


async def test_a_delivery_is_given_up_after_its_last_attempt_and_can_be_retried(
    nodes: NodeFactory,
) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with receiver(shop.clock) as pos:
        pos.answers = [500] * MAX_ATTEMPTS
        hook = await subscribe(shop, pos, "points.earned")
        await earn(shop, await member(shop, "花子"), 1_000, "pos-1")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            newest = await settled(shop, hook["webhook_id"], attempt)
            if attempt < MAX_ATTEMPTS:
                assert newest["state"] == "pending", attempt
                shop.clock.set(at(newest["next_attempt_at"]))
                wake(shop)
        assert newest["state"] == "given_up" and newest["given_up_at"] is not None
        assert newest["next_attempt_at"] is None and len(pos.received) == MAX_ATTEMPTS
        elapsed = shop.clock.now() - at(newest["created_at"])
        assert timedelta(hours=12) < elapsed < timedelta(hours=24)

        shop.clock.advance(days=1)
        wake(shop)
        await ok(shop, "GET", "status")
        assert len(pos.received) == MAX_ATTEMPTS  # given up: never tried by itself again

        path = f"webhooks/{hook['webhook_id']}/deliveries/{newest['delivery_id']}/retry"
        again = await ok(shop, "POST", path)
        assert again["state"] == "pending"
        done = await settled(shop, hook["webhook_id"], MAX_ATTEMPTS + 1)
        assert done["state"] == "delivered"
        status, refused = await shop.call("POST", path)
        assert (status, refused["error"]["code"]) == (409, "webhook.delivered")


async def test_a_disabled_endpoint_gets_nothing_more(nodes: NodeFactory) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with receiver(shop.clock) as kept, receiver(shop.clock) as dropped:
        dropped.answers = [500]
        await subscribe(shop, kept, "points.earned")
        drop = await subscribe(shop, dropped, "points.earned")
        hanako = await member(shop, "花子")
        await earn(shop, hanako, 1_000, "pos-1")
        await kept.next(1)
        await dropped.next(1)
        pending = await settled(shop, drop["webhook_id"], 1)
        assert pending["state"] == "pending"

        gone = await ok(shop, "DELETE", f"webhooks/{drop['webhook_id']}")
        assert gone["disabled_at"] is not None
        [given_up] = await deliveries(shop, drop["webhook_id"])
        assert given_up["state"] == "given_up" and given_up["last_error"] == "endpoint disabled"

        await earn(shop, hanako, 2_000, "pos-2")
        await kept.next(2)
        shop.clock.advance(hours=1)
        wake(shop)
        await ok(shop, "GET", "status")
        assert len(dropped.received) == 1 and len(kept.received) == 2
        assert len(await deliveries(shop, drop["webhook_id"])) == 1

        status, answer = await shop.call("DELETE", f"webhooks/{drop['webhook_id']}")
        assert (status, answer["error"]["code"]) == (404, "webhook.not_found")
        status, answer = await shop.call("POST", f"webhooks/{drop['webhook_id']}/test")
        assert (status, answer["error"]["code"]) == (404, "webhook.not_found")
        # Its address is free again: a new endpoint to it starts afresh.
        again = await ok(shop, "POST", "webhooks", {"url": dropped.url, "events": ["rank.changed"]})
        assert again["webhook_id"] != drop["webhook_id"]


async def test_deliveries_survive_a_restart(nodes: NodeFactory) -> None:
    from tests.web_flow_helpers import free_port

    shop = await nodes.start("居酒屋 さくら")
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks"
    hook = await ok(shop, "POST", "webhooks", {"url": url, "events": ["points.earned"]})
    await earn(shop, await member(shop, "花子"), 1_000, "pos-1")
    down = await settled(shop, hook["webhook_id"], 1)  # nobody listens yet
    assert down["state"] == "pending" and down["last_status"] is None
    assert "ClientConnectorError" in down["last_error"]

    await shop.restart()
    async with receiver(shop.clock, port) as pos:
        pos.secret = hook["secret"]
        shop.clock.set(at(down["next_attempt_at"]))
        wake(shop)
        [got] = await pos.next(1)
        assert got.signature_ok and got.event["id"] == down["event_id"]
        done = await settled(shop, hook["webhook_id"], 2)
        assert done["state"] == "delivered"


async def test_the_console_test_event_and_refusals(nodes: NodeFactory) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with receiver(shop.clock) as pos:
        hook = await subscribe(shop, pos, "rank.changed")
        queued = await ok(shop, "POST", f"webhooks/{hook['webhook_id']}/test")
        assert queued["event"] == "webhook.ping"
        [got] = await pos.next(1)
        assert got.signature_ok and got.event["data"] == {"webhook_id": hook["webhook_id"]}

        status, answer = await shop.call(
            "POST", "webhooks", {"url": pos.url, "events": ["rank.changed"]}
        )
        assert (status, answer["error"]["code"]) == (409, "webhook.url_taken")
    for url in (
        "ftp://127.0.0.1/hooks",
        "http://pos.example.com/hooks",  # plain http leaves this machine: refused
        "https://user:pw@pos.example.com/hooks",
        "https:///nohost",
        "https://pos.example.com:0/",
    ):
        status, answer = await shop.call(
            "POST", "webhooks", {"url": url, "events": ["points.used"]}
        )
        assert (status, answer["error"]["code"], answer["error"]["field"]) == (
            422,
            "webhook.invalid",
            "url",
        ), url
    for events in ([], ["points.spent"], "points.used", [1]):
        body = {"url": "https://pos.example.com/hooks", "events": events}
        status, answer = await shop.call("POST", "webhooks", body)
        assert (status, answer["error"]["field"]) == (422, "events"), events
    assert len((await ok(shop, "GET", "webhooks"))["webhooks"]) == 1
    made = await ok(
        shop, "POST", "webhooks", {"url": "https://pos.example.com/k", "events": ["points.used"]}
    )
    assert made["url"] == "https://pos.example.com/k"
    status, answer = await shop.call("GET", "webhooks/wh_nothing/deliveries")
    assert (status, answer["error"]["code"]) == (404, "webhook.not_found")
    status, answer = await shop.call("POST", f"webhooks/{hook['webhook_id']}/deliveries/wd_x/retry")
    assert (status, answer["error"]["code"]) == (404, "webhook.delivery_not_found")


def test_the_outbox_refuses_a_delivery_row_that_lies(tmp_path: object) -> None:
    """The schema keeps a delivery's states apart: delivered and given up never both."""
    from node.db import connect, migrate
    from node.migrations import MIGRATIONS

    path = tmp_path / "x.sqlite"  # type: ignore[operator]
    conn = connect(path)
    migrate(conn, MIGRATIONS)
    conn.execute(
        "INSERT INTO webhook_endpoints VALUES ('wh_1', 'https://a.example/h', ?, ?, 1, NULL)",
        ("s" * 40, '["points.used"]'),
    )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO webhook_deliveries (delivery_id, endpoint_id, event_type, event_id,"
            " payload, created_at, delivered_at, given_up_at) VALUES"
            " ('wd_1', 'wh_1', 'points.used', 'ev_1', '{}', 1, 2, 3)"
        )
    conn.close()
