"""A campaign mail with an offer (メール限定クーポン), against a real node and a real SMTP server
(aiosmtpd on 127.0.0.1), driven through the admin API and `kippu mail`: the preview counts who
would receive it and shows the message, the test send reaches head office's address marked as a
test and gives nothing, and the mail gives each consenting recipient one coupon, usable only at
the offer's stores until its last day, redeemed at the counter like a voucher; the books stay
balanced. Bad offers are refused and make nothing; a retried send gives no second coupon."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from playwright.async_api import expect

from cli import main
from node import db
from node.app import prepare_database
from node.crm import mail_operations
from node.crm import tables as crm_tables
from node.crm.consents import ConsentEvent, ConsentMethod, Purpose
from node.crm.mail_model import NOT_CONSENTING, OFFER_ENDED, MailCampaign, MailStatus
from node.crm.offers import Offer
from node.ledger import operations as ledger_operations
from node.ledger.calendar import end_of_local_day
from node.ledger.fresh import NewVoucher
from node.ledger.model import LedgerPolicy
from node.ledger.operations import LedgerSettings
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.test_crm_mail import customer, refused, text_of, with_issuer
from tests.web_flow_helpers import Shop, phone, shop, sign_in_by_link, smtp_inbox

JST = ZoneInfo("Asia/Tokyo")
SETTINGS = LedgerSettings("n1", LedgerPolicy(100_000, False), JST, 30)


def last_day(s: Shop, days: int) -> str:
    return (s.clock.now().astimezone(JST).date() + timedelta(days=days)).isoformat()


async def kippu(s: Shop, *args: str) -> Result:
    """`kippu` in a worker thread: its HTTP calls reach the node serving on this event loop."""
    argv = [*args, "--home", str(s.home.root), "--json"]
    return await asyncio.to_thread(CliRunner().invoke, main, argv, catch_exceptions=False)


async def status_when_sent(s: Shop, mail_id: str) -> dict[str, Any]:
    async with asyncio.timeout(20):
        while True:
            status = await s.call("GET", f"mail/{mail_id}")
            if status["status"] == "sent":
                return status
            await asyncio.sleep(0.2)


async def redeem(s: Shop, voucher_id: str, store_id: str, amount: int) -> tuple[int, Any]:
    """At a store's counter, by the API as a POS does: the coupon's fresh code, then redeem."""
    code = await s.call("GET", f"vouchers/{voucher_id}/code")
    body = {"payload": code["payload"], "amount": amount, "store_id": store_id}
    async with s.api.post(f"{s.base_url}/api/v1/redemptions", json=body) as response:
        return response.status, await response.json()


async def test_a_mail_offer_gives_each_recipient_one_coupon_for_the_chosen_stores(
    tmp_path: Path,
) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, with_issuer) as s,
    ):
        shinjuku = str((await s.call("POST", "stores", {"name": "新宿店"}))["store_id"])
        taro = await customer(s, "山田太郎", "taro@example.jp", consent=True)
        hanako = await customer(s, "佐藤花子", "hanako@example.jp")  # no consent
        body_file = tmp_path / "body.txt"
        body_file.write_text("{name}様\n新宿店限定のクーポンをお送りします。\n", encoding="utf-8")
        until = last_day(s, 14)
        draft = [
            "--segment", "all", "--subject", "{name}様へ 新宿店オープン記念",
            "--body-file", str(body_file),
            "--offer-yen", "1000", "--offer-until", until, "--offer-store", shinjuku,
        ]  # fmt: skip

        # The preview: who would receive it and the message as Taro reads it; nothing made.
        result = await kippu(s, "mail", "preview", *draft)
        assert result.exit_code == 0, result.output
        preview = json.loads(result.stdout)
        assert (preview["members"], preview["recipients"]) == (2, 1)
        assert (preview["not_consenting"], preview["without_address"]) == (1, 0)
        assert preview["customer_id"] == taro
        sample = preview["sample"]
        assert (sample["to"], sample["subject"]) == (
            "taro@example.jp",
            "山田太郎様へ 新宿店オープン記念",
        )
        day = s.clock.now().astimezone(JST).date() + timedelta(days=14)
        for shown in ("山田太郎様", "1,000円分のクーポン", "ご利用いただける店舗: 新宿店",
                      f"ご利用期限: {day.year}年{day.month}月{day.day}日まで", "送信者: "):  # fmt: skip
            assert shown in sample["text"]
        assert sample["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"
        # Filled in for a member named, though not a recipient; one not in the segment refused.
        result = await kippu(s, "mail", "preview", *draft, "--customer", hanako)
        assert result.exit_code == 0, result.output
        named = json.loads(result.stdout)
        assert (named["customer_id"], named["sample"]["to"]) == (hanako, "hanako@example.jp")
        assert (named["members"], named["recipients"]) == (2, 1)
        result = await kippu(s, "mail", "preview", *draft, "--customer", "cu_nobody")
        assert result.exit_code == 1 and '"code": "mail.invalid"' in result.output, result.output

        # The test send: to head office's own address, marked, no coupon given.
        result = await kippu(s, "mail", "test", *draft, "--to", "office@example.jp")
        assert result.exit_code == 0, result.output
        assert [m["To"] for m in inbox.messages] == ["office@example.jp"]
        subject = str(make_header(decode_header(inbox.messages[0]["Subject"])))
        assert subject == "【テスト送信】見本 太郎様へ 新宿店オープン記念"  # sample values
        assert "1,000円分のクーポン" in text_of(inbox.messages[0])
        assert (await s.call("GET", f"vouchers?customer_id={taro}"))["vouchers"] == []
        assert (await s.call("GET", "mail"))["mail"] == []

        # Sent: Taro gets the message and one coupon; Hanako, who did not consent, neither.
        result = await kippu(s, "mail", "send", *draft, "--per-minute", "6000")
        assert result.exit_code == 0, result.output
        status = await status_when_sent(s, json.loads(result.stdout)["mail_id"])
        assert status["counts"] == {"queued": 0, "sent": 1, "failed": 0, "skipped": 1}
        assert status["offer"] == {
            "face_yen": 1000,
            "use_until": until,
            "expires_at": status["offer"]["expires_at"],
            "stores": [shinjuku],
        }
        assert status["coupons"] == {"issued": 1, "used": 0, "used_yen": 0}
        assert [m["To"] for m in inbox.messages] == ["office@example.jp", "taro@example.jp"]
        assert "ご利用いただける店舗: 新宿店" in text_of(inbox.messages[1])
        coupons = (await s.call("GET", f"vouchers?customer_id={taro}"))["vouchers"]
        assert [(c["face"], c["price"], c["balance"]) for c in coupons] == [(1000, 0, 1000)]
        coupon = coupons[0]
        assert coupon["expires_at"] == status["offer"]["expires_at"]
        ends = datetime.fromisoformat(coupon["expires_at"].replace("Z", "+00:00"))
        assert ends == end_of_local_day(day, JST)
        assert (await s.call("GET", f"vouchers?customer_id={hanako}"))["vouchers"] == []

        # At the counter: refused at 渋谷店, which the offer does not name; taken at 新宿店.
        status_code, answer = await redeem(s, coupon["voucher_id"], s.store_id, 500)
        assert (status_code, answer["error"]["code"]) == (403, "voucher.not_for_this_store")
        status_code, answer = await redeem(s, coupon["voucher_id"], shinjuku, 600)
        assert status_code == 201, answer
        after = await s.call("GET", f"mail/{status['mail_id']}")
        assert after["coupons"] == {"issued": 1, "used": 1, "used_yen": 600}
        assert (await s.call("GET", "ledger/check"))["ok"] is True

        # The CLI's status names the offer and its use.
        shown = await kippu(s, "mail", "status", status["mail_id"])
        assert json.loads(shown.stdout)["coupons"]["used_yen"] == 600

        # In Taro's wallet: the coupon names the store it is for and cannot be gifted.
        async with chromium() as browser:
            page = await phone(browser)
            await page.goto(f"{s.base_url}/wallet/login?next=/wallet/v/{coupon['voucher_id']}")
            await sign_in_by_link(page, inbox, "taro@example.jp")
            await expect(page.locator("#balance")).to_have_text("¥400")
            await expect(page.locator("#only-at")).to_have_text("ご利用いただける店舗: 新宿店")
            await expect(page.locator("#gift")).to_have_count(0)
            await check_page(page, "crm-wallet-mail-coupon")


async def test_bad_offers_are_refused_and_make_nothing(tmp_path: Path) -> None:
    async with (
        smtp_inbox() as (_inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, with_issuer) as s,
    ):
        await customer(s, "山田太郎", "taro@example.jp", consent=True)
        mail = {"segment": "all", "subject": "ご案内", "body": "本文"}
        good = {"face_yen": 500, "use_until": last_day(s, 7)}
        for offer, field in (
            ({**good, "face_yen": 0}, "offer.face_yen"),
            ({**good, "face_yen": "500"}, "offer.face_yen"),
            ({**good, "use_until": last_day(s, -1)}, "offer.use_until"),
            ({**good, "use_until": last_day(s, 400)}, "offer.use_until"),
            ({**good, "use_until": "2027-02-30"}, "offer.use_until"),
            ({**good, "stores": ["st_nosuchstore"]}, "offer.stores"),
            ({**good, "percent": 10}, "offer"),
        ):
            error = await refused(s, "POST", "mail", {**mail, "offer": offer})
            assert (error["code"], error.get("field")) == ("mail.invalid", field), (offer, error)
        bad_to = await refused(s, "POST", "mail/drafts/test", {**mail, "to": "not-an-address"})
        assert (bad_to["code"], bad_to.get("field")) == ("mail.invalid", "to")
        assert (await s.call("GET", "mail"))["mail"] == []


@pytest.mark.node  # a real SQLite file
def test_a_coupon_is_given_once_and_only_while_consent_and_offer_stand(tmp_path: Path) -> None:
    """The writer unit that gives the coupon, for one recipient: nothing without consent in force
    (a refusal since the list was made), one coupon however often the send is retried (after
    the SMTP server paused), and nothing once the offer has ended."""
    now = FakeClock().now()
    path = tmp_path / "node.sqlite"
    prepare_database(path)
    conn = db.open_checked(path)
    last = now.astimezone(JST).date() + timedelta(days=3)
    offer = Offer(700, end_of_local_day(last, JST), ())
    numbers = iter(f"10000000000000{n:02d}" for n in range(1, 20))

    def give(customer_id: str, at: datetime) -> mail_operations.CouponGiven:
        drawn = NewVoucher(next(numbers), b"s" * 32, f"tx_{next(numbers)}")
        unit = mail_operations.give_coupon(
            "ml_1", customer_id, offer, drawn, SETTINGS, at, lambda: next(numbers)
        )
        conn.execute("BEGIN IMMEDIATE")  # the writer's unit: the journal's keys are deferred
        try:
            return unit(conn)
        finally:
            conn.execute("COMMIT")

    try:
        conn.execute("BEGIN IMMEDIATE")
        for customer in ("cu_1", "cu_2", "cu_3"):
            ledger_operations.add_customer(customer, "客", f"{customer}@example.jp", now)(conn)
        mail = MailCampaign(
            "ml_1", "件名", "本文", "all", "{}", MailStatus.SCHEDULED, now, 60, now, "admin",
            None, None, b"k" * 32,
        )  # fmt: skip
        mail_operations.create(mail, offer)(conn)
        conn.execute("COMMIT")
        for customer in ("cu_1", "cu_3"):
            event = ConsentEvent(
                f"ce_{customer}", customer, f"{customer}@example.jp", Purpose.MARKETING_EMAIL,
                True, ConsentMethod.API, "同意します", "admin", now,
            )  # fmt: skip
            conn.execute("BEGIN IMMEDIATE")
            crm_tables.insert_consent(conn, event)
            conn.execute("COMMIT")

        first, again = give("cu_1", now), give("cu_1", now + timedelta(minutes=5))
        assert first.voucher_id is not None and first == again
        assert give("cu_2", now) == mail_operations.CouponGiven(None, NOT_CONSENTING)
        ended = give("cu_3", offer.use_until)
        assert ended == mail_operations.CouponGiven(None, OFFER_ENDED)

        held = conn.execute(
            "SELECT holder_id, count(*) AS n, sum(face_yen) AS face FROM vouchers"
            " GROUP BY holder_id"
        ).fetchall()
        assert [(r["holder_id"], r["n"], r["face"]) for r in held] == [("cu_1", 1, 700)]
        terms = conn.execute(
            "SELECT store_group, no_gift, own_stores_only FROM voucher_terms WHERE voucher_id = ?",
            (first.voucher_id,),
        ).fetchone()
        assert (terms["store_group"], terms["no_gift"], terms["own_stores_only"]) == (None, 1, 1)
        # A free coupon that may not be gifted does not hold an erasure back.
        assert crm_tables.value_held(conn, "cu_1", now) == (0, 0)
    finally:
        conn.close()
