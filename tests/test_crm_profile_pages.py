"""Customers' profiles on the pages, in Chromium against a real node: head office edits one in
the console (good input saved and shown, a bad field refused beside it with nothing saved) and
records a consent withdrawal that the history then shows; the customer edits their own in the
wallet (head office's notes kept) and the console sees it; the customer's deletion request is
refused while they hold a voucher balance and done once they do not, after which the books and
the audit bundle still check out and their wallet session is gone."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from node.verifier.auditor import verify_bundles
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)


async def new_customer(s: Shop, name: str, email: str) -> str:
    made = await s.call("POST", "customers", {"name": name, "email": email})
    return str(made["customer_id"])


async def shown_in_console(page: Page, s: Shop, customer_id: str) -> None:
    await page.goto(f"{s.base_url}/admin/customers/{customer_id}")


async def fill_profile(page: Page, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        if name == "gender":
            await page.select_option("#pf-gender", value)
        else:
            await page.fill(f"#pf-{name}", value)


async def test_head_office_edits_a_profile_and_records_a_withdrawal(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        taro = await new_customer(s, "山田太郎", "taro@example.jp")
        await s.call("POST", f"customers/{taro}/consent", {"marketing": True})
        await s.call("POST", "vouchers", {"amount": 2_000, "customer_id": taro})
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await shown_in_console(page, s, taro)
        await expect(page.locator("#pf-email")).to_have_text("taro@example.jp")
        await check_page(page, "crm-console-profile")

        await fill_profile(
            page,
            {
                "name": "山田 太郎",
                "kana": "やまだ たろう",
                "phone": "090-1234-5678",
                "birthday": "1985-04-12",
                "postcode": "1500041",
                "gender": "male",
                "tags": "常連、法人",
                "notes": "法人での大口購入あり",
                "greeting": "いつもありがとうございます",
            },
        )
        await page.click("#pf-save")
        await expect(page.locator("#customer-name")).to_have_text("山田 太郎")
        await expect(page.locator("#pf-kana")).to_have_value("ヤマダ タロウ")
        await expect(page.locator("#pf-postcode")).to_have_value("150-0041")
        saved = await s.call("GET", f"customers/{taro}/profile")
        assert saved == {
            "customer_id": taro,
            "kana": "ヤマダ タロウ",
            "phone": "09012345678",
            "birthday": "1985-04-12",
            "postcode": "150-0041",
            "gender": "male",
            "notes": "法人での大口購入あり",
            "greeting": "いつもありがとうございます",
            "tags": ["常連", "法人"],
        }

        # A bad phone number: said beside the field, what was typed kept, nothing saved.
        await fill_profile(page, {"name": "別人", "phone": "123", "postcode": "100-0001"})
        await page.click("#pf-save")
        error = page.locator("#profile-form-phone-error")
        await expect(error).to_contain_text("10桁か11桁")
        await expect(error).to_have_attribute("data-code", "profile.invalid")
        await expect(page.locator("#pf-phone")).to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#pf-name")).to_have_value("別人")
        await check_page(page, "crm-console-profile-refused")
        assert await s.call("GET", f"customers/{taro}/profile") == saved
        customer = await s.call("GET", f"customers/{taro}/data")
        assert customer["customer"]["name"] == "山田 太郎"  # type: ignore[index]

        # The customer phoned to stop offer mails: head office records the withdrawal.
        await shown_in_console(page, s, taro)
        await expect(page.locator("#consent-now")).to_have_attribute("data-on", "1")
        await page.check("#consent-withdraw")
        await page.click("#consent-save")
        await expect(page.locator("#consent-now")).to_have_attribute("data-on", "0")
        newest = page.locator("#consent-history tbody tr").first
        await expect(newest).to_have_attribute("data-granted", "0")
        await expect(newest).to_have_attribute("data-method", "console")
        await expect(newest).to_contain_text("メールによる広告・お知らせの受信を停止")
        await expect(page.locator("#consent-history tbody tr")).to_have_count(2)
        await check_page(page, "crm-console-consents")
        consent = await s.call("GET", f"customers/{taro}/consent")
        last: dict[str, Any] = consent["history"][-1]  # type: ignore[index]
        assert consent["marketing"] is False
        assert (last["method"], last["actor"]) == ("console", "admin:admin")

        # Erasing while Taro holds ¥2,000: refused with the reason, nothing changed.
        await page.click("#erase-link")
        await check_page(page, "crm-console-erase")
        await page.fill("#erase-reason", "本人から電話で依頼")
        await page.click("#erase")
        refusal = page.locator("#erase-form-error")
        await expect(refusal).to_have_attribute("data-code", "crm.erasure_blocked")
        await expect(refusal).to_contain_text("残高")
        await expect(page.locator("#erase-reason")).to_have_value("本人から電話で依頼")
        assert (await s.call("GET", f"customers/{taro}/profile")) == saved

        # Jiro holds nothing: erased after the confirm step, the books untouched.
        jiro = await new_customer(s, "鈴木次郎", "jiro@example.jp")
        await shown_in_console(page, s, jiro)
        await page.click("#erase-link")
        await page.fill("#erase-reason", "本人から書面で依頼")
        await page.click("#erase")
        await expect(page.locator("#erased-on")).to_be_visible()
        await expect(page.locator("#customer-name")).to_have_text("削除済みのお客様")
        gone = await s.call("GET", f"customers/{jiro}/data")
        assert gone["customer"]["email"] is None  # type: ignore[index]
        assert (await s.call("GET", "ledger/check"))["ok"] is True


async def redeem_all(s: Shop, voucher_id: str, amount: int) -> None:
    code = await s.call("GET", f"vouchers/{voucher_id}/code")
    body = {"payload": code["payload"], "amount": amount, "store_id": s.store_id}
    await s.call("POST", "redemptions", body)


async def audit_bundle_verifies(s: Shop, folder: Path) -> bool:
    await s.call("POST", "audit/checkpoint")
    async with s.api.get(f"{s.base_url}/api/v1/audit/export") as answer:
        assert answer.status == 200, await answer.text()
        content = await answer.read()
    bundle = folder / "bundle.kippu"
    await asyncio.to_thread(bundle.write_bytes, content)
    report = await asyncio.to_thread(verify_bundles, [bundle], {})
    return bool(report.ok)


async def test_a_customer_edits_their_profile_and_asks_for_deletion(tmp_path: Path) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port) as s,
        chromium() as browser,
    ):
        hanako = await new_customer(s, "佐藤花子", "hanako@example.jp")
        await s.call("PUT", f"customers/{hanako}/profile", {"notes": "VIP", "tags": ["常連"]})
        voucher = await s.call("POST", "vouchers", {"amount": 1_500, "customer_id": hanako})
        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet")
        await sign_in_by_link(page, inbox, "hanako@example.jp")
        await page.click("#profile-link")
        await expect(page.locator("#wpf-name")).to_have_value("佐藤花子")
        assert "VIP" not in await page.content()  # head office's notes are not hers to see
        await check_page(page, "crm-wallet-profile")

        await page.fill("#wpf-postcode", "12")
        await page.click("#profile-save")
        await expect(page.locator("#wpf-postcode-error")).to_contain_text("7桁")
        await check_page(page, "crm-wallet-profile-refused")
        assert (await s.call("GET", f"customers/{hanako}/profile"))["postcode"] is None

        await page.fill("#wpf-name", "佐藤 花子")
        await page.fill("#wpf-kana", "サトウ ハナコ")
        await page.fill("#wpf-phone", "03-1234-5678")
        await page.fill("#wpf-birthday", "1990-12-01")
        await page.fill("#wpf-postcode", "150-0041")
        await page.select_option("#wpf-gender", "female")
        await page.click("#profile-save")
        await expect(page.locator("#profile-saved")).to_be_visible()
        await expect(page.locator("#wpf-phone")).to_have_value("0312345678")
        assert await s.call("GET", f"customers/{hanako}/profile") == {
            "customer_id": hanako,
            "kana": "サトウ ハナコ",
            "phone": "0312345678",
            "birthday": "1990-12-01",
            "postcode": "150-0041",
            "gender": "female",
            "notes": "VIP",  # kept: head office's
            "greeting": None,
            "tags": ["常連"],
        }
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await shown_in_console(admin, s, hanako)
        await expect(admin.locator("#customer-name")).to_have_text("佐藤 花子")
        await expect(admin.locator("#pf-kana")).to_have_value("サトウ ハナコ")

        # Deletion while she holds ¥1,500: explained, nothing changed, still signed in.
        await page.click("#erase-link")
        await expect(page.locator("#erase-confirm")).to_be_visible()
        await check_page(page, "crm-wallet-erase")
        await page.click("#erase-confirm")
        await expect(page.locator("#erase-blocked")).to_have_attribute("data-yen", "1500")
        await expect(page.locator("#held-yen")).to_have_text("¥1,500")
        await check_page(page, "crm-wallet-erase-blocked")
        data = await s.call("GET", f"customers/{hanako}/data")
        assert data["customer"]["name"] == "佐藤 花子"  # type: ignore[index]

        # Used up at the counter, she asks again: done, signed out, her data gone.
        await redeem_all(s, str(voucher["voucher_id"]), 1_500)
        await page.goto(f"{s.base_url}/wallet/erase")
        await page.click("#erase-confirm")
        await expect(page.locator("#erased-done")).to_be_visible()
        assert page.url.endswith("/wallet/erased")
        await check_page(page, "crm-wallet-erased")
        await page.goto(f"{s.base_url}/wallet/profile")
        assert "/wallet/login" in page.url  # the session is gone
        cookies = await page.context.cookies()
        assert not [c for c in cookies if c["name"] == "kippu_session"]

        data = await s.call("GET", f"customers/{hanako}/data")
        assert data["customer"]["name"] == "削除済みのお客様"  # type: ignore[index]
        assert data["customer"]["email"] is None  # type: ignore[index]
        assert data["profile"]["kana"] is None and data["profile"]["tags"] == []  # type: ignore[index]
        assert data["vouchers"][0]["balance_yen"] == 0  # type: ignore[index]
        assert (await s.call("GET", "ledger/check"))["ok"] is True
        assert await audit_bundle_verifies(s, tmp_path)

        # The console shows the erasure and offers no form for her personal data any more.
        await shown_in_console(admin, s, hanako)
        await expect(admin.locator("#erased-on")).to_be_visible()
        await expect(admin.locator("#profile-form")).to_have_count(0)
        await expect(admin.locator("#erase-link")).to_have_count(0)


async def test_an_erasure_through_the_admin_api_signs_the_wallet_out_too(tmp_path: Path) -> None:
    """`kippu customer erase` and the admin API retire the wallet account as the console and the
    wallet do: the open session ends, and the address signs in as a new customer."""
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port) as s,
        chromium() as browser,
    ):
        jiro = await new_customer(s, "鈴木次郎", "jiro@example.jp")
        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet")
        await sign_in_by_link(page, inbox, "jiro@example.jp")
        await page.click("#profile-link")
        await expect(page.locator("#wpf-name")).to_have_value("鈴木次郎")

        erased = await s.call("POST", f"customers/{jiro}/erase", {"reason": "本人から電話で依頼"})
        assert erased == {"customer_id": jiro, "erased": True}
        await page.goto(f"{s.base_url}/wallet/profile")
        assert "/wallet/login" in page.url  # the session ended with the erasure

        await page.goto(f"{s.base_url}/wallet/login?next=/wallet/profile")
        await sign_in_by_link(page, inbox, "jiro@example.jp")
        await expect(page.locator("#wpf-name")).not_to_have_value("鈴木次郎")
        customers = (await s.call("GET", "customers"))["customers"]
        assert len([c for c in customers if c["email"] == "jiro@example.jp"]) == 1  # type: ignore[union-attr, index]
        assert (await s.call("GET", f"customers/{jiro}/data"))["customer"]["email"] is None  # type: ignore[index]
