"""The console's records: head office finds vouchers and customers, reads a voucher's whole history,
and downloads the redemptions CSV; a partner's voucher and a partner's store show up where they must.

Real node, real HTTP (a cookie jar per person), one pass in headless Chromium for the screens.
Everything is seeded through the node's JSON API, on the fake clock (10:00 in Tokyo, 24 Nov 2026).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from node.web.admin.exports import csv_lines, neutral
from tests.browser import chromium, screenshot
from tests.conftest import AsyncNode, NodeFactory, ok
from tests.settlement_helpers import redeem, store_of, two_partners, voucher_of
from tests.web_flow_helpers import DESKTOP, PHONE, sign_in_with_password
from tests.web_helpers import (
    ADMIN_PASSWORD,
    NewPerson,
    Person,
    add_store,
    browsers,
    customer_signs_in,
    redeem_by_api,
)

TOKYO = ZoneInfo("Asia/Tokyo")
EVIL_STORE = '=HYPERLINK("http://evil.example/","見る")'  # a name a spreadsheet would run
VOUCHER_ROW = re.compile(r'<tr data-voucher="(\d{12})"')
CUSTOMER_ROW = re.compile(
    r'<tr data-customer="(cu_[a-z0-9]+)">.*?data-count="(\d+)".*?data-balance="(\d+)"', re.S
)
HISTORY_ROW = re.compile(
    r'<tr data-kind="([a-z_]+)" data-amount="(-?\d+)" data-ref="([^"]*)" data-voided="(yes|no)"'
)
CSV_HEADER = [
    "local_time",
    "store_id",
    "store_name",
    "redemption_id",
    "voucher_number",
    "issuer",
    "amount_yen",
    "balance_after_yen",
    "voided",
    "receipt_no",
    "staff",
    "rest_yen",
    "rest_method",
]


def tokyo(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TOKYO)


@dataclass(frozen=True)
class Books:
    """What `seed` made: stores, customers, vouchers and redemptions, by their ids."""

    shibuya: str
    evil: str
    hanako: str
    taro: str
    jiro: str
    main: str  # hanako's ¥10,000 voucher, sold at Shibuya: redeemed, voided, gifted from
    gift: str  # ¥2,000 of it, given to taro
    used_up: str  # taro's ¥1,000, spent at once
    expired: str  # jiro's ¥3,000, valid for a day, expired unused
    redemptions: dict[str, str]


async def issue(anode: AsyncNode, **body: object) -> str:
    return str((await ok(anode, "POST", "vouchers", body))["voucher_id"])


async def customer(anode: AsyncNode, name: str, email: str) -> str:
    answer = await ok(anode, "POST", "customers", {"name": name, "email": email})
    return str(answer["customer_id"])


async def seed(anode: AsyncNode) -> Books:
    """A day at the shop, then a minute past midnight, then the expiry sweep two days later."""
    clock = anode.clock
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    shibuya, evil = await add_store(anode, "渋谷店"), await add_store(anode, EVIL_STORE)
    hanako = await customer(anode, "佐藤 花子", "hanako@example.jp")
    taro = await customer(anode, "田中 太郎", "ta_ro@example.jp")
    jiro = await customer(anode, "鈴木 次郎", "taxro@example.jp")  # "ta_ro" if _ were a wildcard
    main = await issue(anode, amount=10_000, price=9_500, customer_id=hanako, store_id=shibuya)
    clock.set(tokyo("2026-11-24T10:00:10"))
    used_up = await issue(anode, amount=1_000, customer_id=taro, store_id=evil)
    clock.set(tokyo("2026-11-24T10:00:20"))
    expired = await issue(anode, amount=3_000, customer_id=jiro, valid_days=1)
    rd: dict[str, str] = {}
    clock.set(tokyo("2026-11-24T10:01:00"))
    rd["10:01"] = await redeem_by_api(anode, main, shibuya, 1_000)
    clock.set(tokyo("2026-11-24T10:02:00"))
    rd["10:02"] = await redeem_by_api(anode, main, evil, 2_000)
    clock.set(tokyo("2026-11-24T10:03:00"))
    await ok(anode, "POST", f"redemptions/{rd['10:02']}/void", {})
    clock.set(tokyo("2026-11-24T10:04:00"))
    gift = await ok(anode, "POST", f"vouchers/{main}/gift", {"to": taro, "amount": 2_000})
    clock.set(tokyo("2026-11-24T10:05:00"))
    rd["10:05"] = await redeem_by_api(anode, used_up, shibuya, 1_000)
    clock.set(tokyo("2026-11-24T23:59:30"))
    rd["23:59"] = await redeem_by_api(anode, main, shibuya, 500)
    clock.set(tokyo("2026-11-25T00:00:00"))
    rd["00:00"] = await redeem_by_api(anode, main, shibuya, 700)
    clock.set(tokyo("2026-11-26T00:00:01"))
    await ok(anode, "POST", "vouchers/expire", {})
    assert (await ok(anode, "GET", f"vouchers/{expired}"))["status"] == "expired"
    return Books(
        shibuya, evil, hanako, taro, jiro, main, str(gift["voucher_id"]), used_up, expired, rd
    )


async def head_office(new: NewPerson) -> Person:
    admin = new()
    assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    return admin


async def found(admin: Person, query: str) -> list[str]:
    page = await admin.get(f"/admin/vouchers?{query}")
    assert page.status == 200, (query, page.status, page.code)
    return VOUCHER_ROW.findall(page.text)


def hyphenated(number: str) -> str:
    return f"{number[:4]}-{number[4:8]}-{number[8:]}"


async def test_head_office_finds_vouchers_by_number_holder_status_and_store(
    anode: AsyncNode,
) -> None:
    books = await seed(anode)
    async with browsers(anode) as new:
        admin = await head_office(new)
        newest_first = [books.gift, books.expired, books.used_up, books.main]
        assert await found(admin, "") == newest_first
        assert await found(admin, f"number={hyphenated(books.main)}") == [books.main]
        spaced = f"{books.main[:4]} {books.main[4:8]}　{books.main[8:]}"  # an ideographic space
        assert await found(admin, f"number={spaced}") == [books.main]
        manual_code = books.main + "123456"  # the 18 digits under a QR code name the voucher
        assert await found(admin, f"number={manual_code}") == [books.main]
        assert await found(admin, f"number={books.main[-5:]}") == [books.main]
        assert await found(admin, "holder=hana") == [books.main]
        assert await found(admin, "holder=TA_RO") == [books.gift, books.used_up]
        assert await found(admin, "holder=%25") == []  # a literal %: nobody's name has one
        assert await found(admin, "holder=花子") == [books.main]
        assert await found(admin, "status=active") == [books.gift, books.main]
        assert await found(admin, "status=exhausted") == [books.used_up]
        assert await found(admin, "status=expired") == [books.expired]
        assert await found(admin, "status=gift") == [books.gift]
        assert await found(admin, f"store={books.evil}") == [books.used_up]
        assert await found(admin, f"store={books.shibuya}&holder=taro") == []

        refused = await admin.get("/admin/vouchers?number=12ab")
        assert (refused.status, refused.code) == (400, "request.invalid")
        assert "券番号は18桁までの数字" in refused.text
        assert VOUCHER_ROW.findall(refused.text) == []
        assert (await admin.get("/admin/vouchers?status=lost")).status == 400


async def test_a_voucher_shows_its_whole_history(anode: AsyncNode) -> None:
    books = await seed(anode)
    async with browsers(anode) as new:
        admin = await head_office(new)
        page = await admin.get(f"/admin/vouchers/{books.main}")
        assert page.status == 200
        rd = books.redemptions
        assert HISTORY_ROW.findall(page.text) == [
            ("issue", "10000", "", "no"),
            ("redeem", "-1000", rd["10:01"], "no"),
            ("redeem", "-2000", rd["10:02"], "yes"),
            ("void_redemption", "2000", rd["10:02"], "no"),
            ("gift", "-2000", "", "no"),
            ("redeem", "-500", rd["23:59"], "no"),
            ("redeem", "-700", rd["00:00"], "no"),
        ]
        assert re.search(r'id="balance"[^>]*>¥5,800<', page.text)
        assert re.search(r'id="price"[^>]*>¥9,500<', page.text)
        assert f'href="/admin/customers/{books.hanako}">佐藤 花子<' in page.text
        assert f'id="gifted-to"><a href="/admin/vouchers/{books.gift}"' in page.text
        voided = re.search(rf'data-ref="{rd["10:02"]}" data-voided="yes".*?</tr>', page.text, re.S)
        assert voided and "=HYPERLINK" in voided.group(0) and "取消済み" in voided.group(0)

        gift = await admin.get(f"/admin/vouchers/{books.gift}")
        assert HISTORY_ROW.findall(gift.text) == [("gift", "2000", "", "no")]
        assert f'id="gifted-from"><a href="/admin/vouchers/{books.main}"' in gift.text
        expired = await admin.get(f"/admin/vouchers/{books.expired}")
        assert HISTORY_ROW.findall(expired.text) == [
            ("issue", "3000", "", "no"),
            ("expire", "-3000", "", "no"),
        ]
        assert "2026-11-25" in expired.text  # valid through the day after it was issued

        unknown = await admin.get("/admin/vouchers/999999999999")
        assert (unknown.status, unknown.code) == (404, "voucher.not_found")

        admin.headers["Accept-Language"] = "en"  # every page has its English text
        for path in (
            "/admin/vouchers",
            "/admin/customers",
            f"/admin/customers/{books.hanako}",
            "/admin/exports",
            f"/admin/vouchers/{books.main}",
        ):
            english = await admin.get(path)
            assert english.status == 200 and '<html lang="en">' in english.text, path
        assert "Gift given" in english.text and "Voided" in english.text


async def test_customers_are_found_and_show_their_vouchers(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    books = await seed(anode)
    async with browsers(anode) as new:
        await customer_signs_in(new(), "hanako@example.jp", caplog)
        admin = await head_office(new)
        listed = await admin.get("/admin/customers")
        assert CUSTOMER_ROW.findall(listed.text) == [
            (books.jiro, "1", "0"),
            (books.taro, "2", "2000"),
            (books.hanako, "1", "5800"),
        ]
        by_part = await admin.get("/admin/customers?q=ta_ro")
        assert [row[0] for row in CUSTOMER_ROW.findall(by_part.text)] == [books.taro]
        assert CUSTOMER_ROW.findall((await admin.get("/admin/customers?q=%25")).text) == []
        by_name = await admin.get("/admin/customers?q=次郎")
        assert [row[0] for row in CUSTOMER_ROW.findall(by_name.text)] == [books.jiro]

        hanako = await admin.get(f"/admin/customers/{books.hanako}")
        assert VOUCHER_ROW.findall(hanako.text) == [books.main]
        assert 'data-wallet="yes"' in hanako.text and 'id="last-sign-in"' in hanako.text
        assert re.search(r'id="total-balance"[^>]*>¥5,800<', hanako.text)
        taro = await admin.get(f"/admin/customers/{books.taro}")
        assert VOUCHER_ROW.findall(taro.text) == [books.gift, books.used_up]
        assert f'data-voucher="{books.gift}" data-balance="2000"' in taro.text
        assert 'data-wallet="no"' in taro.text and "last-sign-in" not in taro.text

        unknown = await admin.get("/admin/customers/cu_nobody")
        assert (unknown.status, unknown.code) == (404, "customer.not_found")


async def download(admin: Person, query: str) -> tuple[int, dict[str, str], bytes]:
    async with admin.http.get(f"{admin.base_url}/admin/exports/redemptions.csv?{query}") as r:
        return r.status, dict(r.headers), await r.read()


async def csv_rows(admin: Person, query: str) -> list[list[str]]:
    """The rows, without the receipt number, staff and rest columns (`receipts_and_staff`)."""
    return [row[:-4] for row in await full_csv_rows(admin, query)]


async def full_csv_rows(admin: Person, query: str) -> list[list[str]]:
    status, headers, body = await download(admin, query)
    assert status == 200, body[:300]
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))
    assert rows[0] == CSV_HEADER
    return rows[1:]


async def receipts_and_staff(anode: AsyncNode, admin: Person, query: str) -> None:
    """Each row's receipt number is its redemption's; staff is empty (made through the API), and
    so is the rest (each voucher paid its whole amount; tests/test_web_console.py has a rest)."""
    for row in await full_csv_rows(admin, query):
        shown = await ok(anode, "GET", f"redemptions/{row[3]}")
        assert row[-4:] == [shown["receipt_no"], "", "", ""], row


async def test_the_redemptions_csv(anode: AsyncNode) -> None:
    books = await seed(anode)
    rd, main, used, us = books.redemptions, books.main, books.used_up, "Test Izakaya"
    sh, name, evil = books.shibuya, "渋谷店", "'" + EVIL_STORE  # neutralised: never a formula
    async with browsers(anode) as new:
        admin = await head_office(new)
        shibuya_24 = f"store={books.shibuya}&from=2026-11-24&to=2026-11-24"
        assert await csv_rows(admin, shibuya_24) == [
            ["2026-11-24 10:01:00", sh, name, rd["10:01"], main, us, "1000", "9000", "no"],
            ["2026-11-24 10:05:00", sh, name, rd["10:05"], used, us, "1000", "0", "no"],
            ["2026-11-24 23:59:30", sh, name, rd["23:59"], main, us, "500", "6500", "no"],
        ]  # fmt: skip
        status, headers, _ = await download(admin, shibuya_24)
        assert headers["Content-Disposition"] == (
            f'attachment; filename="redemptions_{books.shibuya}_2026-11-24_2026-11-24.csv"'
        )
        # All stores: store by store, in the order they were added; each in time order.
        assert await csv_rows(admin, "store=&from=2026-11-24&to=2026-11-24") == [
            ["2026-11-24 10:01:00", sh, name, rd["10:01"], main, us, "1000", "9000", "no"],
            ["2026-11-24 10:05:00", sh, name, rd["10:05"], used, us, "1000", "0", "no"],
            ["2026-11-24 23:59:30", sh, name, rd["23:59"], main, us, "500", "6500", "no"],
            ["2026-11-24 10:02:00", books.evil, evil, rd["10:02"], main, us, "2000", "7000", "yes"],
        ]  # fmt: skip
        assert await csv_rows(admin, f"store={books.shibuya}&from=2026-11-25&to=2026-12-31") == [
            ["2026-11-25 00:00:00", sh, name, rd["00:00"], main, us, "700", "5800", "no"],
        ]  # fmt: skip
        assert await csv_rows(admin, f"store={books.evil}&from=2026-11-25&to=2026-11-25") == []

        for query, field in [
            ("from=2026-11-25&to=2026-11-24", "from"),
            ("from=2026/11/24&to=2026-11-24", "from"),
            ("from=&to=2026-11-24", "from"),
            ("from=2026-11-24&to=2026-02-30", "to"),
            ("from=2026-11-24", "to"),
            ("from=2025-11-23&to=2026-11-24", "to"),  # 367 days
            ("store=st_nowhere&from=2026-11-24&to=2026-11-24", "store"),
        ]:
            status, headers, body = await download(admin, query)
            assert status == 400, query
            assert headers["Content-Type"].startswith("text/html")
            # Shown on the export form next to the field, the choice kept (issue 15).
            assert f'id="export-form-{field}-error"' in body.decode(), (query, body[:500])
            assert 'data-code="request.invalid"' in body.decode(), query
        await receipts_and_staff(anode, admin, "from=2026-11-24&to=2026-11-25")
        year = await csv_rows(admin, "from=2025-11-24&to=2026-11-24")  # 366 days: allowed
        assert [row[3] for row in year] == [rd["10:01"], rd["10:05"], rd["23:59"], rd["10:02"]]


async def test_the_pages_in_a_real_browser(anode: AsyncNode) -> None:
    books = await seed(anode)
    async with chromium() as browser:
        context = await browser.new_context(viewport=DESKTOP, locale="ja-JP")
        page = await context.new_page()
        await sign_in_with_password(page, anode.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.click("nav.console a[href='/admin/vouchers']")
        await expect(page.locator("#vouchers tbody tr")).to_have_count(4)
        await screenshot(page, "desktop-admin-vouchers")
        await page.fill("#number", hyphenated(books.main))
        await page.click("#search")
        await expect(page.locator("#vouchers tbody tr")).to_have_count(1)
        await page.click(f"tr[data-voucher='{books.main}'] a[href^='/admin/vouchers/']")
        await expect(page.locator("#balance")).to_have_text("¥5,800")
        await expect(page.locator("#history tbody tr")).to_have_count(7)
        await expect(page.locator("#history tr.voided")).to_contain_text("取消済み")
        await screenshot(page, "desktop-admin-voucher")
        await page.set_viewport_size(PHONE)
        await screenshot(page, "phone-admin-voucher")
        await page.click("#holder a")
        await expect(page.locator("#customer-name")).to_have_text("佐藤 花子")
        await page.goto(f"{anode.base_url}/admin/vouchers")
        await screenshot(page, "phone-admin-vouchers")
        await page.select_option("#status", "gift")
        await page.click("#search")
        await expect(page.locator("#vouchers tbody tr")).to_have_count(1)
        await page.click("nav.console a[href='/admin/customers']")
        await expect(page.locator("#customers tbody tr")).to_have_count(3)
        await screenshot(page, "phone-admin-customers")
        await page.set_viewport_size(DESKTOP)
        await screenshot(page, "desktop-admin-customers")
        await page.click("nav.console a[href='/admin/exports']")
        async with page.expect_download() as waiting:
            await page.click("#download")
        download = await waiting.value
        assert download.suggested_filename == "redemptions_all_2026-11-01_2026-11-26.csv"
        await screenshot(page, "desktop-admin-exports")
        await context.close()


async def test_partner_vouchers_in_both_directions(nodes: NodeFactory) -> None:
    """A's voucher spent at B's store: in A's voucher history; B's voucher at A's: in A's CSV."""
    a, b = await two_partners(nodes)
    store_a, store_b = await store_of(a, "=A本店"), await store_of(b, "B駅前店")
    ours, theirs = await voucher_of(a, 5_000), await voucher_of(b, 4_000)
    status, at_partner = await redeem(b, a, ours, 1_500, store_b)
    assert (status, at_partner["status"]) == (201, "accepted"), at_partner
    status, at_ours = await redeem(a, b, theirs, 1_200, store_a)
    assert (status, at_ours["status"]) == (201, "accepted"), at_ours
    await ok(a, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    async with browsers(a) as new:
        admin = await head_office(new)
        page = await admin.get(f"/admin/vouchers/{ours}")
        assert HISTORY_ROW.findall(page.text) == [
            ("issue", "5000", "", "no"),
            ("claim", "-1500", at_partner["claim_id"], "no"),
        ]
        claim_row = re.search(
            rf'<tr data-claim="{at_partner["claim_id"]}".*?</tr>', page.text, re.S
        )
        assert claim_row and "Trattoria B" in claim_row.group(0) and "B駅前店" in claim_row.group(0)

        day = a.clock.now().astimezone(TOKYO).date()
        rows = await csv_rows(admin, f"store={store_a}&from={day}&to={day}")
        assert [row[1:] for row in rows] == [
            [store_a, "'=A本店", at_ours["claim_id"], theirs, "Trattoria B", "1200", "2800", "no"]
        ]


@pytest.mark.parametrize(
    "name",
    [
        '＝HYPERLINK("http://evil.example/","見る")',  # full-width =: a formula in Japanese Excel
        "＋1+1",
        "－1+1",
        "＠SUM(A1)",
        "﹦1+1",  # the small forms fold to = + - @ as well
        "﹢1",
        "﹣1",
        "﹫SUM(A1)",
    ],
)
def test_a_full_width_formula_start_is_neutralised(name: str) -> None:
    assert neutral(name) == "'" + name
    written = csv_lines([(name, 1)]).decode("utf-8")
    assert list(csv.reader(io.StringIO(written, newline=""))) == [["'" + name, "1"]]


@pytest.mark.parametrize("name", ["渋谷店", "ー長音", "a=b", "1-2", "−1"])
def test_text_that_starts_no_formula_is_left_alone(name: str) -> None:
    assert neutral(name) == name


async def test_a_full_width_equals_store_name_is_text_in_the_csv(anode: AsyncNode) -> None:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    name = '＝HYPERLINK("http://evil.example/","見る")'
    store = await add_store(anode, name)
    voucher = await issue(anode, amount=1_000)
    redemption = await redeem_by_api(anode, voucher, store, 300)
    async with browsers(anode) as new:
        admin = await head_office(new)
        rows = await csv_rows(admin, f"store={store}&from=2026-11-24&to=2026-11-24")
    assert rows == [
        ["2026-11-24 10:00:00", store, "'" + name, redemption, voucher, "Test Izakaya", "300", "700", "no"]
    ]  # fmt: skip
