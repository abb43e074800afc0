"""The rush relay (node/relay/) in front of a real node: what a caller is answered through it is
what the node's own route answers, word for word; a rush through it grants exactly the stock; a
relay that cannot reach its node says so; a broken frame closes only its own link."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from node.config import load_config
from node.home import NodeHome
from node.relay.backend import socket_path
from node.relay.frames import AskFrame, read_reply
from node.relay.front import start_relay
from node.relay.link import NodeLink
from node.runtime import Node
from node.server import load_node, start
from tests.campaign_helpers import terms
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog

Answer = tuple[int, Any, str | None]  # status, JSON body, Retry-After


@dataclass
class Pair:
    """One node, reached directly and through its relay."""

    node: Node
    direct: str
    relayed: str
    http: aiohttp.ClientSession
    link: NodeLink

    async def send(
        self,
        base: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = "admin",
    ) -> Answer:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {self.node.admin_token if token == 'admin' else token}"
        async with self.http.request(
            method, f"{base}/api/v1/{path}", data=body, headers=sent
        ) as answer:
            return answer.status, await answer.json(), answer.headers.get("Retry-After")

    async def both(self, method: str, path: str, **options: Any) -> tuple[Answer, Answer]:
        return (
            await self.send(self.direct, method, path, **options),
            await self.send(self.relayed, method, path, **options),
        )

    async def admin(self, method: str, path: str, body: object = None) -> Any:
        headers = {"Authorization": f"Bearer {self.node.admin_token}"}
        async with self.http.request(
            method, f"{self.direct}/api/v1/{path}", json=body, headers=headers
        ) as answer:
            assert answer.status in (200, 201), await answer.text()
            return await answer.json()


def with_relay(home: NodeHome) -> None:
    text = home.config_path.read_text(encoding="utf-8")
    text = text.replace('relay_listen = ""', 'relay_listen = "127.0.0.1:2"')  # bound at 0 below
    text = text.replace("max_connections_per_address = 128", "max_connections_per_address = 2000")
    home.config_path.write_text(text, encoding="utf-8")


@asynccontextmanager
async def relayed_node(home: NodeHome, clock: FakeClock) -> AsyncIterator[Pair]:
    with_relay(home)
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        link = NodeLink(socket_path(home.database_path))
        relay, relay_port = await start_relay(node.config, link, "127.0.0.1", 0)
        try:
            connector = aiohttp.TCPConnector(limit=1000)
            async with aiohttp.ClientSession(connector=connector) as http:
                direct, relayed = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{relay_port}"
                yield Pair(node, direct, relayed, http, link)
        finally:
            await relay.cleanup()
            await runner.cleanup()


async def customers(pair: Pair, count: int) -> list[str]:
    made = [await pair.admin("POST", "customers", {"name": f"住民{i}"}) for i in range(count)]
    return [str(m["customer_id"]) for m in made]


def grant_body(customer_id: str) -> bytes:
    return f'{{"customer_id": "{customer_id}"}}'.encode()


async def test_every_refusal_is_the_nodes_word_for_word(home: NodeHome, clock: FakeClock) -> None:
    async with relayed_node(home, clock) as pair:
        cid = (await pair.admin("POST", "campaigns", terms(clock, stock=1)))["campaign_id"]
        (person,) = await customers(pair, 1)
        reader = await pair.admin("POST", "apikeys", {"name": "BI", "scope": "read"})
        grants, ok = f"campaigns/{cid}/grants", grant_body(person)
        cases: list[tuple[str, str, dict[str, Any]]] = [
            ("POST", grants, {"body": ok, "token": None}),
            ("POST", grants, {"body": ok, "token": "not-the-token"}),
            (
                "POST",
                grants,
                {"body": ok, "headers": {"Authorization": "Basic eDp5"}, "token": None},
            ),
            ("POST", grants, {"body": ok, "token": reader["key"]}),
            ("POST", "campaigns/cp_nothing/grants", {"body": ok}),
            ("POST", grants, {"body": b"{not json"}),
            ("POST", grants, {"body": b'{"customer_id": "x", "extra": 1}'}),
            ("POST", grants, {"body": b"{}"}),
            ("POST", grants, {"body": b"\xff\xfe"}),
            ("POST", grants, {"body": b" " * 20_000}),
            ("POST", f"{grants}?fast=1", {"body": ok}),
            ("POST", grants, {"body": ok, "headers": {"Idempotency-Key": "no spaces allowed"}}),
            ("GET", f"{grants}/tickets/tk_unknown", {}),
            ("GET", f"{grants}/tickets/tk_unknown", {"token": None}),
        ]
        for method, path, options in cases:
            direct, relayed = await pair.both(method, path, **options)
            assert direct[0] >= 400, (path, options, direct)
            assert relayed == direct, (method, path, options)
        # The stock goes through the relay; then both say sold out, before reading the body.
        status, made, _ = await pair.send(pair.relayed, "POST", grants, body=ok)
        assert status == 201 and made["customer_id"] == person
        direct, relayed = await pair.both("POST", grants, body=b"anything at all")
        assert direct[0] == 409 and direct[1]["error"]["code"] == "campaign.sold_out"
        assert relayed == direct
        # The relay has learnt it: the same ask is answered without the node, word for word;
        # another caller's, a keyed or a queried one still goes to the node.
        asked = pair.link.asked
        assert await pair.send(pair.relayed, "POST", grants, body=ok) == direct
        assert pair.link.asked == asked
        refused = await pair.both("POST", grants, body=ok, token="not-the-token")
        assert refused[0] == refused[1] and refused[0][0] == 401
        assert pair.link.asked == asked + 1


async def test_a_rush_through_the_relay_grants_exactly_the_stock(
    home: NodeHome, clock: FakeClock
) -> None:
    async with relayed_node(home, clock) as pair:
        cid = (await pair.admin("POST", "campaigns", terms(clock, stock=30)))["campaign_id"]
        people = await customers(pair, 90)
        asking = people + people[:30]  # thirty ask twice at once

        async def ask(person: str) -> tuple[int, Any]:
            path = f"campaigns/{cid}/grants"
            status, answer, _ = await pair.send(pair.relayed, "POST", path, body=grant_body(person))
            while status == 202:
                await asyncio.sleep(0.01)
                status, answer, _ = await pair.send(
                    pair.relayed, "GET", f"{path}/tickets/{answer['ticket']}"
                )
            return status, answer

        answers = await asyncio.gather(*(ask(p) for p in asking))
        granted = [a for s, a in answers if s in (200, 201)]
        refused = {a["error"]["code"] for s, a in answers if s not in (200, 201)}
        # Who asked twice at once is answered their one grant twice: thirty grants, no more.
        assert len({g["grant_id"] for g in granted}) == 30
        assert len({g["customer_id"] for g in granted}) == 30  # nobody twice
        assert refused <= {"campaign.sold_out", "campaign.limit_reached"}
        shown = await pair.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 30
        # The node counts what the relay passed on, by route and status (GET /metrics).
        registry = pair.node.metrics.registry
        made = registry.get_sample_value(
            "kippu_relay_asks_total", {"route": "grant", "status": "201"}
        )
        assert made is not None and made >= 1
        samples = [m for metric in registry.collect() for m in metric.samples]
        counted = sum(m.value for m in samples if m.name == "kippu_relay_asks_total")
        assert counted == pair.link.asked


async def test_a_keyed_grant_through_the_relay_is_answered_again_directly(
    home: NodeHome, clock: FakeClock
) -> None:
    async with relayed_node(home, clock) as pair:
        cid = (await pair.admin("POST", "campaigns", terms(clock, stock=5)))["campaign_id"]
        (person,) = await customers(pair, 1)
        options: dict[str, Any] = {
            "body": grant_body(person),
            "headers": {"Idempotency-Key": "office-2026-12-03-001"},
        }
        first = await pair.send(pair.relayed, "POST", f"campaigns/{cid}/grants", **options)
        direct, relayed = await pair.both("POST", f"campaigns/{cid}/grants", **options)
        assert first[0] == 201 and direct == first and relayed == first
        assert (await pair.admin("GET", f"campaigns/{cid}"))["granted_sets"] == 1


async def test_a_relay_without_its_node_says_so(home: NodeHome, tmp_path: Any) -> None:
    with_relay(home)
    config = load_config(home.config_path)
    link = NodeLink(tmp_path / "nobody.sock")
    relay, port = await start_relay(config, link, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{base}/campaigns/cp_x/grants", data=b"{}") as answer:
                assert answer.status == 503
                assert (await answer.json())["error"]["code"] == "node.unavailable"
            async with http.get(f"{base}/vouchers") as answer:
                assert answer.status == 404
                assert (await answer.json())["error"]["code"] == "request.no_route"
            async with http.get(f"{base}/campaigns/cp_x/grants") as answer:
                assert answer.status == 405 and answer.headers["Allow"] == "POST"
    finally:
        await relay.cleanup()


async def test_a_broken_frame_closes_only_its_own_link(home: NodeHome, clock: FakeClock) -> None:
    async with relayed_node(home, clock) as pair:
        path = socket_path(home.database_path)
        reader, writer = await asyncio.open_unix_connection(path)
        writer.write(b"this is not a frame\n")
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed, nothing answered
        writer.close()
        # Another link is answered, and so is the relay's own.
        reader, writer = await asyncio.open_unix_connection(path)
        ask = AskFrame(7, "ticket", {"campaign_id": "cp_x", "ticket": "tk_y"}, "", None, [], b"")
        writer.write(ask.line())
        reply = read_reply(await asyncio.wait_for(reader.readline(), 5))
        assert (reply.id, reply.status, reply.body["error"]["code"]) == (
            7,
            401,
            "auth.missing_token",
        )
        writer.close()
        status, _, _ = await pair.send(pair.relayed, "GET", "campaigns/cp_x/grants/tickets/tk_y")
        assert status == 404


@pytest.mark.parametrize("mode", [0o600])
async def test_the_socket_is_the_owners_alone(home: NodeHome, clock: FakeClock, mode: int) -> None:
    async with relayed_node(home, clock):
        assert socket_path(home.database_path).stat().st_mode & 0o777 == mode
    assert not socket_path(home.database_path).exists()  # removed when the node stops


async def test_headers_too_long_to_pass_on_are_refused_by_the_relay_alone(
    home: NodeHome, clock: FakeClock
) -> None:
    """A caller cannot break the link for everyone else with a request the node would never
    take: the relay refuses it itself and the link stays up."""
    async with relayed_node(home, clock) as pair:
        cid = (await pair.admin("POST", "campaigns", terms(clock, stock=5)))["campaign_id"]
        (person,) = await customers(pair, 1)
        huge = {"Idempotency-Key": "é" * 4000}
        status, refused, _ = await pair.send(
            pair.relayed,
            "POST",
            f"campaigns/{cid}/grants",
            body=b"x" * 16_000,
            headers=huge,
            token="é" * 4000,
        )
        assert status == 400 and refused["error"]["code"] == "request.invalid"
        status, made, _ = await pair.send(
            pair.relayed, "POST", f"campaigns/{cid}/grants", body=grant_body(person)
        )
        assert status == 201 and made["customer_id"] == person


async def test_an_ask_that_cannot_be_read_is_answered_alone(
    home: NodeHome, clock: FakeClock
) -> None:
    async with relayed_node(home, clock):
        reader, writer = await asyncio.open_unix_connection(socket_path(home.database_path))
        writer.write(b'{"id": 41, "route": "vouchers"}\n')
        ask = AskFrame(42, "ticket", {"campaign_id": "cp_x", "ticket": "tk_y"}, "", None, [], b"")
        writer.write(ask.line())
        first = read_reply(await asyncio.wait_for(reader.readline(), 5))
        second = read_reply(await asyncio.wait_for(reader.readline(), 5))
        writer.close()
        assert (first.id, first.status, first.body["error"]["code"]) == (41, 500, "internal.error")
        assert (second.id, second.status) == (42, 401)  # the link stayed up


async def test_an_answer_too_long_for_a_frame_is_cut_short_and_the_link_stays_up(
    home: NodeHome, clock: FakeClock
) -> None:
    """A refusal that repeats a request's text back (unknown field names) can be longer than a
    frame: the node cuts it to its code and message's start; everyone else is still answered."""
    async with relayed_node(home, clock) as pair:
        cid = (await pair.admin("POST", "campaigns", terms(clock, stock=5)))["campaign_id"]
        (person,) = await customers(pair, 1)
        repeated = ('{"' + "😀" * 4000 + '": 1}').encode()
        direct, relayed = await pair.both("POST", f"campaigns/{cid}/grants", body=repeated)
        assert direct[0] == relayed[0] == 400
        assert relayed[1]["error"]["code"] == direct[1]["error"]["code"] == "request.invalid"
        assert len(relayed[1]["error"]["message"]) == 500 < len(direct[1]["error"]["message"])
        status, _, _ = await pair.send(
            pair.relayed, "POST", f"campaigns/{cid}/grants", body=grant_body(person)
        )
        assert status == 201


async def test_a_token_that_is_no_utf8_is_refused_not_a_fault(
    home: NodeHome, clock: FakeClock
) -> None:
    async with relayed_node(home, clock) as pair:
        for base in (pair.direct, pair.relayed):
            host, port = base.removeprefix("http://").split(":")
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(
                b"GET /api/v1/campaigns/cp_x/grants/tickets/tk_y HTTP/1.1\r\n"
                b"Host: x\r\nAuthorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n"
            )
            answer = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
            assert b"auth.invalid_token" in answer
