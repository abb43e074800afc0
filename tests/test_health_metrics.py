"""GET /healthz and GET /metrics on real nodes, after real redemptions and partner claims."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from node.config import ListenAddress, render_config
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import AsyncNode, FakeClock, NodeFactory, SeededRandomness, make_home, ok
from tests.settlement_helpers import redeem, store_of, two_partners, voucher_of
from tests.web_helpers import add_store, customer_with_voucher, redeem_by_api

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(session: aiohttp.ClientSession, base_url: str) -> Samples:
    async with session.get(f"{base_url}/metrics") as response:
        assert response.status == 200, await response.text()
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Node, str]]:
    home = make_home(tmp_path / "node")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    try:
        yield node, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_healthz_writes_through_the_writer_and_fails_when_it_stops(
    served: tuple[Node, str],
) -> None:
    node, url = served
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/healthz") as response:  # no token: anyone may ask
            body = await response.json()
            assert response.status == 200, body
        assert body["status"] == "ok" and body["failing"] == []
        assert body["checks"]["outbox"] == {
            "ok": True,
            "messages": 0,
            "partners": 0,
            "oldest_seconds": 0,
        }
        connection = sqlite3.connect(node.database_path)
        try:  # the check really wrote, at the node's (fake) time
            assert connection.execute("SELECT checked_at FROM health_checks").fetchall() == [
                (node.now_s(),)
            ]
        finally:
            connection.close()
        await node.require_writer().stop()
        async with session.get(f"{url}/healthz") as response:
            body = await response.json()
            assert response.status == 503
        assert body["status"] == "failing"
        assert body["failing"] == ["database", "writer"]
        assert node.admin_token not in str(body)


def count_health_writes(database: Path) -> Callable[[], int]:
    """Triggers that log each write to health_checks (an insert or the upsert's update), so
    the count is the probe's own, whatever else the node writes meanwhile."""
    connection = sqlite3.connect(database)
    with connection:
        connection.executescript(
            "CREATE TABLE test_health_writes (at INTEGER);"
            "CREATE TRIGGER test_health_insert AFTER INSERT ON health_checks"
            " BEGIN INSERT INTO test_health_writes VALUES (new.checked_at); END;"
            "CREATE TRIGGER test_health_update AFTER UPDATE ON health_checks"
            " BEGIN INSERT INTO test_health_writes VALUES (new.checked_at); END;"
        )
    connection.close()

    def count() -> int:
        reader = sqlite3.connect(database)
        try:
            return int(reader.execute("SELECT count(*) FROM test_health_writes").fetchone()[0])
        finally:
            reader.close()

    return count


async def test_concurrent_health_checks_share_one_write_per_second(tmp_path: Path) -> None:
    """Anyone may ask /healthz: asking many times at once must not make the node write each time."""
    clock = FakeClock()
    node = load_node(make_home(tmp_path / "node"), clock, SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    health_writes = count_health_writes(node.database_path)

    async def healthz(session: aiohttp.ClientSession) -> int:
        async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert (await response.json())["checks"]["database"] == {"ok": True}
            return response.status

    try:
        async with aiohttp.ClientSession() as session:
            statuses = await asyncio.gather(*(healthz(session) for _ in range(20)))
            assert statuses == [200] * 20
            assert health_writes() == 1  # one probe, shared by all twenty
            assert await healthz(session) == 200  # the same second: its result again
            assert health_writes() == 1
            clock.advance(seconds=1)
            assert await healthz(session) == 200  # a new second: a new real write
            assert health_writes() == 2
    finally:
        await runner.cleanup()


async def test_metrics_count_real_redemptions_by_route_template(anode: AsyncNode) -> None:
    store_id = await add_store(anode, "Ginza")
    voucher_id = await customer_with_voucher(anode, "hanako@example.jp", 10_000)
    before = await scrape(anode.session, anode.base_url)
    for _ in range(3):
        await redeem_by_api(anode, voucher_id, store_id, 100)
    status, _ = await anode.call("GET", "vouchers/999999999999")  # no such voucher
    assert status == 404
    after = await scrape(anode.session, anode.base_url)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    posts = {"route": "/api/v1/redemptions", "method": "POST", "status": "201"}
    assert moved("kippu_http_requests_total", **posts) == 3
    codes = {"route": "/api/v1/vouchers/{voucher_id}/code", "method": "GET", "status": "200"}
    assert moved("kippu_http_requests_total", **codes) == 3
    missing = {"route": "/api/v1/vouchers/{voucher_id}", "method": "GET", "status": "404"}
    assert moved("kippu_http_requests_total", **missing) == 1
    assert moved("kippu_redemption_seconds_count", channel="api") == 3
    assert moved("kippu_redemption_seconds_sum", channel="api") > 0
    assert moved("kippu_writer_batch_units_sum") >= 3  # three redemptions at least were written
    assert moved("kippu_writer_commit_seconds_count") >= 1
    assert value(after, "kippu_connections_open") >= 1
    text = str(after)
    assert voucher_id not in text and "999999999999" not in text  # templates, never raw paths


async def test_metrics_show_claims_and_the_outbox_backlog_per_partner(nodes: NodeFactory) -> None:
    issuer, redeemer = await two_partners(nodes)
    store_id = await store_of(redeemer, "Umeda")
    voucher_id = await voucher_of(issuer, 5_000)
    status, answer = await redeem(redeemer, issuer, voucher_id, 1_000, store_id)
    assert status in (200, 201) and answer["status"] == "accepted", answer
    code = await ok(issuer, "GET", f"vouchers/{voucher_id}/code")
    await issuer.stop()  # the next claim waits in the outbox
    body = {"payload": code["payload"], "amount": 500, "store_id": store_id}
    status, answer = await redeemer.call("POST", "redemptions", body)
    assert status in (200, 201, 202) and answer["status"] == "pending", answer
    samples = await scrape(redeemer.session, redeemer.base_url)
    assert value(samples, "kippu_claims", role="redeemer", status="accepted") == 1
    assert value(samples, "kippu_claims", role="redeemer", status="claimed") == 1
    assert value(samples, "kippu_outbox_backlog_messages", peer=issuer.node_id) >= 1
    assert (("kippu_outbox_oldest_seconds", frozenset({("peer", issuer.node_id)}))) in samples


async def test_metrics_are_refused_outside_the_configured_networks(tmp_path: Path) -> None:
    home = make_home(tmp_path / "node")
    text = render_config("Closed Shop", ListenAddress("127.0.0.1", 1))
    text = re.sub(r"^metrics_networks = .*$", 'metrics_networks = ["10.0.0.0/8"]', text, flags=re.M)
    home.config_path.write_text(text, encoding="utf-8")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/metrics") as response,
        ):
            assert response.status == 403
            assert (await response.json())["error"]["code"] == "auth.forbidden"
    finally:
        await runner.cleanup()


TRUSTED_PROXY = "127.0.0.1"  # the node's reverse proxy, as docs/operations.md sets it up
NOT_A_PROXY = "127.0.0.2"  # another local process: loopback, but not a proxy the node trusts


async def test_metrics_behind_a_trusted_proxy_are_decided_by_the_forwarded_client(
    tmp_path: Path,
) -> None:
    """Every request through the proxy arrives from loopback: the client it names decides."""
    home = make_home(tmp_path / "node")
    text = render_config("Proxied Shop", ListenAddress("127.0.0.1", 1))
    text = text.replace("trusted_proxies = []", f'trusted_proxies = ["{TRUSTED_PROXY}"]')
    home.config_path.write_text(text, encoding="utf-8")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{port}/metrics"

    async def status(source: str, forwarded_for: str | None) -> int:
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        connector = aiohttp.TCPConnector(local_addr=(source, 0))
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            session.get(url, headers=headers) as response,
        ):
            if response.status == 403:
                assert (await response.json())["error"]["code"] == "auth.forbidden"
            return response.status

    try:
        assert await status(TRUSTED_PROXY, "203.0.113.9") == 403  # an internet client
        assert await status(TRUSTED_PROXY, "192.0.2.1, 203.0.113.9") == 403
        assert await status(TRUSTED_PROXY, "::1") == 200  # a client on the proxy's own host
        assert await status(TRUSTED_PROXY, None) == 200  # a local scraper, no proxy involved
        assert await status(NOT_A_PROXY, None) == 200  # loopback, as today
        assert await status(NOT_A_PROXY, "203.0.113.9") == 200  # its header is not believed
    finally:
        await runner.cleanup()
