"""The campaign pages no Chromium test looked at yet, through check_page (axe-core, 375 and 1366
px, no English on a Japanese page): the waiting room's page /wallet/campaigns/<id>/wait/<ticket>
while a resident waits behind someone whose grant the writer is still committing (no meta
refresh: axe-core refuses one), then the page's own check bringing the granted coupon; the
campaign's page showing a refusal (the last coupon gone while another resident looked at it);
the wallet's list of campaign coupons in Japanese; the campaign pages' error page; and the public
store form refused for too many sends."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import expect

from node.admission.rooms import Pacing
from node.campaigns.rush import RUSH
from node.runtime import NODE
from node.web.campaign_store_apply import APPLY_ADDRESS_LIMIT
from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.campaign_verify_helpers import office
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.store_helpers import application, apply
from tests.store_helpers import office as store_office
from tests.web_flow_helpers import phone, sign_in_by_link

# How often the wait page checks its place (the room's retry time): the page changes nothing while
# the writer is held, so check_page is not disturbed, and it moves on soon after.
REFRESH_MS = 1_000
WRITER_HELD_S = 60  # at most: the test lets the writer go as soon as the page is checked


@pytest.mark.browser
async def test_a_resident_waits_in_line_and_the_page_brings_the_coupon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    async with office(tmp_path / "city", clock, monkeypatch) as city:
        assert city.app is not None
        status, made = await city.call("POST", "campaigns", terms(clock, stock=2, per_person=1))
        assert status == 201, made
        cid = made["campaign_id"]
        _, ahead = await city.resident("ahead@example.jp")
        for name, email in (("花子", "h@example.jp"), ("健", "k@example.jp")):
            status, _ = await city.call("POST", "customers", {"name": name, "email": email})
            assert status == 201
        rush, node = city.app[RUSH].require(), city.app[NODE]
        rush.rooms.pacing = Pacing(max_in_flight=1, retry_ms=REFRESH_MS, max_retry_ms=REFRESH_MS)
        async with chromium() as browser:
            resident, late = await phone(browser), await phone(browser)
            for page, email in ((resident, "h@example.jp"), (late, "k@example.jp")):
                await page.goto(f"{city.base_url}/wallet/campaigns/{cid}")
                await sign_in_by_link(page, city.inbox, email)
                await expect(page.locator("#receive")).to_be_visible()

            # The writer busy with another unit: the grant ahead is admitted and stays undecided.
            release = threading.Event()
            held = asyncio.ensure_future(
                node.require_writer().submit(lambda conn: release.wait(WRITER_HELD_S))
            )
            try:
                first = await rush.ask(cid, ahead, f"customer:{ahead}")
                assert first.is_queued and first.body["position"] == 0  # being decided
                await resident.click("#receive")
                waiting = resident.locator("#waiting")
                await expect(waiting).to_have_attribute("data-position", "1")
                await expect(resident.locator("#place")).to_contain_text("1")
                await expect(waiting).to_have_attribute("data-refresh-ms", str(REFRESH_MS))
                own = urlsplit(resident.url).path  # the resident's own ticket
                assert own.startswith(f"/wallet/campaigns/{cid}/wait/tk_")
                await expect(resident.locator("#check-now")).to_have_attribute("href", own)
                await check_page(resident, "campaign-wait")
            finally:
                release.set()
                await held
            # No one touches the page: its own check brings the granted coupon.
            await resident.wait_for_url(f"**/wallet/campaigns/{cid}?received=1", timeout=15_000)
            await expect(resident.locator("#received")).to_be_visible()

            # The stock (2) went meanwhile: the late resident's ask is refused on the page.
            await late.click("#receive")
            alert = late.locator("[role=alert]")
            await expect(alert).to_have_attribute("data-code", "campaign.sold_out")
            await check_page(late, "campaign-receive-refused")

            await resident.goto(f"{city.base_url}/wallet/campaigns")
            await expect(resident.locator(".coupon-card")).to_have_count(1)
            await check_page(resident, "campaign-wallet-ja")

            # A campaign page that is not there: the campaign pages' error page, in Japanese.
            await resident.goto(f"{city.base_url}/wallet/campaigns/cp_nosuch")
            error = resident.locator("section.error")
            await expect(error).to_have_attribute("data-code", "campaign.not_found")
            await check_page(resident, "campaign-error-page")


@pytest.mark.browser
async def test_the_store_form_refused_for_too_many_sends_reads_well(tmp_path: Path) -> None:
    async with store_office(tmp_path / "node") as o:
        # Every send from this address counts, refused ones too (they keep nothing).
        sends = [apply(o, application(bank_code="9999")) for _ in range(APPLY_ADDRESS_LIMIT)]
        assert {a.status for a in await asyncio.gather(*sends)} == {422}
        async with chromium() as browser:
            page = await phone(browser)
            await page.goto(f"{o.shop.base_url}/stores/apply")
            for name, value in application(store_name="喫茶 みどり").items():
                if name not in ("store_category", "account_type", "store_local"):
                    await page.fill(f"#{name}", value)
            await page.select_option("#store_category", "飲食")
            await page.click("#apply-submit")
            error = page.locator("#apply-error")
            await expect(error).to_have_attribute("data-code", "campaign.store_apply_throttled")
            await expect(error).to_contain_text("しばらく時間をおいて")
            await expect(page.locator("#store_name")).to_have_value("喫茶 みどり")
            await check_page(page, "campaign-store-apply-throttled")
    with sqlite3.connect(o.shop.home.database_path) as conn:
        kept = conn.execute("SELECT count(*) FROM campaign_store_applications").fetchone()
    assert kept == (0,)
