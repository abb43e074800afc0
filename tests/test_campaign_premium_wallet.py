"""Buying a premium set by card on the campaign's wallet page, over HTTP on a real node with
localstripe (node tier) and residents signed in by mailed link: the page shows the price, the
face, the 専用券 part and the 資金決済法 display before the card form (its CSP widened for
Stripe.js alone); a resident without the campaign's check is refused in their language and
charged nothing; once verified they buy, and the purchase's page is the receipt (price, face,
card, both vouchers, the PDF); a declined card and a form posted twice change nothing more."""

from __future__ import annotations

import platform
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from node.payments import queries
from node.payments.gateway import GATEWAY
from node.payments.model import ABANDONED_AFTER_S, PaymentStatus
from node.runtime import NODE
from tests.campaign_helpers import terms
from tests.campaign_verify_helpers import Office, office
from tests.conftest import FakeClock, loop_watchdog
from tests.payments_helpers import Shop
from tests.premium_helpers import DECLINED, VISA
from tests.stripe_server import card, localstripe_in_loop
from tests.test_campaign_premium_sale import _charged_not_settled
from tests.test_web_partner_receipts import pdf_text

platform.platform()  # the stripe SDK asks once per process (`uname -p`): here, not in the loop
PURCHASE_KEY = re.compile(r'name="purchase" value="(cp_[a-z2-7]+)"')
# The set's receipt: paid ¥10,000 for the campaign's ¥12,000, the 共通券 then the 専用券.
_SET_RECEIPT = re.compile(
    r"¥10,000-.*北九州プレミアム商品券.*¥12,000.*共通券 All stores ¥10,000.*専用券 Local shops only ¥2,000"
)


@pytest.fixture
async def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Office]:
    with loop_watchdog():
        async with (
            localstripe_in_loop() as api_base,
            office(tmp_path / "city", FakeClock(), monkeypatch, stripe_api=api_base) as made,
        ):
            made.stripe_api = api_base  # type: ignore[attr-defined]
            yield made


async def _premium(city: Office, **extra: object) -> str:
    wanted: dict[str, object] = {
        "name": "北九州プレミアム商品券",
        "face_yen": 12_000,
        "price_yen": 10_000,
        "local_yen": 2_000,
        "stock": 5,
        "eligibility": ["residence"],
        "postcodes": ["802"],
        **extra,
    }
    body = terms(city.clock, kind="premium", **wanted)
    status, made = await city.call("POST", "campaigns", body)
    assert status == 201, made
    return str(made["campaign_id"])


async def _card(city: Office, number: str) -> str:
    return await card(city.stripe_api, number)  # type: ignore[attr-defined]


async def test_a_resident_verifies_then_buys_a_set_by_card(city: Office) -> None:
    cid = await _premium(city)
    hanako, _ = await city.resident("hanako@example.jp")
    page = await hanako.get(f"/wallet/campaigns/{cid}")
    assert page.status == 200, page.text[:400]
    text = page.text
    assert 'id="legal-display"' in text and text.index("legal-display") < text.index("pay-form")
    assert "¥10,000" in text and "¥12,000" in text and "¥2,000" in text
    assert "connect-src 'self' http://127.0.0.1" in page.headers["Content-Security-Policy"]
    key = PURCHASE_KEY.search(text)
    assert key is not None

    # Not verified yet: refused in Korean, nothing charged, nothing held.
    refused = await hanako.signed_post(
        f"/wallet/campaigns/{cid}/buy?lang=ko",
        {"payment_method": await _card(city, VISA), "purchase": key.group(1)},
    )
    assert (refused.status, refused.code) == (403, "campaign.not_eligible"), refused.text[:300]
    assert 'lang="ko"' in refused.text
    status, shown = await city.call("GET", f"campaigns/{cid}")
    assert status == 200 and (shown["held_sets"], shown["granted_sets"]) == (0, 0)

    proved = await hanako.signed_post(
        f"/wallet/campaigns/{cid}/verify/residence", {"postcode": "802-0001"}
    )
    assert proved.status == 303, proved.text[:300]
    form = {"payment_method": await _card(city, VISA), "purchase": key.group(1)}
    bought = await hanako.signed_post(f"/wallet/campaigns/{cid}/buy", form)
    assert bought.status == 303, bought.text[:300]
    again = await hanako.signed_post(f"/wallet/campaigns/{cid}/buy", form)  # posted twice
    assert again.headers["Location"] == bought.headers["Location"]
    receipt = await hanako.get(bought.headers["Location"])
    assert receipt.status == 200, receipt.text[:300]
    assert 'data-state="issued"' in receipt.text
    assert len(re.findall(r'href="/wallet/v/', receipt.text)) == 2  # 共通券 and 専用券
    assert 'data-class="local"' in receipt.text and "¥10,000" in receipt.text
    # The 共通券 first, then the 専用券.
    assert re.findall(r'data-class="(\w+)"', receipt.text) == ["common", "local"]
    pdf_link = re.search(r'href="(/wallet/campaigns/[^"]+/receipt.pdf)"', receipt.text)
    assert pdf_link is not None
    status, text = await pdf_text(hanako, pdf_link.group(1))
    assert status == 200, text
    assert _SET_RECEIPT.search(" ".join(text.split())) is not None, text
    assert "オンラインショップ" not in text and "北九州プレミアム商品券" in text
    # The shop's address of the same payment sends to the set's receipt, never the shop's.
    payment_id = bought.headers["Location"].rsplit("/", 1)[1]
    shop_pdf = await hanako.http.get(
        f"{city.base_url}/wallet/shop/payments/{payment_id}/receipt.pdf", allow_redirects=False
    )
    assert (shop_pdf.status, shop_pdf.headers["Location"]) == (303, pdf_link.group(1))

    status, shown = await city.call("GET", f"campaigns/{cid}")
    assert status == 200
    assert (shown["granted_sets"], shown["paid_by_card_yen"], shown["reconciled"]) == (
        1,
        10_000,
        True,
    )
    listed = await hanako.get(f"/wallet/campaigns/{cid}")
    assert 'id="my-purchases"' in listed.text and 'id="all-received"' in listed.text
    here = re.findall(r'id="voucher-[^"]+">([^<]+)<', listed.text)
    faces = [h.split(" ")[0].removeprefix("JP") for h in here]  # JP¥: the Korean cookie
    assert faces == ["¥10,000", "¥2,000"]  # the 共通券 first


async def test_a_declined_card_is_said_on_the_page_and_grants_nothing(city: Office) -> None:
    cid = await _premium(city, eligibility=None, postcodes=None, stock=1)
    jiro, _ = await city.resident("jiro@example.jp")
    page = await jiro.get(f"/wallet/campaigns/{cid}?lang=en")
    key = PURCHASE_KEY.search(page.text)
    assert key is not None
    form = {"payment_method": await _card(city, DECLINED), "purchase": key.group(1)}
    declined = await jiro.signed_post(f"/wallet/campaigns/{cid}/buy", form)
    assert (declined.status, declined.code) == (402, "payment.declined"), declined.text[:300]
    status, shown = await city.call("GET", f"campaigns/{cid}")
    assert status == 200 and (shown["held_sets"], shown["granted_sets"]) == (0, 0)
    # The one set is still there: bought with a good card, then the page says sold out.
    fresh = PURCHASE_KEY.search((await jiro.get(f"/wallet/campaigns/{cid}")).text)
    assert fresh is not None and fresh.group(1) != key.group(1)
    form = {"payment_method": await _card(city, VISA), "purchase": fresh.group(1)}
    bought = await jiro.signed_post(f"/wallet/campaigns/{cid}/buy", form)
    assert bought.status == 303, bought.text[:300]
    saburo, _ = await city.resident("saburo@example.jp")
    page = await saburo.get(f"/wallet/campaigns/{cid}")
    assert 'id="sold-out"' in page.text and 'id="pay-form"' not in page.text


async def test_a_purchase_under_another_campaign_is_not_there_and_not_settled(
    city: Office,
) -> None:
    """The campaign in the address is checked before Stripe is asked: a paid purchase looked
    up under another campaign answers payment.not_found and stays as it was (not settled)."""
    assert city.app is not None
    node, gateway = city.app[NODE], city.app[GATEWAY].gateway
    assert gateway is not None
    free = {"eligibility": None, "postcodes": None}
    bought, other = await _premium(city, **free), await _premium(city, **free)
    hanako, customer = await city.resident("hanako@example.jp")
    api_base: str = city.stripe_api  # type: ignore[attr-defined]
    shop = Shop(node, gateway, city.base_url, api_base, city.api, city.clock)
    payment_id = await _charged_not_settled(shop, bought, customer)
    wrong = await hanako.get(f"/wallet/campaigns/{other}/payments/{payment_id}")
    assert (wrong.status, wrong.code) == (404, "payment.not_found"), wrong.text[:300]
    stored = await queries.get_payment(node.require_reader(), payment_id)
    assert stored is not None and stored.status == PaymentStatus.PENDING  # Stripe not asked
    right = await hanako.get(f"/wallet/campaigns/{bought}/payments/{payment_id}")
    assert right.status == 200 and 'data-state="issued"' in right.text


async def test_the_legal_display_is_in_the_readers_language_beside_the_binding_japanese(
    city: Office,
) -> None:
    cid = await _premium(city, eligibility=None, postcodes=None)
    hanako, _ = await city.resident("hanako@example.jp")
    titles = {
        "ko": "자금결제법에 따른 표시",
        "zh-Hans": "基于《资金结算法》的标示",
        "zh-Hant": "依據《資金結算法》之標示",
        "en": "Display under the Payment Services Act",
    }
    for lang, title in titles.items():
        page = (await hanako.get(f"/wallet/campaigns/{cid}?lang={lang}")).text
        shown = page[page.index('id="legal-display"') : page.index('id="legal-binding"')]
        assert title in shown and "資金決済法に基づく表示" not in shown, lang
        assert 'id="legal-binding-note"' in page
        japanese = page[page.index('id="legal-japanese"') :]
        assert 'lang="ja"' in page[page.index('id="legal-japanese"') - 40 :][:80]
        assert "払戻し (現金への交換) はできません" in japanese and title not in japanese
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), lang  # the second display's ids are its own
    japanese_page = (await hanako.get(f"/wallet/campaigns/{cid}?lang=ja")).text
    assert "資金決済法に基づく表示" in japanese_page and 'id="legal-binding"' not in japanese_page
    # The shop's own pages keep their display (Japanese, or English): no note, no second copy.
    terms = (await hanako.get("/terms?lang=ko")).text
    assert 'id="legal-display"' in terms and 'id="ja-legal-display"' not in terms
    assert "자금결제법" not in terms


async def test_card_purchases_are_listed_in_the_wallet_with_their_state(city: Office) -> None:
    cid = await _premium(city, eligibility=None, postcodes=None)
    jiro, _ = await city.resident("jiro@example.jp")
    key = PURCHASE_KEY.search((await jiro.get(f"/wallet/campaigns/{cid}")).text)
    assert key is not None
    form = {"payment_method": await _card(city, DECLINED), "purchase": key.group(1)}
    declined = await jiro.signed_post(f"/wallet/campaigns/{cid}/buy", form)
    assert declined.status == 402
    key = PURCHASE_KEY.search((await jiro.get(f"/wallet/campaigns/{cid}")).text)
    assert key is not None
    form = {"payment_method": await _card(city, VISA), "purchase": key.group(1)}
    bought = await jiro.signed_post(f"/wallet/campaigns/{cid}/buy", form)
    assert bought.status == 303, bought.text[:300]
    listed = (await jiro.get("/wallet/campaigns?lang=zh-Hant")).text
    states = re.findall(
        r'<li data-payment="(cp_\w+)" data-state="(\w+)"><a[^>]+href="([^"]+)"', listed
    )
    assert sorted(s for _, s, _ in states) == ["failed", "issued"], listed[:600]
    issued = next(href for _, state, href in states if state == "issued")
    assert issued == bought.headers["Location"]
    assert "已付款：商品券已存入您的錢包" in listed and "北九州プレミアム商品券" in listed
    other, _ = await city.resident("saburo@example.jp")
    assert 'id="set-purchases"' not in (await other.get("/wallet/campaigns")).text


async def test_sets_all_held_by_buyers_paying_now_are_said_so_not_sold_out(city: Office) -> None:
    """The one set left is held for a card being charged: the next resident is told it is
    held and comes back within the hour (no pay form that would be refused); once the hold
    lapses, the pay form is back."""
    assert city.app is not None
    node, gateway = city.app[NODE], city.app[GATEWAY].gateway
    assert gateway is not None
    cid = await _premium(city, eligibility=None, postcodes=None, stock=1)
    _, first = await city.resident("hanako@example.jp")
    second, _ = await city.resident("jiro@example.jp")
    api_base: str = city.stripe_api  # type: ignore[attr-defined]
    shop = Shop(node, gateway, city.base_url, api_base, city.api, city.clock)
    await _charged_not_settled(shop, cid, first)
    page = (await second.get(f"/wallet/campaigns/{cid}?lang=ko")).text
    assert 'data-availability="all_held"' in page and 'id="all-held"' in page
    assert 'id="pay-form"' not in page and 'id="sold-out"' not in page
    assert "결제 중인 분들이 모두 확보함" in page
    listed = (await second.get("/wallet/campaigns?lang=ja")).text
    assert "決済中の方がすべて確保中" in listed
    public = (await second.get("/campaigns?lang=ja")).text
    assert "決済中の方がすべて確保中" in public
    city.clock.advance(seconds=ABANDONED_AFTER_S + 1)
    page = (await second.get(f"/wallet/campaigns/{cid}")).text
    assert 'data-availability="open"' in page and 'id="pay-form"' in page
