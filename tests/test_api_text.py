"""Text in the admin API follows the one printable rule (node/text.py) shared with the console and
partners' messages: lone surrogates, controls, invisible formatting and line separators are refused
with `request.invalid_text` and change nothing; Japanese spaces and 外字 stay accepted."""

from __future__ import annotations

import json

import pytest

from node.text import has_surrogate, is_printable, printable_pattern
from tests.conftest import AsyncNode
from tests.test_bad_input import expect_refusal, make_world, ok, redemption_of

PASSWORD = "correct horse battery"

UNPRINTABLE = {
    "right-to-left override": "店\u202e舗",
    "zero-width space": "店\u200b舗",
    "zero-width joiner": "店\u200d舗",
    "byte-order mark": "\ufeff店舗",
    "DEL": "店\x7f舗",
    "C1 control": "店\x85舗",
    "line separator": "店\u2028舗",
    "paragraph separator": "店\u2029舗",
    "tab": "店\t舗",
    "tag character": "店\U000e0041舗",
}


def _bodies(world_store: str) -> dict[str, tuple[str, str, dict[str, object], str]]:
    """Every name or text field of the admin API: (method, path, body, the field to spoil)."""
    return {
        "store name": ("POST", "stores", {"name": "X"}, "name"),
        "customer name": ("POST", "customers", {"name": "X"}, "name"),
        "customer email": ("POST", "customers", {"name": "山田", "email": "X"}, "email"),
        "staff name": (
            "POST",
            "staff",
            {"name": "X", "stores": [world_store], "password": PASSWORD},
            "name",
        ),
        "gift recipient": ("POST", "vouchers/000000000000/gift", {"to": "X"}, "to"),
        "voucher holder": ("POST", "vouchers", {"amount": 100, "customer_id": "X"}, "customer_id"),
        "partner name": (
            "POST",
            "peers",
            {"node_id": "X", "url": "http://127.0.0.1:9/", "name": "X"},
            "name",
        ),
        "payment reference": (
            "POST",
            "settlement/statements/stm_x/pay",
            {"reference": "X"},
            "reference",
        ),
        "reconcile partner": ("POST", "settlement/reconcile", {"peer": "X"}, "peer"),
    }


def _spoiled(body: dict[str, object], field: str, text: str) -> dict[str, object]:
    value = text if field != "email" else f"a{text}@example.jp"
    return {**body, field: value}


@pytest.mark.parametrize("case", UNPRINTABLE, ids=list(UNPRINTABLE))
async def test_unprintable_names_are_refused_everywhere(anode: AsyncNode, case: str) -> None:
    world = await make_world(anode)
    for method, path, body, field in _bodies(world.store_id).values():
        answer = await expect_refusal(
            anode,
            400,
            "request.invalid_text",
            method,
            path,
            _spoiled(body, field, UNPRINTABLE[case]),
        )
        assert answer["error"]["field"] == field


def _with_lone_surrogate(body: dict[str, object], field: str) -> bytes:
    """JSON text whose `field` holds "\\ud800": valid JSON syntax, but not a character."""
    marker = "SURROGATE-HERE"
    raw = json.dumps(_spoiled(body, field, marker))
    return raw.replace(marker, "\\ud800").encode()


async def test_a_lone_surrogate_in_any_text_field_is_refused(anode: AsyncNode) -> None:
    world = await make_world(anode)
    for method, path, body, field in _bodies(world.store_id).values():
        raw = _with_lone_surrogate(body, field)
        answer = await expect_refusal(anode, 400, "request.invalid_text", method, path, raw=raw)
        assert answer["error"]["field"] == field


async def test_a_lone_surrogate_in_a_code_is_refused_without_using_the_code(
    anode: AsyncNode,
) -> None:
    """A spoiled store id next to a good code: refused before the code is looked at, so the same
    code still redeems afterwards."""
    world = await make_world(anode)
    body = await redemption_of(anode, world)
    raw = json.dumps({**body, "store_id": "MARK"}).replace("MARK", "\\udfff").encode()
    await expect_refusal(anode, 400, "request.invalid_text", "POST", "redemptions", raw=raw)
    raw = json.dumps(body).replace('"amount"', '"\\ud800"', 1).encode()  # in a field's name
    await expect_refusal(anode, 400, "request.invalid_text", "POST", "redemptions", raw=raw)
    await ok(anode, "POST", "redemptions", body)


@pytest.mark.parametrize(
    "name",
    [
        "山田\u3000太郎",
        "株式会社\u3000カフェ・ド・東京",
        "外字\ue000店",
        "Café Noël",
        "O'Brien & Sons",
    ],
)
async def test_spaces_and_private_use_characters_stay_accepted(anode: AsyncNode, name: str) -> None:
    store = await ok(anode, "POST", "stores", {"name": f"  {name}  "})
    assert store["name"] == name
    customer = await ok(anode, "POST", "customers", {"name": name})
    assert customer["name"] == name


def test_the_documented_pattern_is_the_rule() -> None:
    """The OpenAPI pattern and is_printable agree on every character (and on blank text)."""
    import re

    pattern = re.compile(printable_pattern())
    for point in range(0x110000):
        char = chr(point)
        if has_surrogate(char):
            continue
        assert bool(pattern.fullmatch(f"a{char}b")) == is_printable(char), hex(point)
        assert bool(pattern.fullmatch(char)) == (is_printable(char) and bool(char.strip()))
    assert not pattern.fullmatch("")
    assert not pattern.fullmatch(" \u3000 ")


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("stores?x=1", 400, "request.invalid"),
        ("status?verbose", 400, "request.invalid"),
        ("vouchers?holder=cu_x", 400, "request.invalid"),
        ("vouchers?customer_id=cu_a&customer_id=cu_b", 400, "request.invalid"),
        ("settlement/claims?role=issuer&limit=5", 400, "request.invalid"),
        ("vouchers?customer_id=%E2%80%AEcu", 400, "request.invalid_text"),
        ("nothing/here?x=1", 404, "request.no_route"),
    ],
)
async def test_query_parameters_outside_the_document_are_refused(
    anode: AsyncNode, path: str, status: int, code: str
) -> None:
    """Every /api/v1/ route takes only the query parameters its OpenAPI entry lists, once each."""
    await expect_refusal(anode, status, code, "GET", path)
    await ok(anode, "GET", "vouchers?customer_id=cu_a")
