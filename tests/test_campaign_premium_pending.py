"""A resident's own card purchase still being paid, and an old purchase's receipt, on the
campaign's wallet pages over HTTP (node tier: a real node, localstripe, residents signed in by
mailed link). Their own live hold is their purchase in progress, linked, never "held for
someone paying by card"; no pay form is offered that the per-person limit (which counts their
own holds) would refuse. A receipt lists its set's vouchers through its grant, whatever the
wallet's capped list of coupons still shows."""

from __future__ import annotations

import re

import pytest

from node.campaigns import queries as campaign_queries
from node.payments.gateway import GATEWAY
from node.payments.model import ABANDONED_AFTER_S
from node.runtime import NODE
from tests.campaign_verify_helpers import Office
from tests.payments_helpers import Shop
from tests.premium_helpers import VISA
from tests.test_campaign_premium_sale import _charged_not_settled
from tests.test_campaign_premium_wallet import _SET_RECEIPT, PURCHASE_KEY, _card, _premium, city
from tests.test_web_partner_receipts import pdf_text

__all__ = ["city"]  # the fixture, shared with the wallet's tests
FREE = {"eligibility": None, "postcodes": None}


def _shop(city: Office) -> Shop:
    assert city.app is not None
    node, gateway = city.app[NODE], city.app[GATEWAY].gateway
    assert gateway is not None
    api_base: str = city.stripe_api  # type: ignore[attr-defined]
    return Shop(node, gateway, city.base_url, api_base, city.api, city.clock)


async def test_ones_own_pending_purchase_is_in_progress_not_a_pay_form(city: Office) -> None:
    """per_person 1, a set held for the resident's unfinished payment: the page links to the
    purchase, offers no pay form (it would be refused: campaign.limit_reached), and the
    campaign is open for everyone else, not "all held"."""
    cid = await _premium(city, stock=5, per_person=1, **FREE)
    hanako, customer = await city.resident("hanako@example.jp")
    payment_id = await _charged_not_settled(_shop(city), cid, customer)
    page = (await hanako.get(f"/wallet/campaigns/{cid}?lang=ja")).text
    assert 'id="in-progress"' in page and "お手続き中のご購入があります" in page
    assert f'href="/wallet/campaigns/{cid}/payments/{payment_id}"' in page
    assert 'id="pay-form"' not in page and 'id="all-held"' not in page
    assert 'data-availability="open"' in page and 'id="no-more"' in page
    # The link is the purchase's page: asked of Stripe, the paid set is granted there.
    shown = await hanako.get(f"/wallet/campaigns/{cid}/payments/{payment_id}")
    assert shown.status == 200 and 'data-state="issued"' in shown.text
    after = (await hanako.get(f"/wallet/campaigns/{cid}")).text
    assert 'id="in-progress"' not in after and 'id="all-received"' in after


async def test_ones_own_hold_on_the_last_set_is_not_said_held_for_someone(city: Office) -> None:
    """The last set held for the resident's own payment (per_person 2): their page says their
    purchase is in progress, neither "all held" nor a pay form for a set that is not there;
    another resident is told every set left is held."""
    cid = await _premium(city, stock=1, per_person=2, **FREE)
    hanako, customer = await city.resident("hanako@example.jp")
    jiro, _ = await city.resident("jiro@example.jp")
    await _charged_not_settled(_shop(city), cid, customer)
    page = (await hanako.get(f"/wallet/campaigns/{cid}?lang=ko")).text
    assert 'id="in-progress"' in page and "구매가 진행 중입니다" in page
    assert 'data-availability="all_held"' not in page and 'id="all-held"' not in page
    assert 'id="pay-form"' not in page and 'id="no-more"' in page
    listed = (await hanako.get("/wallet/campaigns?lang=ja")).text
    assert "決済中の方がすべて確保中" not in listed  # her own hold, on her wallet's list too
    other = (await jiro.get(f"/wallet/campaigns/{cid}")).text
    assert 'data-availability="all_held"' in other and 'id="all-held"' in other
    assert 'id="in-progress"' not in other and 'id="pay-form"' not in other
    # Once her hold lapses the set is back, and nothing is in progress.
    city.clock.advance(seconds=ABANDONED_AFTER_S + 1)
    page = (await hanako.get(f"/wallet/campaigns/{cid}")).text
    assert 'id="in-progress"' not in page and 'id="pay-form"' in page


async def test_a_second_set_may_be_bought_beside_ones_purchase_in_progress(city: Office) -> None:
    """per_person 2 and sets left: the purchase in progress is shown, and the pay form too."""
    cid = await _premium(city, stock=5, per_person=2, **FREE)
    hanako, customer = await city.resident("hanako@example.jp")
    await _charged_not_settled(_shop(city), cid, customer)
    page = (await hanako.get(f"/wallet/campaigns/{cid}")).text
    assert 'id="in-progress"' in page and 'id="pay-form"' in page and 'id="no-more"' not in page


async def test_an_old_purchases_receipt_lists_its_set_past_the_wallets_cap(
    city: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wallet's list of coupons is capped (LIST_LIMIT, newest first; lowered to 2 here):
    after a second set, the first set's vouchers are past the cap, and its receipt (page and
    PDF) still lists both, read through its hold's grant."""
    monkeypatch.setattr(campaign_queries, "LIST_LIMIT", 2)
    cid = await _premium(city, stock=5, per_person=2, **FREE)
    hanako, _ = await city.resident("hanako@example.jp")
    bought = []
    for _ in range(2):
        key = PURCHASE_KEY.search((await hanako.get(f"/wallet/campaigns/{cid}")).text)
        assert key is not None
        form = {"payment_method": await _card(city, VISA), "purchase": key.group(1)}
        made = await hanako.signed_post(f"/wallet/campaigns/{cid}/buy", form)
        assert made.status == 303, made.text[:300]
        bought.append(made.headers["Location"])
        city.clock.advance(seconds=60)  # the first set's grant is the older
    listed = (await hanako.get(f"/wallet/campaigns/{cid}")).text
    assert len(re.findall(r'id="voucher-', listed)) == 2  # the cap: the newer set alone
    first = await hanako.get(bought[0])
    assert first.status == 200 and 'data-state="issued"' in first.text
    assert re.findall(r'data-class="(\w+)"', first.text) == ["common", "local"]
    vouchers = set(re.findall(r'href="/wallet/v/([^"]+)"', first.text))
    assert len(vouchers) == 2 and not vouchers & set(re.findall(r'id="voucher-([^"]+)"', listed))
    pdf_link = re.search(r'href="(/wallet/campaigns/[^"]+/receipt.pdf)"', first.text)
    assert pdf_link is not None
    status, text = await pdf_text(hanako, pdf_link.group(1))
    assert status == 200, text
    assert _SET_RECEIPT.search(" ".join(text.split())) is not None, text
