"""Lottery and survey campaigns in the wallet, in Chromium against a real node (one lean flow):
a resident applies to a lottery, the office closes and draws over the API, the resident sees the
win and claims the coupon; then answers a survey-gated campaign's questionnaire (a required
question missed first, refused in the reader's language) and receives its coupon. Each new page
is checked by check_page at 375 and 1366 px, the console's lottery and survey pages too."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

from playwright.async_api import expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

EMAIL = "hanako@example.jp"
SECRET = bytes(range(32))


def _at(clock: FakeClock, **delta: float) -> str:
    return (clock.now() + timedelta(**delta)).isoformat()


async def test_a_resident_wins_a_lottery_and_answers_a_survey(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        period = {"starts_at": _at(clock, hours=-1), "ends_at": _at(clock, days=30)}
        lottery = await s.call(
            "POST",
            "campaigns",
            {"kind": "lottery", "name": "春の抽選クーポン", "face_yen": 3000, "stock": 1, **period},
        )
        lid = lottery["campaign_id"]
        await s.call(
            "PUT",
            f"campaigns/{lid}/lottery",
            {
                "seed_mode": "secret",
                "commitment": hashlib.sha256(SECRET).hexdigest(),
                "entries_until": _at(clock, days=7),
                "claim_days": 7,
            },
        )
        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet/campaigns/{lid}/lottery")
        await sign_in_by_link(page, inbox, EMAIL)
        await expect(page.locator("#lottery")).to_have_attribute("data-state", "not_applied")
        await page.click("#apply")
        await expect(page.locator("#lottery")).to_have_attribute("data-state", "applied")
        await check_page(page, "campaign-lottery-applied")

        clock.advance(days=8)
        await s.call("POST", f"campaigns/{lid}/lottery/close", {})
        drawn = await s.call("POST", f"campaigns/{lid}/lottery/draws", {"secret": SECRET.hex()})
        assert len(drawn["winners"]) == 1  # type: ignore[arg-type]
        await page.goto(f"{s.base_url}/wallet/campaigns/{lid}/lottery?lang=en")
        await expect(page.locator("#won")).to_contain_text("You won!")
        await check_page(page, "campaign-lottery-won")
        await page.click("#claim")
        await expect(page.locator("#lottery")).to_have_attribute("data-state", "claimed")
        await page.click("#my-coupons")
        await expect(page.locator(".coupon-card")).to_have_count(1)

        survey = await s.call(
            "POST",
            "campaigns",
            {
                "kind": "survey",
                "name": "商店街アンケート",
                "face_yen": 500,
                "stock": 10,
                "starts_at": _at(clock, hours=-1),
                "ends_at": _at(clock, days=30),
            },
        )
        sid = survey["campaign_id"]
        await s.call(
            "PUT",
            f"campaigns/{sid}/survey",
            {
                "questions": [
                    {"kind": "single", "prompt": "お住まいの区", "options": ["北区", "南区"],
                     "required": True},
                    {"kind": "multiple", "prompt": "よく行くお店", "options": ["八百屋", "書店"]},
                    {"kind": "text", "prompt": "ご意見", "max_length": 100},
                ]
            },
        )  # fmt: skip
        await page.goto(f"{s.base_url}/wallet/campaigns/{sid}/survey?lang=ko")
        await check_page(page, "campaign-survey")
        await page.check("#q2-1")
        await page.fill("#q3", "楽しみです")
        await page.evaluate("document.getElementById('survey-form').noValidate = true")
        await page.click("#answer")
        refused = page.locator(".alert[data-code='campaign.answer_invalid']")
        await expect(refused).to_contain_text("응답이 문항에 맞지 않습니다")
        await expect(page.locator("#q2-1")).to_be_checked()  # what was ticked stays ticked
        await page.check("#q1-2")
        await page.click("#answer")
        await expect(page.locator("#answered")).to_be_visible()
        await check_page(page, "campaign-survey-answered")
        answers = await s.api.get(f"{s.base_url}/api/v1/campaigns/{sid}/survey/answers.csv")
        text = (await answers.read()).decode("utf-8-sig")
        assert text.splitlines()[1].endswith(",南区,八百屋,楽しみです")

        office = await phone(browser)
        await sign_in_with_password(office, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await office.goto(f"{s.base_url}/admin/campaigns/{lid}/lottery")
        await expect(office.locator("#draw-rounds tr[data-round='1'] .claimed")).to_have_text("1")
        await check_page(office, "campaign-console-lottery")
        await office.goto(f"{s.base_url}/admin/campaigns/{sid}/survey")
        await expect(office.locator("#survey-locked")).to_be_visible()
        await check_page(office, "campaign-console-survey")
