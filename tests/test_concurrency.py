"""Two staff scanning the same voucher at once can never spend more than its balance."""

from __future__ import annotations

import asyncio

from tests.conftest import AsyncNode


async def _setup(anode: AsyncNode, amount: int) -> tuple[str, str]:
    status, store = await anode.call("POST", "stores", {"name": "Shinjuku"})
    assert status == 201
    status, voucher = await anode.call("POST", "vouchers", {"amount": amount})
    assert status == 201
    return str(store["store_id"]), str(voucher["voucher_id"])


async def test_hundred_concurrent_redemptions_spend_exactly_the_balance(anode: AsyncNode) -> None:
    store_id, voucher_id = await _setup(anode, 1_000)
    payloads = []
    for _ in range(100):
        status, code = await anode.call("GET", f"vouchers/{voucher_id}/code")
        assert status == 200
        payloads.append(code["payload"])
    assert len(set(payloads)) == 100

    results = await asyncio.gather(
        *(
            anode.call("POST", "redemptions", {"payload": p, "amount": 100, "store_id": store_id})
            for p in payloads
        )
    )

    accepted = [body for status, body in results if status == 201]
    refused = [body for status, body in results if status != 201]
    assert len(accepted) == 10
    assert len(refused) == 90
    assert {b["error"]["code"] for b in refused} == {"ledger.insufficient_balance"}  # type: ignore[index]
    assert sorted(b["balance_after"] for b in accepted) == list(range(0, 1_000, 100))
    assert len({b["receipt_no"] for b in accepted}) == 10
    status, voucher = await anode.call("GET", f"vouchers/{voucher_id}")
    assert (voucher["balance"], voucher["status"]) == (0, "exhausted")
    status, check = await anode.call("GET", "ledger/check")
    assert check["ok"] is True
    assert check["voucher_liability"] == 0


async def test_the_same_code_scanned_twice_at_once_is_accepted_once(anode: AsyncNode) -> None:
    store_id, voucher_id = await _setup(anode, 1_000)
    _, code = await anode.call("GET", f"vouchers/{voucher_id}/code")
    body = {"payload": code["payload"], "amount": 100, "store_id": store_id}
    results = await asyncio.gather(*(anode.call("POST", "redemptions", body) for _ in range(20)))
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1
    # The others are retries of the same request: each answered with that one redemption.
    assert statuses.count(200) == 19
    assert len({b["redemption_id"] for _, b in results}) == 1
    other_amounts = await asyncio.gather(
        *(anode.call("POST", "redemptions", body | {"amount": 101 + n}) for n in range(10))
    )
    assert {b["error"]["code"] for _, b in other_amounts} == {"voucher.code_used"}
    _, voucher = await anode.call("GET", f"vouchers/{voucher_id}")
    assert voucher["balance"] == 900
