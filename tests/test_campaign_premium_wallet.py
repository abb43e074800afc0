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
from node.payments.model import PaymentStatus
from node.runtime import NODE
from tests.campaign_helpers import terms
from tests.campaign_verify_helpers import Office, office
from tests.conftest import FakeClock, loop_watchdog
from tests.payments_helpers import Shop
from tests.premium_helpers import DECLINED, VISA
from tests.stripe_server import card, localstripe_in_loop
from tests.test_campaign_premium_sale import _charged_not_settled

platform.platform()  # the stripe SDK asks once per process (`uname -p`): here, not in the loop
PURCHASE_KEY = re.compile(r'name="purchase" value="(cp_[a-z2-7]+)"')


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
    pdf_link = re.search(r'href="(/wallet/shop/payments/[^"]+/receipt.pdf)"', receipt.text)
    assert pdf_link is not None
    pdf = await hanako.http.get(f"{city.base_url}{pdf_link.group(1)}")
    assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF")

    status, shown = await city.call("GET", f"campaigns/{cid}")
    assert status == 200
    assert (shown["granted_sets"], shown["paid_by_card_yen"], shown["reconciled"]) == (
        1,
        10_000,
        True,
    )
    listed = await hanako.get(f"/wallet/campaigns/{cid}")
    assert 'id="my-purchases"' in listed.text and 'id="all-received"' in listed.text


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
