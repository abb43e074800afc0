"""Bad input of any kind, sent to a real node, gets a clear error with a stable code and changes nothing."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from node.home import NodeHome
from node.identity import encode_node_id
from tests.conftest import AsyncNode

Json = Any  # a decoded JSON response body
FOREIGN_NODE_ID = encode_node_id(bytes(range(32)))
UNKNOWN_VOUCHER = "000000000000"  # a well-formed voucher number (its Luhn digit is 0) never issued


@dataclass(frozen=True)
class World:
    store_id: str
    voucher_id: str
    other_voucher_id: str
    holder_id: str
    friend_id: str


async def ok(anode: AsyncNode, method: str, path: str, body: object = None) -> Json:
    status, answer = await anode.call(method, path, body)
    assert status in (200, 201), answer
    return answer


async def make_world(anode: AsyncNode) -> World:
    store = await ok(anode, "POST", "stores", {"name": "新宿店"})
    holder = await ok(anode, "POST", "customers", {"name": "山田太郎"})
    friend = await ok(anode, "POST", "customers", {"name": "佐藤花子"})
    voucher = await ok(
        anode, "POST", "vouchers", {"amount": 10_000, "customer_id": holder["customer_id"]}
    )
    other = await ok(anode, "POST", "vouchers", {"amount": 3_000})
    return World(
        store["store_id"],
        voucher["voucher_id"],
        other["voucher_id"],
        holder["customer_id"],
        friend["customer_id"],
    )


async def payload_of(anode: AsyncNode, voucher_id: str) -> str:
    return str((await ok(anode, "GET", f"vouchers/{voucher_id}/code"))["payload"])


async def redemption_of(anode: AsyncNode, world: World, amount: int = 100) -> dict[str, Any]:
    """A well-formed redemption request with a fresh code for the world's main voucher."""
    payload = await payload_of(anode, world.voucher_id)
    return {"payload": payload, "amount": amount, "store_id": world.store_id}


async def snapshot(anode: AsyncNode) -> dict[str, Json]:
    """Everything a refused request must leave untouched, as the API shows it."""
    vouchers = (await ok(anode, "GET", "vouchers"))["vouchers"]
    check = await ok(anode, "GET", "ledger/check")
    assert check["ok"] is True
    return {
        "vouchers": [await ok(anode, "GET", f"vouchers/{v['voucher_id']}") for v in vouchers],
        "redemptions": (await ok(anode, "GET", "redemptions"))["redemptions"],
        "check": check,
        "stores": (await ok(anode, "GET", "stores"))["stores"],
        "customers": (await ok(anode, "GET", "customers"))["customers"],
    }


async def send_raw(
    anode: AsyncNode, method: str, path: str, data: bytes, headers: dict[str, str] | None = None
) -> tuple[int, Json]:
    if headers is None:
        headers = {"Authorization": f"Bearer {anode.token}"}
    headers = {"Content-Type": "application/json", **headers}
    url = f"{anode.base_url}/api/v1/{path}"
    async with anode.session.request(method, url, data=data, headers=headers) as response:
        return response.status, await response.json()


async def expect_refusal(
    anode: AsyncNode,
    status: int,
    code: str,
    method: str,
    path: str,
    body: object = None,
    *,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
    token: str | None = "default",
) -> Json:
    """Send one bad request; assert its status and error code, and that nothing changed."""
    before = await snapshot(anode)
    if raw is not None or headers is not None:
        data = raw if raw is not None else json.dumps(body).encode()
        got_status, answer = await send_raw(anode, method, path, data, headers)
    else:
        got_status, answer = await anode.call(method, path, body, token=token)
    assert (got_status, answer.get("error", {}).get("code")) == (status, code), answer
    assert isinstance(answer["error"]["message"], str)
    assert answer["error"]["message"]
    assert await snapshot(anode) == before
    return answer


# --- voucher codes -------------------------------------------------------------------------------


def _edit(payload: str, index: int, change: Callable[[str], str]) -> str:
    parts = payload.split(":")
    parts[index] = change(parts[index])
    return ":".join(parts)


def _flip(text: str) -> str:
    return ("B" if text[0] == "A" else "A") + text[1:]


def _bump_check_digit(digits: str) -> str:
    return digits[:-1] + str((int(digits[-1]) + 1) % 10)


def _step_back(step: str) -> str:
    return str(int(step) - 1)


def _number_of(payload: str) -> Callable[[str], str]:
    return lambda _: payload.split(":")[2]


Forge = Callable[[str, str], str]  # (this voucher's payload, another voucher's payload) -> forged
# KIPPU1:<issuer>:<voucher number>:<step>:<nonce>:<mac>; codes without a dot are voucher.*
FORGED: dict[str, tuple[Forge, int, str]] = {
    "wrong mac": (lambda own, _: _edit(own, 5, _flip), 409, "code_invalid"),
    "wrong nonce": (lambda own, _: _edit(own, 4, _flip), 409, "code_invalid"),
    "earlier step, same mac": (lambda own, _: _edit(own, 3, _step_back), 409, "code_invalid"),
    "another's payload, this number": (
        lambda own, other: _edit(other, 2, _number_of(own)),
        409,
        "code_invalid",
    ),
    "another issuer": (
        lambda own, _: _edit(own, 1, lambda _: FOREIGN_NODE_ID),
        409,
        "foreign_issuer",
    ),
    "issuer dropped": (lambda own, _: own.replace(":", "::", 1), 422, "invalid_payload"),
    "wrong check digit": (lambda own, _: _edit(own, 2, _bump_check_digit), 422, "invalid_payload"),
    "other scheme": (lambda own, _: "KIPPU2" + own[6:], 422, "invalid_payload"),
    "trailing field": (lambda own, _: own + ":AAAA", 422, "invalid_payload"),
    "garbage": (lambda own, _: "hello, world", 422, "invalid_payload"),
    "full-width digits": (lambda own, _: "１２３４５６" * 3, 422, "invalid_payload"),
    "unknown voucher": (lambda own, _: _edit(own, 2, lambda _: UNKNOWN_VOUCHER), 404, "not_found"),
    "overlong": (lambda own, _: own + "A" * 200, 400, "request.invalid"),
    "15 KB": (lambda own, _: "K" * 15_000, 400, "request.invalid"),
    "empty": (lambda own, _: "", 400, "request.invalid"),
    "control character": (lambda own, _: own[:10] + "\x00" + own[10:], 400, "request.invalid_text"),
}


@pytest.mark.parametrize("case", FORGED, ids=list(FORGED))
async def test_forged_and_malformed_codes_are_refused(anode: AsyncNode, case: str) -> None:
    forge, status, code = FORGED[case]
    world = await make_world(anode)
    own = await payload_of(anode, world.voucher_id)
    other = await payload_of(anode, world.other_voucher_id)
    body = {"payload": forge(own, other), "amount": 100, "store_id": world.store_id}
    full_code = code if "." in code else f"voucher.{code}"
    await expect_refusal(anode, status, full_code, "POST", "redemptions", body)


@pytest.mark.parametrize("variant", ["same", "lower case", "padded"])
async def test_a_used_code_is_refused_in_any_spelling(anode: AsyncNode, variant: str) -> None:
    world = await make_world(anode)
    body = await redemption_of(anode, world)
    first = await ok(anode, "POST", "redemptions", body)
    payload = body["payload"]
    again = {"same": payload, "lower case": payload.lower(), "padded": f"  {payload}  "}[variant]
    other_amount = body | {"payload": again, "amount": body["amount"] + 1}
    await expect_refusal(anode, 409, "voucher.code_used", "POST", "redemptions", other_amount)
    # The same amount at the same store is a retry: the first redemption again, nothing new.
    retried = await ok(anode, "POST", "redemptions", body | {"payload": again})
    assert (retried["retried"], retried["redemption_id"]) == (True, first["redemption_id"])


async def test_a_used_manual_code_is_refused(anode: AsyncNode) -> None:
    world = await make_world(anode)
    code = await ok(anode, "GET", f"vouchers/{world.voucher_id}/code")
    body = {"payload": code["manual_code"], "amount": 100, "store_id": world.store_id}
    await ok(anode, "POST", "redemptions", body)
    await expect_refusal(
        anode, 409, "voucher.code_used", "POST", "redemptions", body | {"amount": 101}
    )
    wrong = code["manual_code"][:-6] + f"{(int(code['manual_code'][-6:]) + 1) % 10**6:06d}"
    await expect_refusal(
        anode, 409, "voucher.code_invalid", "POST", "redemptions", body | {"payload": wrong}
    )


@pytest.mark.parametrize(
    ("move", "code"),
    [
        ({"minutes": 2, "seconds": 1}, "voucher.code_expired"),
        ({"minutes": -2}, "voucher.code_invalid"),
    ],
    ids=["two minutes old", "from the future"],
)
async def test_a_code_outside_its_window_is_refused(
    anode: AsyncNode, move: dict[str, float], code: str
) -> None:
    body = await redemption_of(anode, await make_world(anode))
    anode.clock.advance(**move)
    await expect_refusal(anode, 409, code, "POST", "redemptions", body)
    anode.clock.advance(**{k: -v for k, v in move.items()})  # back in its window: still unused
    await ok(anode, "POST", "redemptions", body)


# --- amounts -------------------------------------------------------------------------------------

MISSING = object()
BAD_AMOUNTS = {
    "negative": -100,
    "zero": 0,
    "fraction": 1.5,
    "fraction in exponent form": 1.5e0,
    "string": "100",
    "boolean": True,
    "null": None,
    "list": [100],
    "10**30": 10**30,
    "2**63": 2**63,
    "missing": MISSING,
}


async def _amount_request(
    anode: AsyncNode, world: World, endpoint: str
) -> tuple[str, dict[str, Any]]:
    if endpoint == "redeem":
        return "redemptions", await redemption_of(anode, world)
    if endpoint == "issue":
        return "vouchers", {"amount": 1_000, "price": 1_000}
    return f"vouchers/{world.voucher_id}/gift", {"to": world.friend_id, "amount": 1}


# Optional amounts may be missing or null (gift: the whole balance; sale: at face), and a price may
# be 0 (a free campaign voucher); every other value in BAD_AMOUNTS is refused everywhere.
ALLOWED = {("gift.amount", "missing"), ("gift.amount", "null"), ("issue.price", "missing")}
ALLOWED |= {("issue.price", "null"), ("issue.price", "zero")}
AMOUNT_CASES = [
    pytest.param(field, value, id=f"{field}={name}")
    for field in ("redeem.amount", "issue.amount", "issue.price", "gift.amount")
    for name, value in BAD_AMOUNTS.items()
    if (field, name) not in ALLOWED
]


@pytest.mark.parametrize(("field", "value"), AMOUNT_CASES)
async def test_amounts_must_be_whole_positive_yen(
    anode: AsyncNode, field: str, value: object
) -> None:
    endpoint, key = field.split(".")
    world = await make_world(anode)
    path, body = await _amount_request(anode, world, endpoint)
    if value is MISSING:
        del body[key]
    else:
        body[key] = value
    answer = await expect_refusal(anode, 400, "request.invalid_amount", "POST", path, body)
    assert answer["error"]["field"] == key


async def test_a_whole_number_spelled_with_a_fraction_or_exponent_is_that_integer(
    anode: AsyncNode,
) -> None:
    """JSON Schema (and so the OpenAPI document) counts 326.0 as the integer 326: so does the
    node, which reads numbers exactly and never holds a float."""
    world = await make_world(anode)
    body = await redemption_of(anode, world)
    # Spliced in as text: the code and voucher id are random digits that may contain "326".
    raw = json.dumps({**body, "amount": "AMOUNT"}).replace('"AMOUNT"', "326.0").encode()
    status, answer = await send_raw(anode, "POST", "redemptions", raw)
    assert (status, answer["amount"], answer["balance_after"]) == (201, 326, 10_000 - 326)
    raw = b'{"amount": 3.5e3, "price": 3000.000}'
    status, answer = await send_raw(anode, "POST", "vouchers", raw)
    assert (status, answer["face"], answer["price"]) == (201, 3_500, 3_000)
    assert type(answer["face"]) is int and (await ok(anode, "GET", "ledger/check"))["ok"]


async def test_an_amount_above_the_balance_is_refused_with_the_balance(anode: AsyncNode) -> None:
    body = await redemption_of(anode, await make_world(anode), 10_001)
    code = "ledger.insufficient_balance"
    answer = await expect_refusal(anode, 409, code, "POST", "redemptions", body)
    assert answer["error"]["balance"] == 10_000


# --- unknown ids ---------------------------------------------------------------------------------


async def test_unknown_store_voucher_and_redemption(anode: AsyncNode) -> None:
    world = await make_world(anode)
    body = await redemption_of(anode, world)
    unknown_store = body | {"store_id": "st_nope"}
    await expect_refusal(anode, 404, "store.not_found", "POST", "redemptions", unknown_store)
    for method, path in [
        ("GET", f"vouchers/{UNKNOWN_VOUCHER}"),
        ("GET", f"vouchers/{UNKNOWN_VOUCHER}/code"),
        ("POST", f"vouchers/{UNKNOWN_VOUCHER}/gift"),
    ]:
        gift = {"to": world.friend_id} if method == "POST" else None
        await expect_refusal(anode, 404, "voucher.not_found", method, path, gift)
    await expect_refusal(anode, 404, "redemption.not_found", "GET", "redemptions/rd_nope")
    await expect_refusal(anode, 404, "redemption.not_found", "POST", "redemptions/rd_nope/void")
    await expect_refusal(anode, 404, "request.no_route", "GET", "nothing/here")
    # Voucher numbers are digits (the router and the OpenAPI document agree): no route otherwise.
    await expect_refusal(anode, 404, "request.no_route", "GET", "vouchers/not-a-number")
    await expect_refusal(anode, 405, "request.invalid", "DELETE", f"vouchers/{world.voucher_id}")
    # The refused scans above did not burn the code.
    await ok(anode, "POST", "redemptions", body)


# --- authentication ------------------------------------------------------------------------------

AUTH_CASES = {
    "missing header": ({}, "auth.missing_token"),
    "wrong token": ({"Authorization": "Bearer not-the-token"}, "auth.invalid_token"),
    "empty bearer": ({"Authorization": "Bearer"}, "auth.invalid_token"),
    "basic scheme": ({"Authorization": "Basic {token}"}, "auth.invalid_token"),
    "token alone": ({"Authorization": "{token}"}, "auth.invalid_token"),
}


@pytest.mark.parametrize("case", AUTH_CASES, ids=list(AUTH_CASES))
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_the_admin_api_needs_the_token(anode: AsyncNode, case: str, method: str) -> None:
    headers, code = AUTH_CASES[case]
    headers = {k: v.format(token=anode.token) for k, v in headers.items()}
    world = await make_world(anode)
    if method == "GET":
        answer = await expect_refusal(
            anode, 401, code, "GET", f"vouchers/{world.voucher_id}", headers=headers, raw=b""
        )
    else:
        body = await redemption_of(anode, world)
        answer = await expect_refusal(
            anode, 401, code, "POST", "redemptions", body, headers=headers
        )
    assert anode.token not in json.dumps(answer)


# --- request bodies ------------------------------------------------------------------------------

BAD_BODIES = {
    "truncated": (b'{"amount": 1', "request.invalid_json"),
    "not json": (b"amount=1", "request.invalid_json"),
    "array": (b'[{"amount": 1}]', "request.invalid_json"),
    "string": (b'"redeem"', "request.invalid_json"),
    "null": (b"null", "request.invalid_json"),
    "NaN": (b'{"amount": NaN}', "request.invalid_json"),
    "Infinity": (b'{"amount": -Infinity}', "request.invalid_json"),
    "not utf-8": (b'{"payload": "\xff\xfe"}', "request.invalid_json"),
    "deep nesting": (b"[" * 8_000 + b"]" * 8_000, "request.invalid_json"),
    "5000-digit number": (b'{"amount": ' + b"9" * 5_000 + b"}", "request.invalid_json"),
    "over 16 KB": (b'{"payload": "' + b"A" * 17_000 + b'"}', "request.invalid_json"),
    "empty": (b"", "request.invalid"),
    "unknown field": (
        b'{"payload": "x", "amount": 1, "store_id": "s", "tip": 5}',
        "request.invalid",
    ),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
async def test_malformed_bodies_are_refused(anode: AsyncNode, case: str) -> None:
    raw, code = BAD_BODIES[case]
    await make_world(anode)
    await expect_refusal(anode, 400, code, "POST", "redemptions", raw=raw)


# --- unexpected errors ---------------------------------------------------------------------------


async def test_an_unexpected_failure_is_internal_error_without_internals(
    anode: AsyncNode, home: NodeHome, caplog: pytest.LogCaptureFixture
) -> None:
    """A database that refuses what our code writes (a trigger someone added by hand)."""
    body = await redemption_of(anode, await make_world(anode))
    before = await snapshot(anode)
    other = sqlite3.connect(home.database_path, isolation_level=None)
    try:
        other.execute(
            "CREATE TRIGGER hand_made BEFORE INSERT ON redemptions"
            " BEGIN SELECT RAISE(ABORT, 'hand-made trigger says no'); END"
        )
        with caplog.at_level(logging.ERROR, logger="node"):
            status, answer = await send_raw(anode, "POST", "redemptions", json.dumps(body).encode())
        other.execute("DROP TRIGGER hand_made")
    finally:
        other.close()
    assert status == 500
    assert answer == {"error": {"code": "internal.error", "message": "internal error"}}
    assert "hand-made trigger says no" in caplog.text  # the cause is in the log, with its traceback
    assert any(r.exc_info for r in caplog.records)
    assert await snapshot(anode) == before
    await ok(anode, "POST", "redemptions", body)  # the node recovers and the code was not burned


async def test_a_database_locked_by_another_program_is_storage_busy(
    anode: AsyncNode, home: NodeHome, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process holding the database's write lock (say, an operator's sqlite3 shell)."""
    body = await redemption_of(anode, await make_world(anode))
    before = await snapshot(anode)
    blocker = sqlite3.connect(home.database_path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        with caplog.at_level(logging.ERROR, logger="node"):
            status, answer = await send_raw(anode, "POST", "redemptions", json.dumps(body).encode())
        blocker.execute("ROLLBACK")
    finally:
        blocker.close()
    assert status == 503
    assert answer["error"]["code"] == "storage.busy"
    assert "locked" in caplog.text  # the cause is in the log too
    assert await snapshot(anode) == before
    await ok(anode, "POST", "redemptions", body)  # the node recovers and the code was not burned
