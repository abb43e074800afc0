"""Partners' store lists: each company's stores reach its active partners (signed `store_list`
messages), whenever the list changes or a partnership starts, and customers see them under
"where to use"; a malformed list from a partner is refused and changes nothing.

Real nodes on 127.0.0.1; the customer is a cookie jar signed in by the logged link.
"""

from __future__ import annotations

import re

import pytest

from node.peering.partner_stores import MAX_STORES
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import outbox, partner, post_peer, read, store_of, two_partners
from tests.test_settlement_bad_input import crafted_as
from tests.web_helpers import browsers, customer_signs_in


def held(node: RunningNode, partner_node: RunningNode) -> list[str]:
    """The store names `node` holds for its partner, sorted."""
    rows = read(
        node, "SELECT name FROM partner_stores WHERE peer = ? ORDER BY name", partner_node.node_id
    )
    return [str(r[0]) for r in rows]


async def sync(*senders: RunningNode) -> None:
    for sender in senders:
        await ok(sender, "POST", "peers/sync")


def places(page_text: str) -> list[str]:
    """The partner lines of the wallet's "where to use" list, as shown."""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line)).strip()
        for line in re.findall(r'<li class="partner"[^>]*>(.*?)</li>', page_text, re.S)
    ]


async def test_store_lists_reach_partners_and_customers(
    nodes: NodeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = await two_partners(nodes)
    await sync(a, b)
    assert outbox(a, b, "store_list") == []  # no stores: nothing to say
    await store_of(a, "A 本店")
    await sync(a)
    assert held(b, a) == ["A 本店"]
    await store_of(a, "A 駅前店")
    await sync(a)
    assert held(b, a) == ["A 本店", "A 駅前店"]
    await sync(a, a)
    assert len(outbox(a, b, "store_list")) == 2  # sent when it changed, never again

    await store_of(b, "B 本店")
    async with browsers(b) as new:
        hanako = await customer_signs_in(new(), "hanako@example.com", caplog)
        shown = places((await hanako.get("/wallet")).text)
        assert shown == ["Izakaya A A 本店 (提携先)", "Izakaya A A 駅前店 (提携先)"]

        await ok(b, "POST", f"peers/{a.node_id}/suspend")
        assert places((await hanako.get("/wallet")).text) == []  # only active partners
        await ok(b, "POST", f"peers/{a.node_id}/resume")
        assert len(places((await hanako.get("/wallet")).text)) == 2

    # A company that already has stores sends them as soon as a new partnership is active.
    c = await nodes.start("Cafe C")
    await store_of(c, "C 本店")
    await partner(a, c)
    await sync(c, a)
    assert held(a, c) == ["C 本店"]
    assert held(c, a) == ["A 本店", "A 駅前店"]
    await sync(a, b, c)
    assert await ok(a, "GET", "audit/checkpoint")  # the log still reads


@pytest.mark.parametrize(
    "stores",
    [
        [["st_1", "本店"], ["st_1", "二号店"]],  # the same id twice
        [["st_1", "  "]],  # a blank name
        [["st_1", "改行\n店"]],  # an unprintable name
        [["", "本店"]],  # no id
        [["x" * 65, "本店"]],  # an id too long
        [[f"st_{n}", "店"] for n in range(MAX_STORES + 1)],  # too many
    ],
)
async def test_a_malformed_store_list_is_refused_and_changes_nothing(
    nodes: NodeFactory, stores: list[list[str]]
) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A 本店")
    await sync(a)
    assert held(b, a) == ["A 本店"]
    forger = await crafted_as(a, b, nodes)
    status, reply = await post_peer(b, forger.seal("store_list", {"stores": stores}))
    assert (status, reply.ok, reply.code) == (400, False, "peer.malformed")
    assert held(b, a) == ["A 本店"]
