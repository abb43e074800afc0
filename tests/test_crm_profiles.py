"""Customers' profiles through the admin API (every field read the one way, refusals name the
field and change nothing), and what the counter sees of a voucher's holder when it scans: their
name and the greeting note head office wrote (お声がけ), nothing else of the profile; in Chromium
at 375 px against a real node."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.test_web_counter_redeem import key_in, voucher_with_code
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_with_password,
)


async def refused(s: Shop, method: str, path: str, body: object = None) -> dict[str, Any]:
    async with s.api.request(method, f"{s.base_url}/api/v1/{path}", json=body) as response:
        payload = await response.json()
        assert response.status == 422, payload
        error: dict[str, Any] = payload["error"]
        return error


async def test_a_profile_is_read_one_way_and_the_counter_greets_the_holder(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        made = await s.call("POST", "customers", {"name": "山田太郎", "email": "taro@example.jp"})
        taro = str(made["customer_id"])
        profile = {
            "kana": "やまだ ﾀﾛｳ",
            "phone": "０９０-１２３４-５６７８",
            "birthday": "1985-04-12",
            "postcode": "〒150-0041",
            "gender": "male",
            "notes": "法人での大口購入あり",
            "greeting": "いつもありがとうございます。誕生月です",
            "tags": ["常連", "法人", "常連"],
        }
        saved = await s.call("PUT", f"customers/{taro}/profile", profile)
        assert saved == {
            "customer_id": taro,
            "kana": "ヤマダ タロウ",
            "phone": "09012345678",
            "birthday": "1985-04-12",
            "postcode": "150-0041",
            "gender": "male",
            "notes": "法人での大口購入あり",
            "greeting": "いつもありがとうございます。誕生月です",
            "tags": ["常連", "法人"],
        }
        assert await s.call("GET", f"customers/{taro}/profile") == saved
        for field, value in (
            ("kana", "Yamada"),
            ("phone", "123"),
            ("birthday", "2099-01-01"),
            ("postcode", "1500"),
            ("gender", "x"),
        ):
            error = await refused(s, "PUT", f"customers/{taro}/profile", {field: value})
            assert (error["code"], error["field"]) == ("profile.invalid", field)
        assert await s.call("GET", f"customers/{taro}/profile") == saved  # nothing changed
        born_in_april = await s.call(
            "POST", "segments", {"name": "4月生まれ", "filters": {"birthday_month": 4}}
        )
        tagged = await s.call("POST", "segments", {"name": "法人", "filters": {"tag": "法人"}})
        assert (born_in_april["customers"], tagged["customers"]) == (1, 1)

        # The counter scans Taro's voucher: his name and the greeting, not his notes.
        voucher = await s.call("POST", "vouchers", {"amount": 5_000, "customer_id": taro})
        code = await s.call("GET", f"vouchers/{voucher['voucher_id']}/code")
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await key_in(page, str(code["payload"]), "1000")
        await expect(page.locator("#greeting-name")).to_have_text("山田太郎 様")
        await expect(page.locator("#greeting-note")).to_have_text(
            "いつもありがとうございます。誕生月です"
        )
        await expect(page.locator("#greeting-rank")).to_have_count(0)  # no member rank
        assert "大口" not in await page.content()
        await check_page(page, "crm-counter-greeting")

        # A voucher sold to nobody in particular: no greeting at all.
        _, anonymous = await voucher_with_code(s, 3_000)
        await page.goto(f"{s.base_url}/staff")
        await key_in(page, anonymous, "1000")
        await expect(page.locator("#confirm-amount")).to_have_text("¥1,000")
        await expect(page.locator("#greeting-name")).to_have_count(0)


async def test_the_console_shows_the_best_customers_with_the_csv_behind(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        # Five customers who paid 50,000, 20,000, 10,000, 5,000 and 1,000 yen for vouchers.
        for n, yen in enumerate((50_000, 20_000, 10_000, 5_000, 1_000)):
            made = await s.call("POST", "customers", {"name": f"顧客{n}"})
            body = {"amount": yen, "price": yen, "customer_id": made["customer_id"]}
            await s.call("POST", "vouchers", body)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/customers")
        await page.click("#analytics-link")
        # The top fifth: ceil(0.2 * 5) = 1 customer, 50,000 of 86,000.
        await expect(page.locator("#top20-share")).to_have_text(f"{50_000 / 86_000:.1%}")
        await expect(page.locator("#kpi-paying")).to_have_text("5")
        await expect(page.locator("#pareto .mark.top20")).to_have_attribute("data-share", "0.5814")
        champions = page.locator("#rfm-classes tr[data-class='champions'] td")
        await expect(champions).to_have_count(1)
        await check_page(page, "crm-console-analytics")
        async with page.expect_download() as downloading:
            await page.click("#rfm-csv")
        rows = (
            await asyncio.to_thread(
                Path(await (await downloading.value).path()).read_text, "utf-8-sig"
            )
        ).splitlines()
        assert rows[0] == "customer_id,recency_days,frequency,monetary_yen,r,f,m,class"
        assert len(rows) == 6
        async with page.expect_download() as downloading:
            await page.click("#pareto-csv")
        pareto = (
            await asyncio.to_thread(
                Path(await (await downloading.value).path()).read_text, "utf-8-sig"
            )
        ).splitlines()
        assert (
            pareto[0] == "top_percent_of_customers,share_of_spend" and pareto[21] == "20,0.581395"
        )
        await page.goto(f"{s.base_url}/admin/analytics?as_of=2099-01-01")
        await check_page(page, "crm-console-analytics-future")
