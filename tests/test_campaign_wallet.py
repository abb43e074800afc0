"""The wallet's campaign pages on a real node, in the resident's language: /wallet/campaigns, the
coupons the resident holds (a premium set's 共通券 and 専用券, what is left, until when, the way to
pay), only their own, and the campaigns giving now; the eligibility page and a refusal on it."""

from __future__ import annotations

import pytest

from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, ok
from tests.web_helpers import add_store, browsers, customer_signs_in, redeem_by_api

EMAIL = "hanako@example.jp"


async def test_a_resident_sees_their_coupons_in_simplified_chinese(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    premium = terms(
        anode.clock,
        "premium",
        name="さくら市プレミアム商品券",
        face_yen=13_000,
        price_yen=10_000,
        local_yen=5_000,
    )
    campaign = await ok(anode, "POST", "campaigns", premium)
    hanako = await ok(anode, "POST", "customers", {"name": "山田花子", "email": EMAIL})
    taro = await ok(anode, "POST", "customers", {"name": "田中太郎", "email": "taro@example.jp"})
    path = f"campaigns/{campaign['campaign_id']}/grants"
    granted = await ok(anode, "POST", path, {"customer_id": hanako["customer_id"]})
    others = await ok(anode, "POST", path, {"customer_id": taro["customer_id"]})
    common, local = granted["voucher_ids"]
    store_id = await add_store(anode, "本店")
    await redeem_by_api(anode, common, store_id, 3_000)
    async with browsers(anode) as new:
        resident = await customer_signs_in(new(), EMAIL, caplog)
        page = await resident.get("/wallet/campaigns?lang=zh-Hans")
    assert page.status == 200, page.text
    text = page.text
    assert '<html lang="zh-Hans">' in text and "我的活动优惠券" in text
    assert "山田花子" in text  # the header names the signed-in resident
    assert f'id="coupon-{common}" data-status="active" data-store-class="common"' in text
    assert f'id="coupon-{local}" data-status="active" data-store-class="local"' in text
    assert "JP¥5,000（面额 JP¥8,000）" in text  # the 共通券 after a ¥3,000 use
    assert "JP¥5,000（面额 JP¥5,000）" in text and "仅限本地小店" in text
    assert f'href="/wallet/v/{common}"' in text and "使用此优惠券付款" in text
    assert all(voucher not in text for voucher in others["voucher_ids"])  # only their own
    assert f'data-campaign="{campaign["campaign_id"]}"' in text and "进行中" in text


async def test_the_eligibility_page_and_its_refusal_read_in_korean(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    body = terms(anode.clock, eligibility=["residence"], postcodes=["8020001"])
    campaign = await ok(anode, "POST", "campaigns", body)
    await ok(anode, "POST", "customers", {"name": "김민지", "email": EMAIL})
    path = f"/wallet/campaigns/{campaign['campaign_id']}/verify"
    async with browsers(anode) as new:
        resident = await customer_signs_in(new(), EMAIL, caplog)
        page = await resident.get(f"{path}?lang=ko")
        assert page.status == 200, page.text
        assert '<html lang="ko">' in page.text and "참여 자격 확인" in page.text
        assert "거주지 우편번호" in page.text  # the check's name
        refused = await resident.signed_post(f"{path}/residence", {"postcode": "9990000"})
    assert refused.code == "eligibility.postcode_outside"
    assert "이 우편번호는 캠페인 대상 지역이 아닙니다" in refused.text
