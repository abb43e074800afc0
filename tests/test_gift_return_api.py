"""Taking a gift back by the admin API and by the wallet's pages, over HTTP (issue 15, item 4):
the value returns exactly, the books stay balanced, a refusal changes nothing, and the gift's
page and link say what became of it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import AsyncNode, ok
from tests.web_helpers import balance, browsers, customer_signs_in, customer_with_voucher

GIFT_PAGE = re.compile(r"^/wallet/gifts/(\d+)\?made=1$")
LINK = re.compile(r'id="gift-link">[^<]*(/take/[A-Za-z0-9_-]+)<')


async def test_a_gift_made_in_the_wallet_comes_back_by_the_api(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    voucher_id = await customer_with_voucher(anode, "taro@example.jp")
    async with browsers(anode) as new:
        taro = await customer_signs_in(new(), "taro@example.jp", caplog)
        for typed, code in (
            ("abc", "request.invalid_amount"),
            ("20000", "ledger.insufficient_balance"),
        ):
            wrong = await taro.signed_post(
                f"/wallet/v/{voucher_id}/gift/confirm", {"amount": typed}
            )
            assert wrong.code == code and f'value="{typed}"' in wrong.text  # inline, input kept
            assert 'id="give"' not in wrong.text
        confirm = await taro.signed_post(f"/wallet/v/{voucher_id}/gift/confirm", {"amount": "3000"})
        assert confirm.status == 200 and 'id="confirm-remains">¥7,000<' in confirm.text
        assert await balance(anode, voucher_id) == 10_000  # the confirm step changes nothing
        made = await taro.signed_post(f"/wallet/v/{voucher_id}/gift", {"amount": "3000"})
        found = GIFT_PAGE.match(made.location)
        assert made.status == 303 and found, made.text
        gift_id = found.group(1)
        shown = await taro.get(made.location)
        again = await taro.get(f"/wallet/gifts/{gift_id}")
        link, link_again = LINK.search(shown.text), LINK.search(again.text)
        assert link and link_again and link_again.group(1) == link.group(1)  # shown again

        status, back = await anode.call("POST", f"vouchers/{gift_id}/gift-return")
        assert status == 200, back
        assert back["status"] == "void" and back["balance"] == 0
        assert back["source"]["balance"] == 10_000 and back["source"]["can_gift"] is True
        assert await balance(anode, voucher_id) == 10_000
        status, twice = await anode.call("POST", f"vouchers/{gift_id}/gift-return")
        assert status == 409 and twice["error"]["code"] == "voucher.gift_not_returnable"

        # The giver's page and the link both say the gift is gone; the wallet's take-back too.
        gone = await taro.get(f"/wallet/gifts/{gift_id}")
        assert 'id="gift-gone"' in gone.text and "/take/" not in gone.text
        refused = await taro.signed_post(f"/wallet/gifts/{gift_id}/return")
        assert refused.status == 409 and refused.code == "voucher.gift_not_returnable"
        landing = await new().get(link.group(1))
        assert landing.status == 410 and 'data-state="withdrawn"' in landing.text
    assert (await ok(anode, "GET", "ledger/check"))["ok"] is True


async def test_a_gift_the_api_made_cannot_be_taken_back(anode: AsyncNode) -> None:
    voucher_id = await customer_with_voucher(anode, "taro@example.jp")
    friend = await ok(anode, "POST", "customers", {"name": "花子", "email": "hanako@example.jp"})
    gift = await ok(
        anode, "POST", f"vouchers/{voucher_id}/gift", {"to": friend["customer_id"], "amount": 1_000}
    )
    status, refused = await anode.call("POST", f"vouchers/{gift['voucher_id']}/gift-return")
    assert status == 409 and refused["error"]["code"] == "voucher.gift_already_received"
    status, not_gift = await anode.call("POST", f"vouchers/{voucher_id}/gift-return")
    assert status == 409 and not_gift["error"]["code"] == "voucher.gift_not_returnable"
    status, unknown = await anode.call("POST", "vouchers/123456789012/gift-return")
    assert status == 404 and unknown["error"]["code"] == "voucher.not_found"
    assert await balance(anode, voucher_id) == 9_000
    assert await balance(anode, str(gift["voucher_id"])) == 1_000
    assert (await ok(anode, "GET", "ledger/check"))["ok"] is True
