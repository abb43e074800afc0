"""Campaign mail against a real node and a real SMTP server (aiosmtpd on 127.0.0.1), its
unsubscribe link in Chromium and by a mail program's one-click POST (RFC 8058): only customers who
consented receive it, every message carries the sender, address, contact and the link next to
the statement that mail can be refused (特定電子メール法4条), variables are filled per
recipient, and a refusal stops the next mail."""

from __future__ import annotations

import asyncio
import json
import re
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from playwright.async_api import expect

from node.config import IssuerConfig
from node.crm.mail_model import Sender, sender_of
from node.errors import SenderIncomplete
from node.home import NodeHome
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import Shop, phone, shop, sign_in_by_link, smtp_inbox

ISSUER = {
    "legal_name": "株式会社さくらフーズ",
    "address": "東京都渋谷区神南1-2-3",
    "complaint_desk": "お客様相談室 03-0000-0000",
}
LINK = re.compile(r"http://127\.0\.0\.1:\d+/mail/unsubscribe/[A-Za-z0-9_-]+")


def with_issuer(home: NodeHome, text: str) -> str:
    before, section, after = text.partition("[issuer]\n")
    for key, value in ISSUER.items():
        after = re.sub(rf'^{key} = ".*"$', f'{key} = "{value}"', after, count=1, flags=re.M)
    return before + section + after


async def refused(s: Shop, method: str, path: str, body: object = None) -> dict[str, Any]:
    async with s.api.request(method, f"{s.base_url}/api/v1/{path}", json=body) as response:
        payload = await response.json()
        assert response.status >= 400, payload
        error: dict[str, Any] = payload["error"]
        return error


async def customer(s: Shop, name: str, email: str | None, consent: bool | None = None) -> str:
    body = {"name": name} if email is None else {"name": name, "email": email}
    made = str((await s.call("POST", "customers", body))["customer_id"])
    if consent is not None:
        await s.call("POST", f"customers/{made}/consent", {"marketing": consent})
    return made


async def sent_mail(s: Shop, subject: str, body: str) -> dict[str, Any]:
    """A mail to every customer, sent at once; returns its status once it is sent."""
    made = await s.call(
        "POST", "mail", {"segment": "all", "subject": subject, "body": body, "per_minute": 6000}
    )
    async with asyncio.timeout(20):
        while True:
            status = await s.call("GET", f"mail/{made['mail_id']}")
            if status["status"] == "sent":
                return status
            await asyncio.sleep(0.2)


def text_of(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return body.decode("utf-8")


async def test_only_consenting_customers_receive_it_and_a_refusal_stops_the_next(
    tmp_path: Path,
) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, with_issuer) as s,
        chromium() as browser,
    ):
        yamada = await customer(s, "山田太郎", "taro@example.jp", consent=True)
        sato = await customer(s, "佐藤花子", "hanako@example.jp")
        suzuki = await customer(s, "鈴木一郎", "ichiro@example.jp", consent=True)
        await s.call("POST", f"customers/{suzuki}/consent", {"marketing": False})
        await customer(s, "田中", None)  # no address: never a recipient
        await s.call("POST", "vouchers", {"amount": 10_000, "customer_id": yamada})

        first = await sent_mail(
            s, "{name}様へ 春のご案内", "{name}様\n商品券の残高は{balance}です。"
        )
        assert first["counts"] == {"queued": 0, "sent": 1, "failed": 0, "skipped": 2}
        rows = {r["customer_id"]: (r["status"], r["reason"]) for r in first["recipient_rows"]}
        assert rows[yamada] == ("sent", None)
        assert rows[sato][0] == rows[suzuki][0] == "skipped"
        assert [m["To"] for m in inbox.messages] == ["taro@example.jp"]
        message = inbox.messages[0]
        assert str(make_header(decode_header(message["Subject"]))) == "山田太郎様へ 春のご案内"
        body = text_of(message)
        assert "山田太郎様\n商品券の残高は10,000円です。" in body
        for shown in ("送信者: 株式会社さくらフーズ", "住所: 東京都渋谷区神南1-2-3",
                      "お問い合わせ: お客様相談室 03-0000-0000", "配信を停止できます"):  # fmt: skip
            assert shown in body
        link = LINK.search(body)
        assert link is not None
        unfolded = re.sub(r"\r?\n[ \t]+", " ", str(message["List-Unsubscribe"])).strip()
        assert unfolded == f"<{link.group(0)}>"  # RFC 5322 may fold a long header
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        # The link in Chromium: a page naming the address, one button, then done.
        page = await phone(browser)
        await page.goto(link.group(0))
        await expect(page.locator("#address")).to_have_text("taro@example.jp")
        await check_page(page, "crm-unsubscribe")
        await page.click("#unsubscribe-button")
        await expect(page.locator("#unsubscribed")).to_be_visible()
        await check_page(page, "crm-unsubscribed")
        history = (await s.call("GET", f"customers/{yamada}/consent"))["history"]
        assert [(e["marketing"], e["method"]) for e in history] == [
            (True, "api"),
            (False, "unsubscribe_link"),
        ]

        # Sato consents now; a mail program's one-click unsubscribe stops them too.
        await s.call("POST", f"customers/{sato}/consent", {"marketing": True})
        second = await sent_mail(s, "夏のご案内", "ポイントは{points}ptです。")
        assert second["counts"]["sent"] == 1 and inbox.messages[-1]["To"] == "hanako@example.jp"
        one_click = LINK.search(text_of(inbox.messages[-1]))
        assert one_click is not None
        async with (
            aiohttp.ClientSession() as mail_program,
            mail_program.post(
                one_click.group(0),
                data="List-Unsubscribe=One-Click",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ) as answer,
        ):
            assert answer.status == 200
        assert (await s.call("GET", f"customers/{sato}/consent"))["marketing"] is False
        history = (await s.call("GET", f"customers/{sato}/consent"))["history"]
        assert history[-1]["method"] == "one_click"

        # Nobody consents any more: the next mail reaches nobody.
        third = await sent_mail(s, "秋のご案内", "ご来店をお待ちしています。")
        assert third["counts"] == {"queued": 0, "sent": 0, "failed": 0, "skipped": 3}
        assert len(inbox.messages) == 2

        # An unknown link is a page in Japanese, not an error code.
        await page.goto(f"{s.base_url}/mail/unsubscribe/not-a-real-token")
        await check_page(page, "crm-unsubscribe-unknown")

        # Refusals change nothing.
        bad = await refused(
            s, "POST", "mail", {"segment": "all", "subject": "x", "body": "{coupon}"}
        )
        assert (bad["code"], bad["field"]) == ("mail.invalid", "body")
        missing = await refused(s, "POST", "mail", {"segment": "なし", "subject": "x", "body": "y"})
        assert missing["code"] == "segment.not_found"
        assert len((await s.call("GET", "mail"))["mail"]) == 3


def test_marketing_mail_needs_the_sender_the_law_asks_for() -> None:
    with pytest.raises(SenderIncomplete) as caught:
        sender_of(IssuerConfig(legal_name="株式会社さくらフーズ"), "さくら", "shop@example.jp")
    assert caught.value.details["missing"] == ["issuer.address", "issuer.complaint_desk"]
    full = IssuerConfig(
        legal_name="株式会社さくらフーズ", address="東京都", complaint_desk="03-0000"
    )
    assert sender_of(full, "さくら", "shop@example.jp") == Sender(
        "株式会社さくらフーズ", "東京都", "03-0000", "shop@example.jp"
    )


async def test_the_customer_turns_offer_mails_on_and_off_in_the_wallet(tmp_path: Path) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, with_issuer) as s,
        chromium() as browser,
    ):
        taro = await customer(s, "山田太郎", "taro@example.jp")
        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet")
        await sign_in_by_link(page, inbox, "taro@example.jp")
        await page.click("#mail-link")
        await expect(page.locator("#mail-state")).to_have_attribute("data-on", "0")
        await expect(page.locator("#mail-wording")).to_contain_text("メールで受け取る")
        await check_page(page, "crm-wallet-mail-off")
        await page.click("#mail-toggle")
        await expect(page.locator("#mail-saved")).to_be_visible()
        await expect(page.locator("#mail-state")).to_have_attribute("data-on", "1")
        await check_page(page, "crm-wallet-mail-on")
        consent = await s.call("GET", f"customers/{taro}/consent")
        assert consent["marketing"] is True
        given = consent["history"][-1]
        assert (given["method"], given["actor"], given["address"]) == (
            "wallet",
            f"customer:{taro}",
            "taro@example.jp",
        )
        assert given["wording"].startswith("キャンペーンやお得なお知らせをメールで受け取る")
        await page.click("#mail-toggle")
        await expect(page.locator("#mail-state")).to_have_attribute("data-on", "0")
        assert (await s.call("GET", f"customers/{taro}/consent"))["marketing"] is False

        # Their own data, as a file: what the shop keeps, the two consent events included.
        async with page.expect_download() as downloading:
            await page.click("#my-data-link")
        download = await downloading.value
        assert download.suggested_filename == "my-data.json"
        mine = json.loads(await asyncio.to_thread(Path(await download.path()).read_text, "utf-8"))
        assert mine["customer"] == {
            "customer_id": taro,
            "name": "山田太郎",
            "email": "taro@example.jp",
            "registered_at": mine["customer"]["registered_at"],
        }
        assert [e["method"] for e in mine["consents"]] == ["wallet", "wallet"]
        assert "card_secret" not in json.dumps(mine) and "secret" not in json.dumps(mine)
        other = await customer(s, "佐藤花子", "hanako@example.jp")
        assert other not in json.dumps(mine)  # only their own
