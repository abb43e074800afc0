"""The outbox applies a batch's replies in channel order and stops at the first one it cannot
apply: a later reply is never applied before an earlier one (node/peering/outbox.py).

The partner here is a crafted one on 127.0.0.1: a real aiohttp server holding its own key, which
answers every message of a batch with a correctly signed `ok` reply, but names another claim in
its answer to the middle message (a buggy or dishonest partner). Our node must refuse to apply
that answer, and so must not record the answer to the message after it either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from nacl.signing import SigningKey

from node.demo import free_port
from node.errors import DiskFull
from node.identity import Identity
from node.migrations import MIGRATIONS
from node.peering import operations, tables
from node.peering.batch import BATCH_PATH, REPLY_KEY, REQUEST_KEY, decode_batch, encode_batch
from node.peering.envelope import open_envelope
from node.peering.messages import PingMessage
from node.peering.model import PeerStatus
from node.peering.outbound import enqueue, seal_reply
from node.peering.transport import CONTENT_TYPE
from node.peering.wire import read_header
from node.runtime import NODE
from node.settlement.messages import ClaimVoidMessage, ClaimVoidResult
from node.writer import GroupCommitWriter
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import read

PARTNER = Identity(SigningKey(b"\x42" * 32))


@asynccontextmanager
async def crafted_partner(wrong_claim_id: str) -> AsyncIterator[str]:
    """A partner node that signs an `ok` reply to each message; a claim_void's result names
    `wrong_claim_id` instead of the claim it was asked about."""

    async def batch(request: web.Request) -> web.Response:
        replies = []
        for raw in decode_batch(REQUEST_KEY, await request.read()):
            envelope = open_envelope(raw)
            header = read_header(envelope.body)
            result = b""
            if envelope.msg_type == "claim_void":
                result = ClaimVoidResult(
                    claim_id=wrong_claim_id, decision="voided", code="", message="", balance_after=0
                ).encode()
            replies.append(
                seal_reply(
                    PARTNER, header.sender, header.msg_id, header.created, ok=True,
                    name="Crafted", result=result,
                )
            )  # fmt: skip
        body = encode_batch(REPLY_KEY, replies)
        return web.Response(body=body, content_type=CONTENT_TYPE)

    app = web.Application()
    app.router.add_post(BATCH_PATH, batch)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def delivered(node: RunningNode) -> list[tuple[int, str, bool, str | None]]:
    rows = read(
        node,
        "SELECT o.seq, o.msg_type, d.delivered_at IS NOT NULL, d.last_error"
        " FROM outbox o JOIN deliveries d USING (peer, seq) WHERE o.peer = ? ORDER BY o.seq",
        PARTNER.node_id,
    )
    return [(int(s), str(t), bool(d), e) for s, t, d, e in rows]


async def test_a_reply_that_cannot_be_applied_stops_the_batch_there(nodes: NodeFactory) -> None:
    b = await nodes.start("B")
    node = b.runner.app[NODE]  # type: ignore[union-attr]
    now_s = node.now_s()
    async with crafted_partner(wrong_claim_id="clm_not_asked") as url:

        def queue_three(conn: sqlite3.Connection) -> None:
            tables.insert_peer(conn, PARTNER.node_id, "Crafted", url, None, now_s)
            tables.update_peer(
                conn, PARTNER.node_id, now_s, status=PeerStatus.ACTIVE, they_registered=1
            )
            for n, message in enumerate(
                [PingMessage("first"), ClaimVoidMessage("clm_asked"), PingMessage("third")]
            ):
                enqueue(conn, node.me, PARTNER.node_id, message, now_s, f"msg_{n}")

        await node.require_writer().submit(queue_three)
        # The outbox's own loop may take the batch first (it polls once a second); either way the
        # first message is delivered once, by whichever got there, and the rest stay queued.
        assert (await ok(b, "POST", "peers/sync"))["delivered"] in (0, 1)

    first, middle, third = delivered(b)
    assert first[:3] == (1, "ping", True)
    assert middle[:3] == (2, "claim_void", False) and middle[3] == "peer.malformed"
    # The partner's answer to the third message came in the same batch; applying it before the
    # second is applied would record the channel out of order.
    assert third[:3] == (3, "ping", False)


async def test_a_full_disk_while_applying_replies_is_storage_disk_full(tmp_path: Path) -> None:
    """SQLite rolls the whole transaction back on SQLITE_FULL, savepoints included: applying the
    replies must fail as storage.disk_full (the outbox retries later), not as a reply that could
    not be applied nor as "no such savepoint" (an internal error)."""
    path = tmp_path / "kippu.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    applied: list[str] = []

    def big_row(name: str) -> Callable[[sqlite3.Connection], None]:
        def work(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, "x" * 20_000))
            applied.append(name)

        return work

    def no_room_to_grow(conn: sqlite3.Connection) -> None:  # as on a full disk
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    try:
        await writer.submit(no_room_to_grow)
        with pytest.raises(DiskFull) as refused:
            await writer.submit(operations.apply_in_order([big_row("st_1"), big_row("st_2")]))
        assert refused.value.code == "storage.disk_full"
        assert applied == []  # SQLite refused the first row: nothing after it ran
        await writer.submit(lambda conn: conn.execute("PRAGMA max_page_count = 1073741823"))
        outcome = await writer.submit(operations.apply_in_order([big_row("st_3")]))
        assert outcome == (1, None)  # room again: replies apply
    finally:
        await writer.stop()
    conn = sqlite3.connect(path)
    try:
        assert [row[0] for row in conn.execute("SELECT store_id FROM stores")] == ["st_3"]
    finally:
        conn.close()
