"""The peer answers that are not signed (protocol.md, section 3, "Unsigned answers") can only
delay, never make a node record anything: a forged one is what a dropped connection would be.

B reaches A only through a proxy on 127.0.0.1 (A's invitation names it) that can answer in A's
place: a forged whole-batch refusal, a forged refusal of one message, and forged or altered
answers to B's `kippu audit ask`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import msgpack
import pytest
from aiohttp import web

from node.peering.batch import BATCH_PATH
from node.peering.outbox import PEER_PATH
from node.peering.transport import CONTENT_TYPE
from node.settlement.audit.proofs import PROOF_PATH
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import outbox, quiesce, read, redeem, restart, store_of, voucher_of

# (path, request body, A's real status and answer) -> what B gets instead, or None to pass it on
Forge = Callable[[str, bytes, int, bytes], tuple[int, bytes, str] | None]
JSON = "application/json"


class Proxy:
    def __init__(self, a: RunningNode) -> None:
        self.a, self.forge = a, None
        self.forge: Forge | None
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        for path in (PEER_PATH, BATCH_PATH, PROOF_PATH):
            app.router.add_post(path, self.forward)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        async with self.a.session.post(
            self.a.base_url + request.path, data=body, headers={"Content-Type": CONTENT_TYPE}
        ) as response:
            status, answer = response.status, await response.read()
        kind = CONTENT_TYPE
        if self.forge is not None:
            forged = self.forge(request.path, body, status, answer)
            if forged is not None:
                status, answer, kind = forged
        return web.Response(body=answer, status=status, content_type=kind)


@pytest.fixture
async def behind_proxy(nodes: NodeFactory) -> AsyncIterator[tuple[RunningNode, RunningNode, Proxy]]:
    a, b = await nodes.start("Izakaya A"), await nodes.start("Trattoria B")
    proxy = Proxy(a)
    await proxy.start()
    config = a.home.config_path.read_text(encoding="utf-8")
    a.home.config_path.write_text(
        config.replace(
            f'public_url = "http://127.0.0.1:{a.port}"',
            f'public_url = "http://127.0.0.1:{proxy.port}"',
        ),
        encoding="utf-8",
    )
    await restart(a)
    invite = await ok(a, "POST", "peers/invite", {"valid_hours": 2})
    await ok(b, "POST", "peers/join", {"invite": invite["invite"]})
    await quiesce([a, b], "after joining")
    try:
        yield a, b, proxy
    finally:
        if proxy.runner is not None:
            await proxy.runner.cleanup()


def forged_refusal(path: str, body: bytes, status: int, answer: bytes) -> tuple[int, bytes, str]:
    error = {"error": {"code": "peer.malformed", "message": "forged: not from A"}}
    return 400, msgpack.packb(error) if path == PROOF_PATH else _json(error), JSON


def _json(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


async def test_a_forged_unsigned_refusal_only_delays_a_message(behind_proxy: Any) -> None:
    """Whole-batch refusals (and a refusal of one message that is not a signed reply) are plain
    JSON: B treats one as "not delivered", records nothing, and sends the same bytes again. Here
    A took the ping and only its answer was replaced: the retry gets A's stored signed reply."""
    a, b, proxy = behind_proxy
    logged = read(b, "SELECT count(*) FROM audit_log")[0][0]
    proxy.forge = lambda path, body, status, answer: (
        forged_refusal(path, body, status, answer) if path in (PEER_PATH, BATCH_PATH) else None
    )
    view = await ok(b, "POST", f"peers/{a.node_id}/ping", {})
    assert view["queued_messages"] == 1 and view["last_error"], view
    [(_, _, queued)] = outbox(b, a, "ping")
    assert read(b, "SELECT count(*) FROM audit_log")[0][0] == logged + 1  # our ping, no reply
    proxy.forge = None
    await quiesce([a, b], "once A's answers come through")
    [(delivered,)] = read(a, "SELECT envelope FROM inbox WHERE msg_type = 'ping'")
    assert bytes(delivered) == bytes(queued)  # the very bytes queued, taken once
    [view] = (await ok(b, "GET", "peers"))["peers"]
    assert view["queued_messages"] == 0, view
    assert read(b, "SELECT count(*) FROM audit_log")[0][0] == logged + 2  # and A's signed reply


async def _witnessed_claim(a: RunningNode, b: RunningNode) -> str:
    status, claim = await redeem(b, a, await voucher_of(a, 1000), 300, await store_of(b, "B1"))
    assert status == 201, claim
    await ok(a, "POST", "audit/checkpoint")
    await quiesce([a, b], "after A's checkpoint")
    return str(claim["claim_id"])


def altered_answer(change: Callable[[dict[str, Any]], None]) -> Forge:
    def forge(path: str, body: bytes, status: int, answer: bytes) -> tuple[int, bytes, str] | None:
        if path != PROOF_PATH or status != 200:
            return None
        value = msgpack.unpackb(answer, raw=False)
        change(value)
        return 200, msgpack.packb(value, use_bin_type=True), CONTENT_TYPE

    return forge


def _flip_entry(value: dict[str, Any]) -> None:
    index, envelope, proof = value["entries"][0]
    value["entries"][0] = [index, envelope[:-1] + bytes([envelope[-1] ^ 1]), proof]


def _flip_proof(value: dict[str, Any]) -> None:
    index, envelope, proof = value["entries"][0]
    value["entries"][0] = [index, envelope, bytes([proof[0] ^ 1]) + proof[1:]]


def _other_size(value: dict[str, Any]) -> None:
    value["size"] += 1


async def test_an_altered_proof_answer_proves_nothing(behind_proxy: Any) -> None:
    """The proof answer is unsigned: what binds it is the checkpoint root B countersigned."""
    a, b, proxy = behind_proxy
    topic = await _witnessed_claim(a, b)
    honest = await ok(b, "POST", "audit/ask", {"peer": a.node_id, "topic": topic})
    assert honest["all_same_as_ours"] and len(honest["entries"]) == 2, honest
    for what, change in (
        ("an entry altered", _flip_entry),
        ("a proof altered", _flip_proof),
        ("another checkpoint", _other_size),
    ):
        proxy.forge = altered_answer(change)
        status, answer = await b.call("POST", "audit/ask", {"peer": a.node_id, "topic": topic})
        assert (status, answer["error"]["code"]) == (409, "audit.refused"), (what, answer)
        assert "proves nothing" in answer["error"]["message"], (what, answer)
    proxy.forge = lambda path, body, status, answer: (
        forged_refusal(path, body, status, answer) if path == PROOF_PATH else None
    )
    status, answer = await b.call("POST", "audit/ask", {"peer": a.node_id, "topic": topic})
    assert (status, answer["error"]["code"]) == (409, "audit.refused"), answer


async def test_an_answer_that_leaves_entries_out_is_not_all_the_same(behind_proxy: Any) -> None:
    """What the asker cannot prove (that the partner showed every entry) is counted in
    `ours_not_shown`; `all_same_as_ours` speaks only of the entries shown, and of none."""
    a, b, proxy = behind_proxy
    topic = await _witnessed_claim(a, b)
    for kept, all_same in ((2, True), (1, True), (0, False)):
        proxy.forge = altered_answer(lambda v, kept=kept: v.update(entries=v["entries"][:kept]))
        shown = await ok(b, "POST", "audit/ask", {"peer": a.node_id, "topic": topic})
        assert (len(shown["entries"]), shown["all_same_as_ours"]) == (kept, all_same), shown
        assert shown["ours_not_shown"] == 2 - kept, shown
