"""The campaign pages in each of their five languages: the public list of campaigns rendered in
ja, en, zh-Hans, zh-Hant and ko (kinds, money, dates, counts, the picker, escaping), error texts
with their facts in Chinese and Korean, the list of a real node's campaigns in Korean, and a
refusal answered as a page in the reader's language by a real aiohttp server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from aiohttp import web

from node.campaigns.model import Campaign, CampaignKind
from node.errors import KippuError, ValidationError
from node.home import NodeHome
from node.runtime import NODE
from node.server import load_node
from node.web.brand import PageBrand
from node.web.campaign_public import listing
from node.web.campaign_render import in_reader_language, page_text
from node.web.campaign_words import AVAILABILITY_NAMES, KIND_HOW, KIND_NAMES
from node.web.catalog import BY_TAG, LANGUAGES, Language
from node.web.catalog_errors import error_text
from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, FakeClock, ok

KO, ZH_HANS, ZH_HANT = BY_TAG["ko"], BY_TAG["zh-Hans"], BY_TAG["zh-Hant"]
TOKYO = ZoneInfo("Asia/Tokyo")


async def get_page(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    async with http.get(url, headers=headers or {}) as response:
        return response.status, await response.text()


# -- pages and errors in every language ------------------------------------------------------


def a_campaign(kind: CampaignKind, **terms: Any) -> Campaign:
    start = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 09:00 in Tokyo
    values: dict[str, Any] = {
        "campaign_id": f"cmp-{kind.value}",
        "kind": kind,
        "name": "さくら市プレミアム商品券",
        "terms": "お一人様2セットまで",
        "face_yen": 13_000,
        "price_yen": 10_000,
        "local_yen": 5_000,
        "book_count": 1,
        "stock": 100,
        "per_person": 2,
        "budget_yen": None,
        "starts_at": start,
        "ends_at": start + timedelta(days=30),
        "use_until": start + timedelta(days=90),
        "eligibility": frozenset(),
        "postcodes": (),
        "granted_sets": 0,
        "granted_yen": 0,
        "closed_at": None,
        "created_at": start,
        "actor": "admin",
    }
    values.update(terms)
    return Campaign(**values)


NOW = datetime(2026, 12, 2, tzinfo=UTC)
LISTINGS = [
    listing(a_campaign(CampaignKind.PREMIUM), NOW),
    listing(
        a_campaign(CampaignKind.TICKET_BOOK, face_yen=500, price_yen=0, local_yen=0, book_count=5),
        NOW,
    ),
]
# the premium set's kind, value, price, local part, a date, per person; the ticket book's
EXPECTED = {
    "ja": (
        "プレミアム商品券",
        "額面",
        "¥13,000",
        "販売価格",
        "うち¥5,000は地域の中小店舗専用",
        "2026年12月1日 09:00",
        "2回まで",
        "¥500 × 5枚",
        "無料",
        "受付中",
    ),
    "en": (
        "Premium voucher",
        "Value",
        "¥13,000",
        "Price",
        "¥5,000 of it only at the small local shops",
        "December 1, 2026 09:00",
        "Up to 2 times",
        "5 coupons of ¥500",
        "Free",
        "Open now",
    ),
    "zh-Hans": (
        "超值商品券",
        "面额",
        "JP¥13,000",
        "售价",
        "其中JP¥5,000仅限本地小店使用",
        "2026年12月1日 09:00",
        "最多2次",
        "JP¥500 × 5张",
        "免费",
        "进行中",
    ),
    "zh-Hant": (
        "超值商品券",
        "面額",
        "¥13,000",
        "售價",
        "其中¥5,000僅限在地小店使用",
        "2026年12月1日 09:00",
        "最多2次",
        "¥500 × 5張",
        "免費",
        "進行中",
    ),
    "ko": (
        "프리미엄 상품권",
        "액면가",
        "JP¥13,000",
        "판매 가격",
        "그중 JP¥5,000은 지역 소상점 전용",
        "2026년 12월 1일 09:00",
        "최대 2회",
        "JP¥500 × 5장",
        "무료",
        "진행 중",
    ),
}


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.tag)
def test_the_campaign_list_reads_in_each_language(language: Language) -> None:
    office = PageBrand("さくら市 <商工会>", "さくら市")
    page = page_text(
        "campaigns/list.html",
        language,
        zone=TOKYO,
        office=office,
        links={other.tag: f"/campaigns?lang={other.tag}" for other in LANGUAGES},
        context={
            "listings": LISTINGS,
            "kind_names": KIND_NAMES,
            "kind_how": KIND_HOW,
            "availability_names": AVAILABILITY_NAMES,
        },
    )
    assert f'<html lang="{language.tag}">' in page
    for expected in EXPECTED[language.tag]:
        assert expected in page, (language.tag, expected)
    assert "<商工会>" not in page and "&lt;商工会&gt;" in page  # the office's name is escaped
    for other in LANGUAGES:  # the picker names every language in itself
        assert f'hreflang="{other.tag}" id="lang-{other.tag}"' in page
        assert other.native_name in page


def test_an_error_reads_in_korean_and_chinese_with_its_facts() -> None:
    invalid = {"field": "amount", "max_chars": 5}
    assert error_text("request.invalid", invalid, KO) == (
        "‘금액’의 입력 내용에 오류가 있습니다. 5자 이내로 입력해 주세요. 확인 후 다시 시도해 주세요."
    )
    assert error_text("request.invalid_amount", {"maximum": 50_000}, ZH_HANS) == (
        "金额请输入1日元以上的整数（数字0-9）。上限为JP¥50,000。"
    )
    assert error_text("auth.throttled", {}, ZH_HANT) == "嘗試次數過多。請等待後重試。"
    assert error_text("no.such_code", {}, KO) == error_text("internal.error", {}, KO)
    assert error_text("auth.csrf", {}, BY_TAG["ja"]).startswith("フォームの有効期限が切れました")


# -- a real node


async def test_the_list_shows_the_offices_campaigns_in_korean(anode: AsyncNode) -> None:
    body = terms(anode.clock, "premium", face_yen=13_000, price_yen=10_000, per_person=3)
    made = await ok(anode, "POST", "campaigns", body)
    closed = await ok(anode, "POST", "campaigns", terms(anode.clock, name="終了した配布"))
    await ok(anode, "POST", f"campaigns/{closed['campaign_id']}/close")
    async with aiohttp.ClientSession() as http:
        status, text = await get_page(http, f"{anode.base_url}/campaigns?lang=ko")
    assert status == 200
    assert f'id="campaign-{made["campaign_id"]}"' in text and body["name"] in text
    assert "프리미엄 상품권" in text and "JP¥13,000" in text and "JP¥10,000" in text
    assert "최대 3회" in text and "진행 중" in text
    assert "終了した配布" not in text and 'id="no-campaigns"' not in text


async def test_a_refusal_reads_in_the_readers_language(home: NodeHome, clock: FakeClock) -> None:
    @in_reader_language(home="/campaigns")
    async def refuse(request: web.Request) -> web.StreamResponse:
        raise ValidationError("too long", field="amount", max_chars=5)

    @in_reader_language(home="/campaigns")
    async def fail(request: web.Request) -> web.StreamResponse:
        raise KippuError("a secret detail")

    app = web.Application()
    app[NODE] = load_node(home, clock)
    app.router.add_get("/campaigns/refuse", refuse)
    app.router.add_get("/campaigns/fail", fail)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}/campaigns"
    try:
        async with aiohttp.ClientSession() as http:
            status, text = await get_page(http, f"{base}/refuse?lang=zh-Hans")
            assert status == 400 and '<html lang="zh-Hans">' in text
            assert 'data-code="request.invalid" data-field="amount"' in text
            assert "“金额”的输入内容有误。请输入不超过5个字符。请检查后重试。" in text
            assert 'href="/campaigns" class="button secondary" id="back">返回' in text
            status, text = await get_page(http, f"{base}/fail", {"Accept-Language": "ko"})
            assert status == 500 and "시스템에 문제가 발생하여 기록되었습니다" in text
            assert "secret" not in text
    finally:
        await runner.cleanup()
