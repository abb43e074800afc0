"""Receiving a campaign coupon in the wallet, through a real node over HTTP with residents signed
in by the link mailed to them (aiosmtpd): the campaign's page, the 受け取る button through the
waiting room, its refusals on the page in the reader's language, and a waiting ticket's page that
checks its place until the grant (and is no one else's)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from node.admission.rooms import Pacing
from node.campaigns.rush import RUSH
from tests.campaign_helpers import terms
from tests.campaign_verify_helpers import Office, office
from tests.conftest import FakeClock, loop_watchdog
from tests.web_helpers import Page, Person

VOUCHER_LINK = re.compile(r'href="/wallet/v/([A-Za-z0-9_-]+)"')


@pytest.fixture
async def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Office:  # type: ignore[misc]
    with loop_watchdog():
        async with office(tmp_path / "city", FakeClock(), monkeypatch) as made:
            yield made


async def _campaign(city: Office, **extra: object) -> str:
    status, made = await city.call("POST", "campaigns", terms(city.clock, **extra))
    assert status == 201, made
    return str(made["campaign_id"])


def _refused(page: Page, code: str, status: int) -> None:
    assert (page.status, page.code) == (status, code), page.text[:400]


async def _receive(person: Person, campaign_id: str) -> Page:
    return await person.signed_post(f"/wallet/campaigns/{campaign_id}/receive")


async def test_a_resident_checks_then_receives_once(city: Office) -> None:
    cid = await _campaign(city, eligibility=["serial"], terms="お一人様1回限り", per_person=1)
    hanako, _ = await city.resident("hanako@example.jp")
    page = await hanako.get(f"/wallet/campaigns/{cid}")
    assert page.status == 200, page.text[:300]
    assert 'data-method="serial" data-done="no"' in page.text
    assert f'href="/wallet/campaigns/{cid}/verify"' in page.text
    assert "お一人様1回限り" in page.text and 'data-received="0"' in page.text

    _refused(await _receive(hanako, cid), "campaign.not_eligible", 403)

    status, batch = await city.call("POST", f"campaigns/{cid}/serials", {"count": 1})
    assert status == 201, batch
    proved = await hanako.signed_post(
        f"/wallet/campaigns/{cid}/verify/serial", {"serial": batch["serials"][0]}
    )
    assert proved.status == 303, proved.text[:300]
    page = await hanako.get(f"/wallet/campaigns/{cid}")
    assert 'data-method="serial" data-done="yes"' in page.text and 'id="verify"' not in page.text

    got = await _receive(hanako, cid)
    assert (got.status, got.location) == (303, f"/wallet/campaigns/{cid}?received=1")
    received = await hanako.get(got.location)
    assert 'id="received"' in received.text and 'data-received="1"' in received.text
    assert 'id="all-received"' in received.text and 'id="receive"' not in received.text
    vouchers = VOUCHER_LINK.findall(received.text)
    assert len(vouchers) == 1
    assert (await hanako.get(f"/wallet/v/{vouchers[0]}")).status == 200

    again = await _receive(hanako, cid)
    _refused(again, "campaign.limit_reached", 409)
    assert 'data-received="1"' in again.text  # the refusal changed nothing
    listed = await hanako.get("/wallet/campaigns")
    assert f'href="/wallet/campaigns/{cid}"' in listed.text
    assert f'href="/wallet/campaigns/{cid}"' in (await hanako.get("/campaigns")).text
    assert 'href="/wallet/campaigns"' in (await hanako.get("/wallet")).text


async def test_the_last_coupon_goes_to_one_and_the_page_says_given_out(city: Office) -> None:
    cid = await _campaign(city, stock=1)
    taro, _ = await city.resident("taro@example.jp")
    jiro, _ = await city.resident("jiro@example.jp")
    assert (await _receive(taro, cid)).status == 303
    refused = await _receive(jiro, cid)
    _refused(refused, "campaign.sold_out", 409)
    assert 'data-availability="given_out"' in refused.text
    assert not VOUCHER_LINK.findall(refused.text)
    # The page no longer offers a button that can only be refused.
    page = await jiro.get(f"/wallet/campaigns/{cid}")
    assert 'id="given-out"' in page.text and 'id="receive"' not in page.text


async def test_the_pages_read_in_korean_and_traditional_chinese(city: Office) -> None:
    cid = await _campaign(city, stock=1)
    yumi, _ = await city.resident("yumi@example.jp")
    ken, _ = await city.resident("ken@example.jp")
    page = await yumi.get(f"/wallet/campaigns/{cid}?lang=ko")
    assert '<html lang="ko">' in page.text and "받기" in page.text, page.text[:300]
    assert (await _receive(yumi, cid)).status == 303
    page = await ken.get(f"/wallet/campaigns/{cid}?lang=zh-Hant")
    assert '<html lang="zh-Hant">' in page.text and "領取" in page.text
    refused = await _receive(ken, cid)
    _refused(refused, "campaign.sold_out", 409)
    assert "此活動已發放完畢" in refused.text


async def test_premium_lottery_and_survey_are_received_their_own_way(city: Office) -> None:
    sato, _ = await city.resident("sato@example.jp")
    premium = await _campaign(city, kind="premium", face_yen=13000, price_yen=10000, local_yen=3000)
    page = await sato.get(f"/wallet/campaigns/{premium}")
    assert 'id="at-counter"' in page.text and 'id="receive"' not in page.text
    assert "窓口" in page.text and 'class="local"' in page.text
    book = await _campaign(city, kind="ticket-book", face_yen=500, book_count=10)
    page = await sato.get(f"/wallet/campaigns/{book}")
    assert 'id="receive"' in page.text
    got = await _receive(sato, book)
    assert got.status == 303, got.text[:300]
    assert len(VOUCHER_LINK.findall((await sato.get(got.location)).text)) == 10


async def test_a_waiting_ticket_refreshes_until_its_grant_and_is_no_one_elses(
    city: Office,
) -> None:
    cid = await _campaign(city, stock=50)
    assert city.app is not None
    city.app[RUSH].require().rooms.pacing = Pacing(max_in_flight=1, retry_ms=250)
    people = [await city.resident(f"q{i}@example.jp") for i in range(10)]
    answers = await asyncio.gather(*(_receive(person, cid) for person, _ in people))
    assert all(a.status == 303 for a in answers), [a.status for a in answers]
    waiting = [
        (p, a.location) for (p, _), a in zip(people, answers, strict=True) if "/wait/" in a.location
    ]
    assert waiting, "one decided at a time: the others must be given tickets"
    (first, first_wait) = waiting[0]
    stranger = next(p for p, _ in people if p is not first)
    _refused(await stranger.get(first_wait), "campaign.ticket_unknown", 404)
    for person, location in waiting:
        page = await person.get(location)
        for _ in range(200):
            if page.status != 200:
                break
            # It checks its place by script at the room's pace, never by a meta refresh.
            assert 'id="waiting"' in page.text and 'http-equiv="refresh"' not in page.text
            assert re.search(r'data-refresh-ms="\d+"', page.text)
            assert f'href="{location}" id="check-now"' in page.text
            await asyncio.sleep(0.05)
            page = await person.get(location)
        assert (page.status, page.location) == (303, f"/wallet/campaigns/{cid}?received=1")
    for person, _ in people:
        assert len(VOUCHER_LINK.findall((await person.get(f"/wallet/campaigns/{cid}")).text)) == 1
