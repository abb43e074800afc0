"""The console's segments page and the LTV and cohort parts of 顧客分析, in Chromium against a
real node: a segment made through the form counts what the admin API counts, a refused one shows
the error beside its field and saves nothing, its members download as CSV, it is deleted after a
confirm step; and the LTV chart, the cohort table and their CSVs give the figures worked out by
hand below for a small known history."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from node.crm.segments import read_filters
from node.errors import InvalidSegment
from node.web.admin.analytics_ltv import heat
from node.web.admin.segment_form import typed_filters
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import ADMIN_PASSWORD, Shop, phone, shop, sign_in_with_password

# 10:00 in Tokyo on the 10th of each month, the last one the day the console is looked at.
AUGUST, SEPTEMBER, OCTOBER, NOVEMBER = (
    datetime(2026, month, 10, 1, 0, tzinfo=UTC) for month in (8, 9, 10, 11)
)
AS_OF = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


async def customer(s: Shop, name: str, email: str) -> str:
    return str((await s.call("POST", "customers", {"name": name, "email": email}))["customer_id"])


async def pays(s: Shop, customer_id: str, yen: int) -> None:
    """A voucher bought for `yen` (its face the same): spend the day the clock shows."""
    await s.call("POST", "vouchers", {"amount": yen, "price": yen, "customer_id": customer_id})


async def history(s: Shop) -> dict[str, str]:
    """Four customers; three pay, month by month (yen):

    | customer | Aug    | Sep   | Oct   | Nov   | total  | first paid |
    |----------|--------|-------|-------|-------|--------|------------|
    | 山田 (A) | 10,000 | 6,000 |       | 2,000 | 18,000 | 2026-08    |
    | 佐藤 (B) | 4,000  |       | 3,000 |       | 7,000  | 2026-08    |
    | 鈴木 (C) |        | 5,000 |       | 1,000 | 6,000  | 2026-09    |
    | 田中 (D) |        |       |       |       | 0      | never      |

    Only A consented to marketing mail."""
    people = {
        "A": await customer(s, "山田太郎", "taro@example.jp"),
        "B": await customer(s, "佐藤花子", "hanako@example.jp"),
        "C": await customer(s, "鈴木一郎", "ichiro@example.jp"),
        "D": await customer(s, "田中次郎", "jiro@example.jp"),
    }
    await s.call("POST", f"customers/{people['A']}/consent", {"marketing": True})
    for moment, payments in (
        (AUGUST, (("A", 10_000), ("B", 4_000))),
        (SEPTEMBER, (("A", 6_000), ("C", 5_000))),
        (OCTOBER, (("B", 3_000),)),
        (NOVEMBER, (("A", 2_000), ("C", 1_000))),
    ):
        s.clock.set(moment)
        for who, yen in payments:
            await pays(s, people[who], yen)
    s.clock.set(AS_OF)
    return people


async def downloaded(page: Page, selector: str) -> list[list[str]]:
    """The CSV behind the link: UTF-8 with a byte-order mark, read as rows."""
    async with page.expect_download() as downloading:
        await page.click(selector)
    path = Path(await (await downloading.value).path())
    raw = await asyncio.to_thread(path.read_bytes)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


async def test_a_segment_is_made_counted_exported_and_deleted_in_the_console(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(AUGUST), None) as s, chromium() as browser:
        people = await history(s)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/customers")
        await page.click("#segments-link")
        everyone = page.locator("#segments tr[data-segment-id='all'] td.count")
        await expect(everyone).to_have_attribute("data-count", "4")

        # A range upside down: refused beside its field with the code's text, nothing saved.
        await page.fill("#sg-name", "範囲が逆")
        await page.fill("#sg-balance_min", "5000")
        await page.fill("#sg-balance_max", "1000")
        await page.click("#create")
        error = page.locator("#new-segment-balance_max-error")
        await expect(error).to_have_attribute("data-code", "segment.invalid")
        await expect(error).to_have_text(
            "セグメントの条件を読み取れません。指定された項目を確認してください。"
        )
        await expect(page.locator("#sg-balance_max")).to_have_attribute("aria-invalid", "true")
        await expect(page.locator("#sg-balance_min")).to_have_value("5000")  # kept
        await check_page(page, "crm-console-segment-refused")
        listed = await s.call("GET", "segments")
        assert [x["name"] for x in listed["segments"]] == ["all"]

        # Spent 5,000 or more (typed full-width, with a comma) and holds a usable voucher.
        await page.goto(f"{s.base_url}/admin/segments")
        await page.fill("#sg-name", "常連候補")
        await page.fill("#sg-spend_min", "５，０００")
        await page.select_option("#sg-has_active_voucher", "yes")
        await page.click("#create")
        await expect(page.locator("#notice")).to_have_text("セグメントを保存しました。")
        row = page.locator("#segments tr[data-segment='常連候補']")
        api = await s.call("GET", "segments/常連候補")
        assert api["filters"] == {"has_active_voucher": True, "spend_min": 5_000}
        assert api["customers"] == 3  # A 18,000, B 7,000, C 6,000; D paid nothing
        await expect(row.locator("td.count")).to_have_attribute("data-count", "3")
        await expect(row.locator("li[data-filter='spend_min']")).to_contain_text("¥5,000")
        await check_page(page, "crm-console-segments")

        # The same name again: refused beside the name.
        await page.fill("#sg-name", "常連候補")
        await page.click("#create")
        taken = page.locator("#new-segment-name-error")
        await expect(taken).to_have_attribute("data-code", "segment.name_taken")
        await expect(taken).to_have_text(
            "同じ名前のセグメントがすでにあります。別の名前にしてください。"
        )

        await page.goto(f"{s.base_url}/admin/segments")
        rows = await downloaded(page, "#segments tr[data-segment='常連候補'] a.csv")
        assert rows[0] == [
            "customer_id",
            "name",
            "email",
            "registered_at",
            "balance_yen",
            "marketing_consent",
        ]
        found = {r[0]: (r[1], r[2], r[4], r[5]) for r in rows[1:]}
        assert found == {
            people["A"]: ("山田太郎", "taro@example.jp", "18000", "yes"),
            people["B"]: ("佐藤花子", "hanako@example.jp", "7000", "no"),
            people["C"]: ("鈴木一郎", "ichiro@example.jp", "6000", "no"),
        }
        assert all(r[3].startswith("2026-08-10T10:00:00+09:00") for r in rows[1:])

        # Delete, after the confirm step.
        await page.click("#segments tr[data-segment='常連候補'] a.delete")
        await expect(page.locator("#delete-name")).to_have_text("常連候補")
        await expect(page.locator("#delete-count")).to_have_text("3")
        await check_page(page, "crm-console-segment-delete")
        await page.click("#delete")
        await expect(page.locator("#notice")).to_have_text("セグメントを削除しました。")
        await expect(page.locator("#segments tr[data-segment='常連候補']")).to_have_count(0)
        listed = await s.call("GET", "segments")
        assert [x["name"] for x in listed["segments"]] == ["all"]
        await expect(page.locator("#segments tr[data-segment-id='all'] a.delete")).to_have_count(0)

        # In English: the labels and the refusal in the reader's language.
        await page.context.add_cookies([{"name": "kippu_lang", "value": "en", "url": s.base_url}])
        await page.goto(f"{s.base_url}/admin/segments")
        await expect(page.locator("label:has(#sg-spend_min)")).to_contain_text("Spend, at least")
        await page.fill("#sg-name", "May")
        await page.select_option("#sg-birthday_month", "5")
        await page.fill("#sg-points_expiring_within_days", "0")
        await page.click("#create")
        await expect(page.locator("#new-segment-points_expiring_within_days-error")).to_have_text(
            "A segment's filter is not understood; check the field named."
        )
        await expect(page.locator("#sg-birthday_month")).to_have_value("5")  # kept
        await check_page(page, "crm-console-segment-refused-en")
        listed = await s.call("GET", "segments")
        assert [x["name"] for x in listed["segments"]] == ["all"]


async def test_the_ltv_chart_and_cohort_table_give_the_hand_worked_figures(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(AUGUST), None) as s, chromium() as browser:
        await history(s)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.goto(f"{s.base_url}/admin/analytics")

        # LTV at the default 30 %: August acquired A and B, 25,000 spent, 7,500 gross profit,
        # 3,750 each; September acquired C, 6,000 spent, 1,800. Everyone: 9,300 / 3 = 3,100.
        await expect(page.locator("#ltv-average")).to_have_text("¥3,100")
        bars = page.locator("#ltv-chart g.bar")
        await expect(bars).to_have_count(2)
        august = page.locator("#ltv-chart g.bar[data-month='2026-08']")
        await expect(august).to_have_attribute("data-value", "3750")
        await expect(august.locator("title")).to_have_text("2026-08: 平均LTV ¥3,750 (2人)")
        await expect(august.locator("text.value")).to_have_text("3,750")
        september = page.locator("#ltv-chart g.bar[data-month='2026-09']")
        await expect(september).to_have_attribute("data-value", "1800")
        # twelve months on the axis, 2025-12 to 2026-11, the empty ones without a bar
        await expect(page.locator("#ltv-chart g.month")).to_have_count(12)
        await expect(page.locator("#ltv-chart g.axis text").first).to_have_text("¥0")
        cells = page.locator("#ltv-table tr[data-month='2026-08'] td")
        await expect(cells).to_have_text(["2", "¥25,000", "¥7,500", "¥3,750"])

        # Cohorts as of November: August's two paid in Sep (A), Oct (B), Nov (A): 1 of 2 each;
        # September's one skipped October and came back in November.
        august_row = page.locator("#cohorts tr[data-cohort='2026-08'] td[data-since]")
        await expect(august_row).to_have_text(["100%", "50%", "50%", "50%"])
        second = page.locator("#cohorts tr[data-cohort='2026-08'] td[data-since='2']")
        await expect(second).to_have_attribute(
            "title", "2026-08の2人のうち2か月後 (2026-10) に購入: 1人 (50.0%)"
        )
        september_row = page.locator("#cohorts tr[data-cohort='2026-09'] td[data-since]")
        await expect(september_row).to_have_text(["100%", "0%", "100%"])
        await expect(page.locator("#cohorts tr[data-cohort='2026-09'] td.heat-0")).to_have_count(1)
        await check_page(page, "crm-console-ltv-cohorts")

        assert await downloaded(page, "#ltv-csv") == [
            [
                "month",
                "customers",
                "spend_yen",
                "gross_profit_yen",
                "average_ltv_yen",
                "margin_percent",
            ],
            ["2026-08", "2", "25000", "7500", "3750", "30"],
            ["2026-09", "1", "6000", "1800", "1800", "30"],
        ]
        assert await downloaded(page, "#cohorts-csv") == [
            ["cohort_month", "customers", "months_since", "month", "retained", "share"],
            ["2026-08", "2", "0", "2026-08", "2", "1.0"],
            ["2026-08", "2", "1", "2026-09", "1", "0.5"],
            ["2026-08", "2", "2", "2026-10", "1", "0.5"],
            ["2026-08", "2", "3", "2026-11", "1", "0.5"],
            ["2026-09", "1", "0", "2026-09", "1", "1.0"],
            ["2026-09", "1", "1", "2026-10", "0", "0.0"],
            ["2026-09", "1", "2", "2026-11", "1", "1.0"],
        ]

        # Another margin: 25 % of 25,000 is 6,250, 3,125 each; the CSV follows the page.
        await page.fill("#margin", "25")
        await page.click("#show")
        await expect(august).to_have_attribute("data-value", "3125")
        rows = await downloaded(page, "#ltv-csv")
        assert rows[1] == ["2026-08", "2", "25000", "6250", "3125", "25"]
        api = await s.call("GET", "analytics/ltv?margin_percent=25")
        assert [m["average_ltv_yen"] for m in api["months"]] == [3_125, 1_500]

        # As of September's end the cohorts stop there: August's row has two months.
        await page.fill("#as-of", "2026-09-30")
        await page.click("#show")
        await expect(august_row).to_have_text(["100%", "50%"])
        # LTV then: A 16,000, B 4,000, C 5,000; 25 % of 25,000 is 6,250, 2,083.33 each
        await expect(page.locator("#ltv-average")).to_have_text("¥2,083")


def test_the_form_reads_what_people_type_and_leaves_the_rest_to_the_apis_rules() -> None:
    form = {
        "spend_min": "１，０００円",
        "balance_max": "¥2,000",
        "birthday_month": "5",
        "points_expiring_within_days": "三十",
        "has_active_voucher": "no",
        "marketing_consent": "",
        "rank": "ゴールド",
        "tag": "  ",
        "last_visit_after": "2026-10-01",
    }
    raw = typed_filters(form, ["st_a"])
    assert raw == {
        "spend_min": 1_000,
        "balance_max": 2_000,
        "birthday_month": 5,
        "points_expiring_within_days": "三十",  # not a number: the API's rule refuses it
        "has_active_voucher": False,
        "rank": "ゴールド",
        "last_visit_after": "2026-10-01",
        "stores_visited": ["st_a"],
    }
    with pytest.raises(InvalidSegment) as refused:
        read_filters(raw)
    assert refused.value.details["field"] == "points_expiring_within_days"


def test_a_cohort_cell_is_shaded_by_fifths() -> None:
    shades = [heat(Fraction(n, 10)) for n in range(11)]
    assert shades == [0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]
