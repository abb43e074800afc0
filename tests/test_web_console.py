"""The console at Stripe's standard, in headless Chromium against a real node (issue 15, item 7).

Head office mistypes a staff form and finds the error next to the field in Japanese with what it
typed kept (never the password); names its staff (the counter's header shows the name); suspends
a voucher for a lost phone through a confirm step, the counter refuses it, resumes it, extends its
expiry with a reason; the voucher's page lists every change; the dashboard shows today's and this
month's figures and a chart with axes, values and a table. Every page state passes check_page.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from node.web.admin.exports import HEADER, HEADER_JA, SALES_HEADER
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_with_password,
)

NEW_STAFF_PASSWORD = "Sato-hanako-2026"


async def test_a_staff_form_refused_shows_the_error_inline_and_keeps_the_input(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/stores")
        await check_page(page, "console-stores")
        form = page.locator("#add-staff")
        await form.locator("input[name=name]").fill("yamada")  # taken by the shop's staff
        await form.locator("input[name=display_name]").fill("佐藤花子")
        await form.locator("input[name=password]").fill(NEW_STAFF_PASSWORD)
        await form.locator("input[name=stores]").first.check()
        await form.locator("button[type=submit]").click()
        form = page.locator("#add-staff")
        error = form.locator("#add-staff-name-error")
        await expect(error).to_have_text(
            "このログイン名はすでに使われています。別のログイン名にしてください。"
        )
        await expect(form.locator("input[name=name]")).to_have_value("yamada")
        await expect(form.locator("input[name=name]")).to_have_attribute("aria-invalid", "true")
        await expect(form.locator("input[name=display_name]")).to_have_value("佐藤花子")
        await expect(form.locator("input[name=password]")).to_have_value("")
        await expect(form.locator("input[name=stores]").first).to_be_checked()
        await check_page(page, "console-staff-login-taken")

        await form.locator("input[name=name]").fill("sato")
        await form.locator("input[name=password]").fill("aaaaaaaaaa")  # long enough, too plain
        await form.locator("button[type=submit]").click()
        form = page.locator("#add-staff")
        await expect(form.locator("#add-staff-password-error")).to_contain_text("4種類以上")
        await expect(form.locator("#add-staff-name-error")).to_have_count(0)
        await expect(form.locator("input[name=name]")).to_have_value("sato")
        await check_page(page, "console-staff-weak-password")

        await form.locator("input[name=password]").fill(NEW_STAFF_PASSWORD)
        await form.locator("button[type=submit]").click()
        await expect(page.locator("#notice")).to_be_visible()
        await expect(page.locator("li[data-login=sato] .display-name")).to_have_text("佐藤花子")

        await page.fill("#add-store input[name=name]", "")
        await page.click("#add-store button[type=submit]")
        await expect(page.locator("#add-store-name-error")).to_be_visible()
        await check_page(page, "console-store-name-missing")


async def test_head_office_names_its_staff_and_the_counter_shows_the_name(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/stores")
        staff = admin.locator("li[data-login=yamada]")
        await staff.locator("summary").click()
        await staff.locator(".name-form input[name=display_name]").fill("山田太郎")
        await staff.locator(".name-form button[type=submit]").click()
        await expect(admin.locator("#notice")).to_have_text("表示名を変更しました。")
        await expect(admin.locator("li[data-login=yamada] .display-name")).to_have_text("山田太郎")
        clerk = await phone(browser)
        await sign_in_with_password(clerk, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await expect(clerk.locator("header .who")).to_have_text("山田太郎")


async def _voucher(s: Shop) -> str:
    made = await s.call("POST", "vouchers", {"amount": 10000, "valid_days": 30})
    return str(made["voucher_id"])


async def _manual_code(s: Shop, voucher_id: str) -> str:
    return str((await s.call("GET", f"vouchers/{voucher_id}/code"))["manual_code"])


async def _counter_tries(clerk: Page, s: Shop, code: str) -> None:
    await clerk.goto(f"{s.base_url}/staff")
    await clerk.fill("#code", code)
    for key in ("1", "0", "00"):  # the counter's on-screen keypad: ¥1,000
        await clerk.click(f"#amount-keypad button[data-key='{key}']")
    await clerk.click("#continue")


async def test_suspend_then_resume_and_extend_with_confirm_steps(tmp_path: Path) -> None:
    clock = FakeClock()
    async with shop(tmp_path / "node", clock, None) as s, chromium() as browser:
        voucher_id = await _voucher(s)
        shown = await _manual_code(s, voucher_id)  # on the customer's phone before it was lost
        clerk = await phone(browser)
        await sign_in_with_password(clerk, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/vouchers/{voucher_id}")
        await check_page(admin, "console-voucher")

        await admin.click("#va-suspend button[type=submit]")  # no reason given
        await expect(admin.locator("#va-suspend-reason-error")).to_have_text(
            "理由を入力してください (200文字以内)。"
        )
        await check_page(admin, "console-voucher-reason-missing")
        await admin.fill("#va-suspend input[name=reason]", "スマートフォン紛失の連絡")
        await admin.click("#va-suspend button[type=submit]")
        await expect(admin.locator("#confirm")).to_have_attribute("data-action", "suspend")
        await expect(admin.locator("#confirm-reason")).to_have_text("スマートフォン紛失の連絡")
        await check_page(admin, "console-voucher-suspend-confirm")
        await admin.click("#confirm-button")
        await expect(admin.locator("#notice")).to_have_text("利用停止にしました。")
        await expect(admin.locator("#suspended")).to_be_visible()
        await check_page(admin, "console-voucher-suspended")

        await _counter_tries(clerk, s, shown)
        refusal = clerk.locator(".alert[data-code='voucher.suspended']")
        await expect(refusal).to_contain_text("利用停止中")
        await check_page(clerk, "counter-voucher-suspended")

        clock.advance(seconds=60)  # the log lists changes by time: each a minute later
        await admin.fill("#va-resume input[name=reason]", "本人確認のうえ再開")
        await admin.click("#va-resume button[type=submit]")
        await expect(admin.locator("#confirm")).to_have_attribute("data-action", "resume")
        await check_page(admin, "console-voucher-resume-confirm")
        await admin.click("#confirm-button")
        await expect(admin.locator("#notice")).to_have_text("利用を再開しました。")
        await expect(admin.locator("#suspended")).to_have_count(0)

        await _counter_tries(clerk, s, await _manual_code(s, voucher_id))  # a QR again
        await expect(clerk.locator("#confirm-amount")).to_have_text("¥1,000")

        clock.advance(seconds=60)
        current = await admin.locator("#current-expiry").inner_text()
        await admin.fill("#va-extend input[name=expires_on]", current)  # not later
        await admin.fill("#va-extend input[name=reason]", "お客様のご要望")
        await admin.click("#va-extend button[type=submit]")
        await expect(admin.locator("#va-extend-error")).to_contain_text("延長のみ")
        await expect(admin.locator("#va-extend input[name=reason]")).to_have_value("お客様のご要望")
        await check_page(admin, "console-voucher-extend-refused")
        year, rest = current.split("-", 1)
        later = f"{int(year) + 1}-{rest}"
        await admin.fill("#va-extend input[name=expires_on]", later)
        await admin.click("#va-extend button[type=submit]")
        await expect(admin.locator("#confirm-after")).to_have_text(later)
        await check_page(admin, "console-voucher-extend-confirm")
        await admin.click("#confirm-button")
        await expect(admin.locator("#notice")).to_have_text("有効期限を延長しました。")
        await expect(admin.locator("#expiry")).to_have_text(later)
        kinds = admin.locator("#changes tr[data-change]")
        await expect(kinds).to_have_count(3)
        await expect(kinds.nth(0)).to_contain_text("期限延長")
        await expect(kinds.nth(0)).to_contain_text("admin")
        await expect(kinds.nth(2)).to_contain_text("スマートフォン紛失の連絡")
        await check_page(admin, "console-voucher-changes")
        check = await s.call("GET", "ledger/check")
        assert check["ok"] is True, check

        clock.advance(seconds=2 * 366 * 86_400)  # past even the new expiry: nothing to change
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/vouchers/{voucher_id}")
        await expect(admin.locator("#va-expired")).to_contain_text("有効期限を過ぎた")
        for form in ("#va-suspend", "#va-resume", "#va-extend"):
            await expect(admin.locator(form)).to_have_count(0)


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


async def test_the_csvs_name_receipt_and_staff_in_japanese_and_list_sales(tmp_path: Path) -> None:
    clock = FakeClock()
    async with shop(tmp_path / "node", clock, None) as s, chromium() as browser:
        made = await s.call(
            "POST", "vouchers", {"amount": 10000, "price": 9500, "store_id": s.store_id}
        )
        voucher_id = str(made["voucher_id"])
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/stores")
        staff = admin.locator("li[data-login=yamada]")
        await staff.locator("summary").click()
        await staff.locator(".name-form input[name=display_name]").fill("山田太郎")
        await staff.locator(".name-form button[type=submit]").click()
        clerk = await phone(browser)
        await sign_in_with_password(clerk, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await _counter_tries(clerk, s, await _manual_code(s, voucher_id))
        await clerk.click("#redeem")
        receipt_no = (await clerk.locator("#receipt-no").inner_text()).strip()
        assert receipt_no
        await admin.goto(f"{s.base_url}/admin/vouchers/{voucher_id}")
        await expect(admin.locator("#history tr[data-kind=redeem] .staff")).to_have_text(
            "担当: 山田太郎"
        )

        day = clock.now().astimezone(ZoneInfo("Asia/Tokyo")).date().isoformat()
        period = f"store=&from={day}&to={day}"
        answer = await admin.request.get(
            f"{s.base_url}/admin/exports/redemptions.csv?{period}&headers=ja"
        )
        rows = _csv(await answer.body())
        assert rows[0] == list(HEADER_JA)
        assert len(rows) == 2 and rows[1][4] == voucher_id, rows
        assert rows[1][6] == "1000" and rows[1][-4:] == [receipt_no, "山田太郎", "", ""], rows
        english = _csv(
            await (
                await admin.request.get(f"{s.base_url}/admin/exports/redemptions.csv?{period}")
            ).body()
        )
        assert english[0] == list(HEADER) and english[1][-4:] == [receipt_no, "山田太郎", "", ""]
        # A split tender: the voucher's whole ¥9,000 balance and ¥1,500 on the card terminal.
        clock.advance(seconds=60)
        code = await s.call("GET", f"vouchers/{voucher_id}/code")
        split = {"amount": 9000, "store_id": s.store_id, "rest": {"amount": 1500, "method": "card"}}
        await s.call("POST", "redemptions", {"payload": code["payload"], **split})
        english = _csv(
            await (
                await admin.request.get(f"{s.base_url}/admin/exports/redemptions.csv?{period}")
            ).body()
        )
        assert [(r[6], r[-2], r[-1]) for r in english[1:]] == [
            ("1000", "", ""),
            ("9000", "1500", "card"),
        ], english
        await admin.goto(f"{s.base_url}/admin/vouchers/{voucher_id}")
        rest = admin.locator("#history tr[data-kind=redeem][data-amount='-9000'] .rest")
        await expect(rest).to_have_text("差額: ¥1,500 (カード端末)")
        await check_page(admin, "console-voucher-split-tender")

        sales = _csv(
            await (await admin.request.get(f"{s.base_url}/admin/exports/sales.csv?{period}")).body()
        )
        assert sales[0] == list(SALES_HEADER)
        assert [r[1:] for r in sales[1:]] == [
            [s.store_id, "渋谷店", voucher_id, "10000", "9500", "no", "", ""]
        ]
        # A counter sale names who sold it and how it was paid.
        clock.advance(seconds=60)  # listed after head office's issue
        await clerk.goto(f"{s.base_url}/staff/sell")
        await clerk.click("#products button[data-face='3000']")
        await clerk.click("label[for='method-card']")
        await clerk.click("#sell")
        sold_id = str(await clerk.locator("#sold").get_attribute("data-voucher"))
        sales = _csv(
            await (await admin.request.get(f"{s.base_url}/admin/exports/sales.csv?{period}")).body()
        )
        assert [r[3:] for r in sales[1:]] == [
            [voucher_id, "10000", "9500", "no", "", ""],
            [sold_id, "3000", "3000", "no", "山田太郎", "card"],
        ]
        # Who did it reads as a person or as head office, never as the recorded form.
        await s.call("POST", f"vouchers/{sold_id}/suspend", {"reason": "確認のため"})
        await s.call("POST", f"vouchers/{sold_id}/resume", {"reason": "確認済み"})
        await s.call("POST", f"vouchers/{sold_id}/cancel-sale", {})
        await admin.goto(f"{s.base_url}/admin/vouchers/{sold_id}")
        await expect(admin.locator("#sale-sold-by")).to_have_text("山田太郎")
        await expect(admin.locator("#sale-cancelled-by")).to_have_text("本部 (API)")
        changes = admin.locator("#changes tr[data-change]")
        await expect(changes).to_have_count(2)
        for row in range(2):
            await expect(changes.nth(row)).to_contain_text("本部 (API)")
        shown = await admin.locator("main").inner_text()
        assert "staff:" not in shown and "admin-api" not in shown, shown
        await check_page(admin, "console-voucher-actors")

        await admin.goto(f"{s.base_url}/admin/exports")
        await check_page(admin, "console-exports")
        await admin.fill("#from", "2026-12-31")
        await admin.fill("#to", "2026-01-01")
        await admin.select_option("#headers", "ja")
        await admin.click("#download-sales")
        await expect(admin.locator("#export-form-from-error")).to_have_text(
            "開始日を正しい日付で入力してください (終了日より後にはできません)。"
        )
        await expect(admin.locator("#from")).to_have_value("2026-12-31")
        await expect(admin.locator("#headers")).to_have_value("ja")
        await check_page(admin, "console-exports-refused")


async def test_the_dashboard_shows_today_and_this_month_and_a_chart(tmp_path: Path) -> None:
    clock = FakeClock()
    async with shop(tmp_path / "node", clock, None) as s, chromium() as browser:
        clock.advance(days=-3)
        await s.call("POST", "vouchers", {"amount": 3000, "store_id": s.store_id})
        clock.advance(days=3)
        today = str(
            (await s.call("POST", "vouchers", {"amount": 10000, "store_id": s.store_id}))[
                "voucher_id"
            ]
        )
        code = await _manual_code(s, today)
        await s.call(
            "POST", "redemptions", {"payload": code, "amount": 4000, "store_id": s.store_id}
        )
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await expect(admin.locator("#today [data-figure=sales]")).to_contain_text("¥10,000")
        await expect(admin.locator("#today [data-figure=sales]")).to_contain_text("1件")
        await expect(admin.locator("#today [data-figure=redeemed]")).to_contain_text("¥4,000")
        local = clock.now().astimezone(ZoneInfo("Asia/Tokyo"))
        month = admin.locator("#this-month [data-figure=sales]")
        expected = "¥13,000" if local.day > 3 else "¥10,000"  # three days ago may be last month
        await expect(month).to_contain_text(expected)
        await expect(admin.locator("#liability")).to_have_text("¥9,000")
        bars = admin.locator("#by-day g.bar")
        await expect(bars).to_have_count(28)  # 14 days, sales and redemptions
        todays_sales = admin.locator(
            f"#by-day g.bar[data-series=sales][data-day='{local.date().isoformat()}']"
        )
        await expect(todays_sales.locator("title")).to_contain_text("¥10,000")
        await expect(todays_sales.locator("text.value")).to_have_text("10,000")
        ticks = admin.locator("#by-day g.grid text")
        await expect(ticks).to_have_count(5)
        await expect(ticks.last).to_have_text("¥10,000")
        await admin.click("details.chart-table summary")
        await expect(admin.locator("#by-day-table tbody tr")).to_have_count(14)
        await check_page(admin, "console-dashboard")
