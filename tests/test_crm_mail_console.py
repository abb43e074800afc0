"""The console's campaign mail pages, in Chromium against a real node and a real SMTP server
(aiosmtpd on 127.0.0.1): the preview counts who would receive the mail and shows the filled
message, a bad offer is refused beside its field and makes nothing, the test send reaches the
typed address marked 【テスト送信】, and sending makes the mail whose status page follows it to
the end with the offer and its coupons' use; only the consenting customer gets the message. A
mail scheduled for later is cancelled after a confirm step, and a node with no sender set says
so before anyone types."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.test_crm_mail import customer, text_of, with_issuer
from tests.test_crm_offers import last_day, redeem
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_with_password,
    smtp_inbox,
)

JST = ZoneInfo("Asia/Tokyo")
SUBJECT = "{name}様へ 新宿店オープン記念"
BODY = "{name}様\n商品券の残高は{balance}です。\n新宿店限定のクーポンをお送りします。"
SENT_WITHIN_MS = 20_000


async def coupons_of(s: Shop, customer_id: str) -> list[dict[str, Any]]:
    """The customer's vouchers given free: a mail's coupons."""
    vouchers = (await s.call("GET", f"vouchers?customer_id={customer_id}"))["vouchers"]
    assert isinstance(vouchers, list)
    return [v for v in vouchers if v["price"] == 0]


async def compose(page: Page, s: Shop, store_id: str, until: str) -> None:
    """The compose form filled in: every customer, the variables, a 1,000 yen coupon at one store."""
    await page.goto(f"{s.base_url}/admin/mail/new")
    await page.select_option("#ml-segment", "all")
    await page.fill("#ml-subject", SUBJECT)
    await page.fill("#ml-body", BODY)
    await page.fill("#ml-per_minute", "６，０００")  # full-width, with a comma
    await page.fill("#ml-offer-face_yen", "1000")
    await page.fill("#ml-offer-use_until", until)
    await page.check(f"input[name='offer.stores'][value='{store_id}']")


async def test_a_mail_is_previewed_tested_sent_and_followed_in_the_console(
    tmp_path: Path,
) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, with_issuer) as s,
        chromium() as browser,
    ):
        shinjuku = str((await s.call("POST", "stores", {"name": "新宿店"}))["store_id"])
        taro = await customer(s, "山田太郎", "taro@example.jp", consent=True)
        hanako = await customer(s, "佐藤花子", "hanako@example.jp")  # no consent
        await customer(s, "田中次郎", None)  # no address
        await s.call("POST", "vouchers", {"amount": 10_000, "customer_id": taro})
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/customers")
        await page.click("#mail-link")
        await expect(page.locator("#no-mail")).to_be_visible()
        await check_page(page, "crm-mail-console-empty")
        await page.click("#compose-link")
        await expect(page.locator("#sender-problem")).to_have_count(0)
        await expect(page.locator("#ml-variables code")).to_have_text(
            ["{name}", "{balance}", "{rank}", "{points}", "{expiring_points}"]
        )
        await check_page(page, "crm-mail-console-compose")

        # The preview: three customers, one without an address, one not consenting, one
        # recipient; the message as Taro reads it, with the coupon's block and the footer.
        await compose(page, s, shinjuku, last_day(s, 14))
        await page.click("#preview-button")
        counts = ("#pv-members", "#pv-without-address", "#pv-not-consenting", "#pv-recipients")
        for selector, shown in zip(counts, ("3", "1", "1", "1"), strict=True):
            await expect(page.locator(selector)).to_have_text(shown)
        await expect(page.locator("#pv-to")).to_have_text("taro@example.jp")
        await expect(page.locator("#pv-subject")).to_have_text("山田太郎様へ 新宿店オープン記念")
        sample = page.locator("#pv-text")
        for part in ("山田太郎様\n商品券の残高は10,000円です。", "1,000円分のクーポン",
                     "ご利用いただける店舗: 新宿店", "送信者: 株式会社さくらフーズ"):  # fmt: skip
            await expect(sample).to_contain_text(part)
        await expect(page.locator("#ml-subject")).to_have_value(SUBJECT)  # the form is kept
        await expect(page.locator(f"input[value='{shinjuku}']")).to_be_checked()
        await check_page(page, "crm-mail-console-preview")

        # A last day already past: refused beside its field, the rest kept, nothing made.
        await page.fill("#ml-offer-use_until", last_day(s, -1))
        await page.click("#send")
        refused = page.locator("[id='mail-form-offer.use_until-error']")
        await expect(refused).to_have_attribute("data-code", "mail.invalid")
        await expect(refused).to_have_text(
            "最終利用日を、送信日から366日以内の日付で入力してください。"
        )
        await expect(page.locator("#ml-offer-use_until")).to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#ml-body")).to_have_value(BODY)
        await check_page(page, "crm-mail-console-refused")
        assert (await s.call("GET", "mail"))["mail"] == []

        # The test send: to the typed address, marked, no coupon, nothing made.
        await page.fill("#ml-offer-use_until", last_day(s, 14))
        await page.fill("#ml-test_to", "office@example.jp")
        await page.click("#test-send")
        await expect(page.locator("#test-sent")).to_contain_text("office@example.jp")
        assert [m["To"] for m in inbox.messages] == ["office@example.jp"]
        subject = str(make_header(decode_header(inbox.messages[0]["Subject"])))
        assert subject == "【テスト送信】見本 太郎様へ 新宿店オープン記念"  # sample values
        assert "1,000円分のクーポン" in text_of(inbox.messages[0])
        assert (await s.call("GET", "mail"))["mail"] == []
        assert await coupons_of(s, taro) == []

        # Sent now: the status page follows it to the end by itself.
        await page.click("#send")
        await page.wait_for_url(re.compile(r"/admin/mail/ml_[A-Za-z0-9]+\?done=done_ml_created"))
        await expect(page.locator("#notice")).to_have_text("メールを作りました。")
        await expect(page.locator("#mail-state")).to_have_text("送信完了", timeout=SENT_WITHIN_MS)
        figures = page.locator("#mail-counts dd[data-count]")
        await expect(figures).to_have_text(["0", "1", "0", "1", "2"])  # queued sent failed skipped
        await expect(page.locator("#offer-face")).to_have_text("¥1,000")
        await expect(page.locator("#offer-until")).to_have_text(last_day(s, 14))
        await expect(page.locator("#offer-stores")).to_have_text("新宿店")
        await expect(page.locator("#coupons-issued")).to_have_text("1")
        await expect(page.locator("#recipients tbody tr")).to_have_count(2)
        for who, address, status, reason in (
            (taro, "taro@example.jp", "送信済み", "—"),
            (hanako, "hanako@example.jp", "送らず", "お知らせメールへの同意がありません"),
        ):
            row = page.locator(f"#recipients tr[data-customer-id='{who}']")
            await expect(row.locator("th")).to_have_text(address)
            await expect(row.locator("td")).to_have_text(
                [status, reason, "1" if who == taro else "0"]
            )
        await expect(page.locator("#cancel-link")).to_have_count(0)
        assert [m["To"] for m in inbox.messages] == ["office@example.jp", "taro@example.jp"]

        # The coupon used at 新宿店 shows on the status page.
        (coupon,) = await coupons_of(s, taro)
        status_code, answer = await redeem(s, coupon["voucher_id"], shinjuku, 600)
        assert status_code == 201, answer
        await page.click("#reload")
        await expect(page.locator("#coupons-used")).to_have_text("1")
        await expect(page.locator("#coupons-used-yen")).to_have_text("¥600")
        await check_page(page, "crm-mail-console-status")

        # The list: newest first, with its counts and a link to the status.
        await page.click("#mail-list-link")
        listed = page.locator("#mail-list tbody tr")
        await expect(listed).to_have_count(1)
        await expect(listed.locator("td.status")).to_have_text("送信完了")
        await expect(listed.locator("td[data-count='sent']")).to_have_text("1")
        await check_page(page, "crm-mail-console-list")


async def test_a_mail_for_later_is_cancelled_after_a_confirm_step(tmp_path: Path) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, with_issuer) as s,
        chromium() as browser,
    ):
        await customer(s, "山田太郎", "taro@example.jp", consent=True)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/mail/new")
        await page.fill("#ml-subject", "来月のご案内")
        # A long body: near what the API takes, more than the console's other forms take.
        await page.fill("#ml-body", "{name}様\n" + "来月もよろしくお願いします。" * 1_400)
        tomorrow = s.clock.now().astimezone(JST) + timedelta(days=1)
        await page.check("#ml-later")
        await page.fill("#ml-send_at", tomorrow.strftime("%Y-%m-%dT10:00"))
        await page.click("#send")
        await expect(page.locator("#mail-state")).to_have_text("予約済み")
        await expect(page.locator("#mail-send-at")).to_have_text(
            tomorrow.strftime("%Y-%m-%d 10:00")
        )
        await expect(page.locator("#no-recipients")).to_be_visible()
        await expect(page.locator("#live-note")).to_have_count(0)  # not due: not watched
        await check_page(page, "crm-mail-console-scheduled")
        listed = (await s.call("GET", "mail"))["mail"]
        assert isinstance(listed, list)
        (made,) = listed
        at = datetime.fromisoformat(str(made["send_at"]).replace("Z", "+00:00"))
        assert at == tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)

        await page.click("#cancel-link")
        await expect(page.locator("#cancel-subject")).to_have_text("来月のご案内")
        await check_page(page, "crm-mail-console-cancel")
        await page.click("#cancel")
        await expect(page.locator("#notice")).to_have_text("メールを取り消しました。")
        await expect(page.locator("#mail-state")).to_have_text("取り消し")
        await expect(page.locator("#cancel-link")).to_have_count(0)
        assert (await s.call("GET", f"mail/{made['mail_id']}"))["status"] == "cancelled"

        # Cancelled is final: asking again is refused on the confirm page, nothing changes.
        await page.goto(f"{s.base_url}/admin/mail/{made['mail_id']}/cancel")
        await expect(page.locator("#too-late")).to_be_visible()
        await expect(page.locator("#cancel")).to_have_count(0)
        assert inbox.messages == []


async def test_a_node_without_a_sender_says_so_before_anyone_types(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/mail/new")
        problem = page.locator("#sender-problem")
        await expect(problem).to_contain_text("送信者の名称・住所・問い合わせ先が必要です")
        await expect(problem.locator("code")).to_contain_text(["issuer.legal_name"])
        await expect(page.locator("#send")).to_be_disabled()
        await check_page(page, "crm-mail-console-no-sender")

        # A preview is refused the same way, at the top of the form, with what was typed kept.
        await page.fill("#ml-subject", "ご案内")
        await page.fill("#ml-body", "本文")
        await page.click("#preview-button")
        refused = page.locator("#mail-form-error")
        await expect(refused).to_have_attribute("data-code", "mail.sender_incomplete")
        await expect(page.locator("#ml-subject")).to_have_value("ご案内")
        assert (await s.call("GET", "mail"))["mail"] == []

        # In English: the page, the sender's problem and the refusal in the reader's language.
        await page.context.add_cookies([{"name": "kippu_lang", "value": "en", "url": s.base_url}])
        await page.goto(f"{s.base_url}/admin/mail/new")
        await expect(page.locator("label:has(#ml-subject)")).to_contain_text("Subject")
        await expect(problem).to_contain_text("Marketing mail must show who sends it")
        await check_page(page, "crm-mail-console-no-sender-en")
