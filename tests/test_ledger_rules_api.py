"""The ledger's rules seen through a real node's API: expiry, gifts, voids and issue limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import AsyncNode
from tests.test_bad_input import Json, World, expect_refusal, make_world, ok, payload_of

TOKYO_MIDNIGHT = datetime(2026, 11, 24, 15, 0, 0, tzinfo=UTC)  # 25 Nov 00:00 in Tokyo


async def spend(anode: AsyncNode, world: World, voucher_id: str, amount: int) -> Json:
    body = {"payload": await payload_of(anode, voucher_id), "amount": amount}
    return await ok(anode, "POST", "redemptions", body | {"store_id": world.store_id})


async def balance(anode: AsyncNode, voucher_id: str) -> tuple[int, str]:
    voucher = await ok(anode, "GET", f"vouchers/{voucher_id}")
    return voucher["balance"], voucher["status"]


# --- expiry (有効期限) ----------------------------------------------------------------------------


async def test_an_expired_voucher_is_refused_then_its_remainder_becomes_breakage(
    anode: AsyncNode,
) -> None:
    world = await make_world(anode)
    short = await ok(anode, "POST", "vouchers", {"amount": 5_000, "valid_days": 1})
    voucher_id = short["voucher_id"]
    assert short["expires_at"] == "2026-11-25T15:00:00Z"  # valid through 25 Nov, Tokyo time
    await spend(anode, world, voucher_id, 1_000)
    anode.clock.set(datetime(2026, 11, 25, 14, 59, 59, tzinfo=UTC))  # 23:59:59 on the last day
    await spend(anode, world, voucher_id, 500)

    redeem = {"payload": await payload_of(anode, voucher_id), "amount": 100}
    redeem["store_id"] = world.store_id
    anode.clock.advance(seconds=2)  # 00:00:01: the code is still fresh, the voucher is not
    await expect_refusal(anode, 409, "voucher.expired", "POST", "redemptions", redeem)

    anode.clock.advance(days=3)
    code_path = f"vouchers/{voucher_id}/code"
    await expect_refusal(anode, 409, "voucher.expired", "GET", code_path)
    gift = {"to": world.friend_id}
    await expect_refusal(anode, 409, "voucher.expired", "POST", f"vouchers/{voucher_id}/gift", gift)

    before = await ok(anode, "GET", "ledger/check")
    assert before["voucher_liability"] == 10_000 + 3_000 + 3_500
    swept = await ok(anode, "POST", "vouchers/expire")
    assert swept == {"expired": 1, "breakage": 3_500}
    after = await ok(anode, "GET", "ledger/check")
    assert after["ok"] is True
    assert after["voucher_liability"] == 10_000 + 3_000
    assert after["entries"] == before["entries"] + 1
    assert await balance(anode, voucher_id) == (0, "expired")
    assert await balance(anode, world.voucher_id) == (10_000, "active")
    assert await ok(anode, "POST", "vouchers/expire") == {"expired": 0, "breakage": 0}
    await expect_refusal(anode, 409, "voucher.expired", "GET", code_path)


# --- gifts (贈呈) ---------------------------------------------------------------------------------


async def test_a_gift_moves_value_once_and_lasts_six_months(anode: AsyncNode) -> None:
    world = await make_world(anode)
    gift = await ok(
        anode, "POST", f"vouchers/{world.voucher_id}/gift", {"to": world.friend_id, "amount": 4_000}
    )
    assert (gift["balance"], gift["holder"], gift["gifted"]) == (4_000, world.friend_id, True)
    assert gift["expires_at"] == "2027-05-24T15:00:00Z"  # through 24 May, Tokyo time
    assert (gift["source"]["balance"], gift["source"]["can_gift"]) == (6_000, False)
    check = await ok(anode, "GET", "ledger/check")
    assert (check["ok"], check["voucher_liability"]) == (True, 13_000)


GIFT_REFUSALS = {
    "a gifted voucher again": ("gift", "holder", None, 409, "voucher.gift_not_allowed"),
    "a second gift from the source": ("source", "third", None, 409, "voucher.gift_not_allowed"),
    "to its own holder": ("fresh", "holder", None, 409, "voucher.gift_to_holder"),
    "to an unknown customer": ("fresh", "cu_nobody", None, 422, "voucher.recipient_not_registered"),
    "more than the balance": ("fresh", "friend", 2_001, 409, "ledger.insufficient_balance"),
    "without a recipient": ("fresh", None, 100, 400, "request.invalid"),
}


@pytest.mark.parametrize("case", GIFT_REFUSALS, ids=list(GIFT_REFUSALS))
async def test_gift_rules(anode: AsyncNode, case: str) -> None:
    which, to, amount, status, code = GIFT_REFUSALS[case]
    world = await make_world(anode)
    third = await ok(anode, "POST", "customers", {"name": "鈴木一郎"})
    fresh = await ok(anode, "POST", "vouchers", {"amount": 2_000, "customer_id": world.holder_id})
    gift = await ok(
        anode, "POST", f"vouchers/{world.voucher_id}/gift", {"to": world.friend_id, "amount": 1}
    )
    voucher_id = {
        "gift": gift["voucher_id"],
        "source": world.voucher_id,
        "fresh": fresh["voucher_id"],
    }[which]
    recipients = {"holder": world.holder_id, "friend": world.friend_id}
    recipients["third"] = third["customer_id"]
    body: dict[str, object] = {} if to is None else {"to": recipients.get(to, to)}
    if amount is not None:
        body["amount"] = amount
    await expect_refusal(anode, status, code, "POST", f"vouchers/{voucher_id}/gift", body)


# --- voids (取消) ---------------------------------------------------------------------------------


async def test_a_void_restores_the_balance_and_reactivates_a_used_up_voucher(
    anode: AsyncNode,
) -> None:
    world = await make_world(anode)
    redemption = await spend(anode, world, world.other_voucher_id, 3_000)
    assert redemption["balance_after"] == 0
    assert await balance(anode, world.other_voucher_id) == (0, "exhausted")

    void_path = f"redemptions/{redemption['redemption_id']}/void"
    voided = await ok(anode, "POST", void_path)
    assert (voided["voided"], voided["balance_after"]) == (True, 3_000)
    assert await balance(anode, world.other_voucher_id) == (3_000, "active")
    shown = await ok(anode, "GET", f"redemptions/{redemption['redemption_id']}")
    assert shown["voided"] is True
    history = (await ok(anode, "GET", f"vouchers/{world.other_voucher_id}"))["history"]
    assert [(h["kind"], h["amount"]) for h in history] == [
        ("issue", 3_000),
        ("redeem", -3_000),
        ("void_redemption", 3_000),
    ]
    check = await ok(anode, "GET", "ledger/check")
    assert (check["ok"], check["voucher_liability"]) == (True, 13_000)

    await expect_refusal(anode, 409, "redemption.already_voided", "POST", void_path)
    await spend(anode, world, world.other_voucher_id, 3_000)  # the restored value spends again


async def test_a_void_is_allowed_only_on_the_business_day_of_the_redemption(
    anode: AsyncNode,
) -> None:
    world = await make_world(anode)
    first = await spend(anode, world, world.voucher_id, 1_000)
    second = await spend(anode, world, world.voucher_id, 2_000)
    anode.clock.set(TOKYO_MIDNIGHT.replace(hour=14, minute=59, second=59))  # 23:59:59 in Tokyo
    await ok(anode, "POST", f"redemptions/{first['redemption_id']}/void")
    anode.clock.set(TOKYO_MIDNIGHT)
    path = f"redemptions/{second['redemption_id']}/void"
    await expect_refusal(anode, 409, "redemption.void_window_closed", "POST", path)
    assert await balance(anode, world.voucher_id) == (8_000, "active")


async def test_a_void_takes_no_body(anode: AsyncNode) -> None:
    world = await make_world(anode)
    redemption = await spend(anode, world, world.voucher_id, 1_000)
    path = f"redemptions/{redemption['redemption_id']}/void"
    await expect_refusal(anode, 400, "request.invalid", "POST", path, {"amount": 500})


# --- issue (発行) ---------------------------------------------------------------------------------

ISSUE_REFUSALS = {
    "price above face": ({"amount": 1_000, "price": 1_001}, 422, "ledger.price_above_face"),
    "face over max_voucher_yen": ({"amount": 1_000_001}, 422, "ledger.amount_over_limit"),
    "unknown customer": ({"amount": 1_000, "customer_id": "cu_nobody"}, 404, "customer.not_found"),
    "unknown store": ({"amount": 1_000, "store_id": "st_nobody"}, 404, "store.not_found"),
    "customer id not text": ({"amount": 1_000, "customer_id": 7}, 400, "request.invalid"),
    "zero valid days": ({"amount": 1_000, "valid_days": 0}, 400, "request.invalid"),
    "ten years and a day": ({"amount": 1, "valid_days": 3_661}, 400, "request.invalid"),
    "valid days as text": ({"amount": 1_000, "valid_days": "30"}, 400, "request.invalid"),
    "fractional valid days": ({"amount": 1_000, "valid_days": 1.5}, 400, "request.invalid"),
    "valid days true": ({"amount": 1_000, "valid_days": True}, 400, "request.invalid"),
}


@pytest.mark.parametrize("case", ISSUE_REFUSALS, ids=list(ISSUE_REFUSALS))
async def test_issue_rules(anode: AsyncNode, case: str) -> None:
    body, status, code = ISSUE_REFUSALS[case]
    await make_world(anode)
    await expect_refusal(anode, status, code, "POST", "vouchers", body)


async def test_the_issue_limits_are_inclusive(anode: AsyncNode) -> None:
    await make_world(anode)
    top = await ok(anode, "POST", "vouchers", {"amount": 1_000_000, "price": 1_000_000})
    free = await ok(anode, "POST", "vouchers", {"amount": 1, "price": 0, "valid_days": 3_660})
    assert (top["balance"], free["balance"], free["price"]) == (1_000_000, 1, 0)
    check = await ok(anode, "GET", "ledger/check")
    assert (check["ok"], check["voucher_liability"]) == (True, 13_000 + 1_000_001)
