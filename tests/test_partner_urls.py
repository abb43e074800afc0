"""A partner's URL is http(s)://host[:port][/path] in ASCII, as the OpenAPI document states:
anything else is refused before anything is stored, never a 500 (schemathesis found
"http://" answered 500 by a database CHECK, and a user:password@ URL crash each delivery)."""

from __future__ import annotations

import re

import pytest

from node.api.openapi import openapi_document
from node.identity import encode_node_id
from node.peering.operations import PARTNER_URL
from tests.conftest import AsyncNode
from tests.test_bad_input import expect_refusal, ok

PARTNER_ID = encode_node_id(bytes(range(32)))

REFUSED = {
    "no host": ("http://", 400, "request.invalid"),
    "slash only": ("https:///x", 400, "request.invalid"),
    "user and password": ("http://ÿ:pw@127.0.0.1:9", 400, "request.invalid"),
    "ascii user": ("http://u:p@127.0.0.1:9", 400, "request.invalid"),
    "port out of range": ("http://127.0.0.1:65536", 400, "request.invalid"),
    "port zero": ("http://127.0.0.1:0", 400, "request.invalid"),
    "not http": ("ftp://127.0.0.1", 400, "request.invalid"),
    "non-ascii host": ("http://例え.jp", 400, "request.invalid"),
    "not ipv6 in brackets": ("http://[1.2]:9", 422, "peer.unusable_url"),
}
ACCEPTED = ["http://127.0.0.1:9", "https://localhost:9/kippu", "http://[::1]:9000"]


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
async def test_unusable_partner_urls_are_refused(anode: AsyncNode, case: str) -> None:
    url, status, code = REFUSED[case]
    body = {"node_id": PARTNER_ID, "url": url}
    await expect_refusal(anode, status, code, "POST", "peers", body)
    await expect_refusal(anode, status, code, "POST", "peers/import", {"peers": [body]})
    assert (await ok(anode, "GET", "peers"))["peers"] == []


@pytest.mark.parametrize("url", ACCEPTED)
async def test_usable_partner_urls_are_registered(anode: AsyncNode, url: str) -> None:
    peer = await ok(anode, "POST", "peers", {"node_id": PARTNER_ID, "url": f"  {url}  "})
    assert (peer["url"], peer["status"]) == (url, "pending")


def test_the_document_states_the_servers_url_rule() -> None:
    schema = openapi_document("http://127.0.0.1:1")["components"]["schemas"]["NewPeer"]
    assert PARTNER_URL.replace("?P<ipv6>", "") in schema["properties"]["url"]["pattern"]
    for url, _, code in REFUSED.values():
        matches = re.fullmatch(PARTNER_URL, url) is not None
        assert matches == (code == "peer.unusable_url"), url
