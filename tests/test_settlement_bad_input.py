"""A partner that sends bad settlement messages, signed with its real key and in channel order:
each gets a clear refusal or a recorded rejection with its own code, and no yen moves.

The messages are built here as the partner's node would build them (its key file, the next seq
and hash of its channel), so the receiving node's own checks are what is tested. After such a
message the partner's real outbox is behind the channel: a test sends its real traffic first.
The last tests put a proxy between the nodes that makes the partner's signed replies lie.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from aiohttp import web

from node.identity import Identity, load_identity
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload
from node.peering.batch import BATCH_PATH, REPLY_KEY, REQUEST_KEY, decode_batch, encode_batch
from node.peering.envelope import open_envelope, seal
from node.peering.messages import MESSAGE_LIFETIME_S, REPLY_TYPE, Header, Reply
from node.peering.model import GENESIS_HASH, Channel
from node.peering.outbox import PEER_PATH
from node.peering.transport import CONTENT_TYPE
from node.runtime import NODE
from node.settlement import core
from node.settlement.model import Owed, StatementItem
from tests.conftest import FakeClock, NodeFactory, RunningNode, ok
from tests.settlement_helpers import (
    balance_with,
    books_agree,
    claim_at,
    deliver,
    journal_size,
    ledger_ok,
    payload,
    post_peer,
    propose,
    quiesce,
    read,
    redeem,
    restart,
    store_of,
    two_partners,
    voucher_balance,
    voucher_of,
)
from tests.wire_helpers import (
    RESULT_TYPES,
    decode_result,
    encode_message,
    encode_result,
    statement_fields,
)


@dataclass
class Answer:
    status: int
    reply: Reply
    result: dict[str, Any] | None


async def crafted_as(sender: RunningNode, to: RunningNode, nodes: NodeFactory) -> Partner:
    """A forger with `sender`'s key, once every real message in flight (a checkpoint after an
    agreed statement, say) has been delivered, so its messages follow the real channel."""
    await quiesce([sender, to], "before crafting")
    return Partner(sender, to, nodes.clock)


class Partner:
    """Signs messages as `sender` would, on its channel to `to`."""

    def __init__(self, sender: RunningNode, to: RunningNode, clock: FakeClock) -> None:
        self.identity: Identity = load_identity(sender.home.key_path)
        self.sender, self.to, self.clock = sender, to, clock
        rows = read(
            sender, "SELECT last_seq, last_hash FROM channels_out WHERE peer = ?", to.node_id
        )
        self.channel = Channel(rows[0][0], bytes(rows[0][1])) if rows else Channel()
        self.count = 0

    def seal(self, msg_type: str, fields: dict[str, Any]) -> bytes:
        self.count += 1
        now_s = int(self.clock.now().timestamp())
        header = Header(
            msg_id=f"msg_crafted_{self.count}",
            sender=self.identity.node_id,
            recipient=self.to.node_id,
            seq=self.channel.last_seq + 1,
            prev=self.channel.last_hash,
            created=now_s,
            expires=now_s + MESSAGE_LIFETIME_S,
        )
        body = encode_message(msg_type, header, fields)
        return seal(self.identity.signing_key, self.identity.node_id, msg_type, body)

    async def adopt(self) -> None:
        """Make the real sender node continue its channel after the crafted messages, as if it had
        sent them itself (else its next message would be a second, forked history: an alarm).
        Through the node's own writer: it is the only one that writes its database."""
        assert self.sender.runner is not None
        node = self.sender.runner.app[NODE]
        channel, peer = self.channel, self.to.node_id
        await node.require_writer().submit(
            lambda conn: conn.execute(
                "UPDATE channels_out SET last_seq = ?, last_hash = ? WHERE peer = ?",
                (channel.last_seq, channel.last_hash, peer),
            )
        )

    async def send(self, msg_type: str, fields: dict[str, Any]) -> Answer:
        # Whatever the real node queued meanwhile (a checkpoint after a statement it agreed) is
        # delivered first, and the forgery continues the channel from there.
        await quiesce([self.sender, self.to], "before a crafted message")
        rows = read(
            self.sender,
            "SELECT last_seq, last_hash FROM channels_out WHERE peer = ?",
            self.to.node_id,
        )
        self.channel = Channel(rows[0][0], bytes(rows[0][1])) if rows else Channel()
        raw = self.seal(msg_type, fields)
        status, reply = await post_peer(self.to, raw)
        result = None
        if reply.ok:
            self.channel = self.channel.after(self.channel.last_seq + 1, raw)
            await self.adopt()
            if msg_type in RESULT_TYPES:
                result = decode_result(msg_type, reply.result)
        return Answer(status, reply, result)

    async def claim(self, **changes: Any) -> Answer:
        fields = {
            "claim_id": f"cl_crafted_{self.count + 1}",
            "payload": "",
            "amount": 1000,
            "currency": "JPY",
            "store_id": "st_crafted",
            "store_name": "Crafted store",
            **changes,
        }
        return await self.send("claim", fields)


def money(*nodes: RunningNode) -> list[Any]:
    """Every yen a node has booked: its journal, and each account's balance."""
    return [
        (
            journal_size(node),
            read(node, "SELECT account, sum(amount_yen) FROM postings GROUP BY account ORDER BY 1"),
            read(node, "SELECT voucher_id, balance_yen, status FROM vouchers ORDER BY 1"),
        )
        for node in nodes
    ]


def untouched(node: RunningNode) -> list[Any]:
    """Everything a refused message must leave as it was on the receiving node."""
    return [
        read(node, "SELECT * FROM claims ORDER BY peer, role, claim_id"),
        read(node, "SELECT statement_id, status FROM statements ORDER BY 1"),
        read(node, "SELECT peer, msg_id FROM inbox ORDER BY peer, seq"),
        read(node, "SELECT * FROM channels_in ORDER BY peer"),
        *money(node),
    ]


def rejected(answer: Answer, code: str) -> None:
    assert (answer.status, answer.reply.ok) == (200, True), answer
    assert answer.result is not None
    assert (answer.result["decision"], answer.result["code"]) == ("rejected", code), answer


def refused(answer: Answer, code: str, status: int) -> None:
    assert (answer.status, answer.reply.ok, answer.reply.code) == (status, False, code), answer


@pytest.fixture
async def issuer_and_partner(
    nodes: NodeFactory,
) -> tuple[RunningNode, RunningNode, str, Partner]:
    """A (issuer, with a 5,000 yen voucher) and B, whose crafted messages go to A."""
    a, b = await two_partners(nodes)
    await store_of(a, "A")
    await store_of(b, "B")
    voucher = await voucher_of(a, 5000)
    return a, b, voucher, Partner(b, a, nodes.clock)


def now_payload(node: RunningNode, issuer: str, voucher_id: str, secret: bytes) -> str:
    return make_payload(issuer, voucher_id, secret, node.clock.now(), 30, b"\x01\x02\x03\x04\x05")


CLAIM_CASES: dict[str, tuple[str, dict[str, Any], str]] = {
    "unknown voucher": ("unknown", {}, "voucher.not_found"),
    "foreign currency": ("real", {"currency": "USD"}, "ledger.currency"),
    "over the balance": ("real", {"amount": 5001}, "ledger.insufficient_balance"),
    "over the node's voucher limit": ("real", {"amount": 2_000_000}, "ledger.amount_over_limit"),
    "forged code": ("forged", {}, "voucher.code_invalid"),
    "another issuer's voucher": ("partners", {}, "voucher.foreign_issuer"),
    "not a voucher code": ("garbage", {}, "voucher.invalid_payload"),
}


@pytest.mark.parametrize("case", sorted(CLAIM_CASES))
async def test_a_bad_claim_is_rejected_with_its_reason_and_moves_no_yen(
    issuer_and_partner: Any, case: str
) -> None:
    a, b, voucher, crafted = issuer_and_partner
    kind, changes, code = CLAIM_CASES[case]
    codes = {
        "real": await payload(a, voucher),
        "unknown": now_payload(a, a.node_id, voucher_number_from(b"\x09" * 8), b"k" * 32),
        "forged": now_payload(a, a.node_id, voucher, b"not the voucher's secret!!!!!!!!"),
        "partners": await payload(b, await voucher_of(b, 5000)),
        "garbage": "KIPPU1:NOT:A:CODE",
    }
    before = money(a, b)

    answer = await crafted.claim(payload=codes[kind], **changes)

    rejected(answer, code)
    assert money(a, b) == before
    assert await voucher_balance(a, voucher) == 5000
    claim = await claim_at(a, answer.result["claim_id"] if answer.result else "")
    assert (claim["status"], claim["reason_code"], claim["role"]) == ("REJECTED", code, "issuer")
    assert (await balance_with(a, b))["payable"] == 0
    await books_agree(a, b)


async def test_malformed_claims_are_refused_and_change_nothing(issuer_and_partner: Any) -> None:
    a, b, voucher, crafted = issuer_and_partner
    code = await payload(a, voucher)
    first = await crafted.claim(payload=code, amount=1000, claim_id="cl_twice")
    assert first.result is not None and first.result["decision"] == "accepted", first
    before = untouched(a)

    refused(await crafted.claim(payload=code, amount=0), "peer.malformed", 400)
    reused = await crafted.claim(payload=await payload(a, voucher), claim_id="cl_twice")
    refused(reused, "peer.malformed", 400)
    refused(await crafted.claim(payload=code, claim_id=""), "peer.malformed", 400)
    refused(await crafted.claim(payload=code, claim_id="cl_\x00nul"), "peer.malformed", 400)
    # Claim ids reach our pages' links and file names: nothing but letters, digits, - and _.
    for hostile in ("../admin/staff", 'cl_"quote', "cl_a;b", "cl_a?x=1", "cl a"):
        refused(await crafted.claim(payload=code, claim_id=hostile), "peer.malformed", 400)

    assert untouched(a) == before
    assert await voucher_balance(a, voucher) == 4000
    await ledger_ok(a, b)  # (B never heard of the crafted claim: the pair cannot agree here)


async def test_voids_the_issuer_cannot_grant_are_refused(
    nodes: NodeFactory, issuer_and_partner: Any
) -> None:
    a, b, voucher, crafted = issuer_and_partner
    shop = (await ok(b, "GET", "stores"))["stores"][0]["store_id"]
    status, real = await redeem(b, a, voucher, 1000, shop)
    assert status == 201, real
    status, statement = await propose(b, a)
    assert (status, statement["status"]) == (201, "agreed"), statement
    crafted = await crafted_as(b, a, nodes)  # B's channel after its real messages
    c = await nodes.start("Cafe C")
    invite = await ok(a, "POST", "peers/invite", {"valid_hours": 2})
    await ok(c, "POST", "peers/join", {"invite": invite["invite"]})
    stranger = Partner(c, a, nodes.clock)
    before = money(a, b)

    invoiced = await crafted.send("claim_void", {"claim_id": real["claim_id"]})
    unknown = await crafted.send("claim_void", {"claim_id": "cl_never_made"})
    not_theirs = await stranger.send("claim_void", {"claim_id": real["claim_id"]})

    for answer, code in (
        (invoiced, "settlement.void_not_allowed"),
        (unknown, "settlement.claim_not_found"),
        (not_theirs, "settlement.claim_not_found"),  # C cannot void a claim B made
    ):
        assert answer.result is not None, answer
        assert (answer.result["decision"], answer.result["code"]) == ("refused", code), answer
    assert money(a, b) == before
    assert (await claim_at(a, real["claim_id"]))["status"] == "INVOICED"
    assert await voucher_balance(a, voucher) == 4000
    await books_agree(a, b, c)


async def test_a_partner_over_its_exposure_limit_is_still_judged_on_each_claim(
    nodes: NodeFactory, issuer_and_partner: Any
) -> None:
    a, b, voucher, _ = issuer_and_partner
    shop_a = (await ok(a, "GET", "stores"))["stores"][0]["store_id"]
    shop_b = (await ok(b, "GET", "stores"))["stores"][0]["store_id"]
    await ok(a, "POST", f"peers/{b.node_id}/limit", {"max_receivable": 2000})
    b_voucher = await voucher_of(b, 5000)
    status, taken = await redeem(a, b, b_voucher, 1500, shop_a)  # B owes A 1,500
    assert status == 201, taken
    status, real = await redeem(b, a, voucher, 500, shop_b)  # ...less 500 the other way
    assert status == 201, real
    await ok(a, "POST", f"peers/{b.node_id}/limit", {"max_receivable": 800})  # now over it
    assert (await balance_with(a, b))["net"] == 1000
    before, b_inbox = money(a, b), read(b, "SELECT count(*) FROM inbox")

    status, refused_here = await redeem(a, b, b_voucher, 1, shop_a)
    assert (status, refused_here["error"]["code"]) == (409, "settlement.exposure_limit")
    assert read(b, "SELECT count(*) FROM inbox") == b_inbox  # nothing was sent to B
    crafted = await crafted_as(b, a, nodes)
    rejected(
        await crafted.claim(payload=await payload(a, voucher), amount=4501),
        "ledger.insufficient_balance",
    )
    rejected(
        await crafted.claim(
            payload=now_payload(a, a.node_id, voucher_number_from(b"\x05" * 8), b"s" * 32)
        ),
        "voucher.not_found",
    )

    assert money(a, b) == before
    assert await voucher_balance(b, b_voucher) == 3500
    assert await voucher_balance(a, voucher) == 4500
    status, still = await redeem(a, b, b_voucher, 1, shop_a)
    assert (status, still["error"]["code"]) == (409, "settlement.exposure_limit"), still
    await books_agree(a, b)


# -- a partner whose signed replies lie ----------------------------------------------------------

Tamper = Callable[[str, Reply], Reply]


class LyingProxy:
    """Stands between B and A (A's invitation names it) and passes everything through, except
    that `tamper` may rewrite A's replies, signed again with A's own key: the partner lies."""

    def __init__(self, a: RunningNode) -> None:
        self.a = a
        self.identity = load_identity(a.home.key_path)
        self.tamper: Tamper | None = None
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(PEER_PATH, self.forward)
        app.router.add_post(BATCH_PATH, self.forward)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        async with self.a.session.post(
            self.a.base_url + request.path, data=body, headers={"Content-Type": CONTENT_TYPE}
        ) as response:
            answer, status = await response.read(), response.status
        if self.tamper is not None and status == 200:
            if request.path == BATCH_PATH:
                types = [open_envelope(raw).msg_type for raw in decode_batch(REQUEST_KEY, body)]
                replies = decode_batch(REPLY_KEY, answer)
                answer = encode_batch(
                    REPLY_KEY, [self.rewrite(t, r) for t, r in zip(types, replies, strict=True)]
                )
            else:
                answer = self.rewrite(open_envelope(body).msg_type, answer)
        return web.Response(body=answer, status=status, content_type=CONTENT_TYPE)

    def rewrite(self, msg_type: str, raw: bytes) -> bytes:
        reply = Reply.decode(open_envelope(raw).body)
        if self.tamper is None or not reply.ok:
            return raw
        lie = self.tamper(msg_type, reply)
        return seal(self.identity.signing_key, self.a.node_id, REPLY_TYPE, lie.encode())


def changed_result(msg_type: str, **changes: Any) -> Tamper:
    def tamper(got_type: str, reply: Reply) -> Reply:
        if got_type != msg_type:
            return reply
        result = {**decode_result(msg_type, reply.result), **changes}
        return replace(reply, result=encode_result(msg_type, result))

    return tamper


@pytest.fixture
async def behind_proxy(
    nodes: NodeFactory,
) -> AsyncIterator[tuple[RunningNode, RunningNode, LyingProxy]]:
    """A and B partners, B reaching A only through a proxy that can make A's replies lie."""
    a, b = await nodes.start("Izakaya A"), await nodes.start("Trattoria B")
    proxy = LyingProxy(a)
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
    assert [p["url"] for p in (await ok(b, "GET", "peers"))["peers"]] == [
        f"http://127.0.0.1:{proxy.port}"
    ]
    await store_of(b, "B")
    try:
        yield a, b, proxy
    finally:
        await proxy.stop()


async def first_store(node: RunningNode) -> str:
    return str((await ok(node, "GET", "stores"))["stores"][0]["store_id"])


async def test_an_unknown_decision_leaves_the_claim_pending(
    nodes: NodeFactory, behind_proxy: Any
) -> None:
    a, b, proxy = behind_proxy
    proxy.tamper = changed_result("claim", decision="maybe")

    status, answer = await redeem(b, a, await voucher_of(a, 5000), 1000, await first_store(b))

    [(claim_id, state)] = read(b, "SELECT claim_id, status FROM claims")
    assert state == "CLAIMED"
    proxy.tamper = None
    await deliver(nodes.clock, b)
    assert (await claim_at(b, claim_id))["status"] == "ACCEPTED"
    await books_agree(a, b)
    assert (status, answer.get("status")) == (202, "pending"), answer


async def test_reconcile_lists_the_breaks_and_disputes_what_stays_different(
    nodes: NodeFactory, issuer_and_partner: Any
) -> None:
    a, b, voucher, _ = issuer_and_partner
    shop = (await ok(b, "GET", "stores"))["stores"][0]["store_id"]
    honest, other = [], []
    for amount, bucket in ((1000, honest), (600, other)):
        status, real = await redeem(b, a, voucher, amount, shop)
        assert status == 201, real
        bucket.append(real["claim_id"])
    now_s = int(nodes.clock.now().timestamp())
    pair = core.parties(a.node_id, b.node_id)
    items = [StatementItem(honest[0], a.node_id, 1300), StatementItem(other[0], a.node_id, 600)]
    lie = core.build_statement("st_lie", 1, now_s, GENESIS_HASH, pair, items, [], Owed("", 0))
    crafted = await crafted_as(b, a, nodes)  # B's key, after B's own claims on the channel
    answer = await crafted.send("statement", statement_fields(lie))
    assert answer.result is not None and answer.result["decision"] == "disputed"
    before = money(a, b)

    report = await ok(a, "POST", "settlement/reconcile", {"peer": b.node_id})

    assert report["claims_in_flight"] == 0 and report["open_statement"] is None
    [amount_break] = report["breaks"]
    assert (amount_break["item"], amount_break["kind"]) == (honest[0], "amount")
    assert (amount_break["ours"], amount_break["theirs"]) == (1000, 1300)
    assert amount_break["resolution"] == "disputed"
    assert report["disputed_claims"] == 1
    assert (await claim_at(a, honest[0]))["status"] == "DISPUTED"
    assert (await claim_at(a, other[0]))["status"] == "ACCEPTED"
    assert money(a, b) == before  # a dispute moves no yen: still owed until settled by hand

    again = await ok(a, "POST", "settlement/reconcile", {"peer": b.node_id})
    assert [x["resolution"] for x in again["breaks"]] == ["unresolved: the claim is DISPUTED here"]
    # Left out of A's next proposal, B (which still has it ACCEPTED) disputes that proposal; once
    # B reconciles too, the undisputed claim settles and the disputed one waits on both sides.
    status, statement = await propose(a, b)
    assert (status, statement["status"]) == (201, "disputed"), statement
    report_b = await ok(b, "POST", "settlement/reconcile", {"peer": a.node_id})
    assert [(x["item"], x["resolution"]) for x in report_b["breaks"]] == [(honest[0], "disputed")]
    status, statement = await propose(a, b)
    assert (status, statement["status"]) == (201, "agreed"), statement
    assert [c["claim_id"] for c in statement["claims"]] == other
    # The admins agree by phone that the claim stands: each resolves it; the next statement has it.
    for node in (a, b):
        resolved = await ok(node, "POST", f"settlement/claims/{honest[0]}/resolve", {})
        assert resolved["status"] == "ACCEPTED"
    status, statement = await propose(a, b)
    assert (status, statement["status"]) == (201, "agreed"), statement
    assert [c["claim_id"] for c in statement["claims"]] == honest
    await books_agree(a, b)
