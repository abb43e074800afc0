"""Head office's points console in Chromium, every state checked by tests/page_checks.py (375 and
1366 px, axe, language, tap targets): a new program version refused for a moment in the past
(beside its field, what was typed kept), then set through the review that says from when it
applies; a campaign added and another cancelled through its confirm step; a member found by name
and by member number; an adjustment refused without a reason, then made, and its line in the
history with who made it; the console's home and the shortfalls page after a return whose
points were spent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.async_api import Page, expect

from node.points import actions, program_actions
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.points_console_helpers import PointsShop, points_shop, typed_local
from tests.web_flow_helpers import ADMIN_PASSWORD, phone, sign_in_with_password


async def _set_program(admin: Page, s: PointsShop, clock: FakeClock) -> None:
    await admin.goto(f"{s.base_url}/admin/points")
    await expect(admin.locator("#program [data-figure='earn']")).to_have_text(
        "100円ごとに1ポイント"
    )
    await check_page(admin, "points-program-default")
    form = admin.locator("#pt-program")
    await form.locator("[name='earn_per_yen']").fill("200")
    await form.locator("[name='earn_points']").fill("３")  # full-width, as an IME types it
    await form.locator("[name='expiry']").select_option("end_of_month")
    await form.locator("[name='effective_from']").fill(
        typed_local(clock.now() - timedelta(days=1), s.node)
    )
    await admin.click("#review-program")
    error = admin.locator("#pt-program-effective_from-error")
    await expect(error).to_contain_text("過去の日時")
    await expect(form.locator("[name='earn_per_yen']")).to_have_value("200")
    await check_page(admin, "points-program-refused")

    start = clock.now() + timedelta(days=7)
    await form.locator("[name='effective_from']").fill(typed_local(start, s.node))
    await admin.click("#review-program")
    await expect(admin.locator("#new-terms [data-figure='earn']")).to_have_text(
        "200円ごとに3ポイント"
    )
    await expect(admin.locator("#new-terms [data-figure='expiry']")).to_have_text(
        "付与した月の末日まで"
    )
    applies = admin.locator("#applies-from")
    await expect(applies).to_contain_text(typed_local(start, s.node).replace("T", " "))
    await expect(admin.locator("#never-past")).to_contain_text("条件")
    await check_page(admin, "points-program-review")
    await admin.click("#set-program")
    await expect(admin.locator("#notice")).to_contain_text("条件を変更しました")
    await expect(admin.locator("#scheduled")).to_contain_text("200円ごとに3ポイント")
    # Scheduled, not in force yet: purchases now still earn on the old terms.
    await expect(admin.locator("#program [data-figure='earn']")).to_have_text(
        "100円ごとに1ポイント"
    )
    shown = await program_actions.show_program(s.node)
    assert [v["earn_points"] for v in shown["scheduled"]] == [3]
    assert shown["scheduled"][0]["set_by"] == "admin:admin"


async def _campaigns(admin: Page, s: PointsShop, clock: FakeClock) -> None:
    form = admin.locator("#pt-campaign")
    for name in ("冬のポイント2倍", "取りやめる企画"):
        await form.locator("[name='name']").fill(name)
        await form.locator("[name='store_id']").select_option(s.store_id)
        await form.locator("[name='multiplier_pct']").fill("200")
        await form.locator("[name='starts_at']").fill(
            typed_local(clock.now() + timedelta(hours=1), s.node)
        )
        await form.locator("[name='ends_at']").fill(
            typed_local(clock.now() + timedelta(days=30), s.node)
        )
        await admin.click("#add-campaign")
        await expect(admin.locator("#notice")).to_contain_text("キャンペーンを追加しました")
    rows = admin.locator("#campaigns tr[data-state='scheduled']")
    await expect(rows).to_have_count(2)
    await check_page(admin, "points-campaigns")
    await admin.locator("#campaigns tr", has_text="取りやめる企画").locator("a.cancel").click()
    await expect(admin.locator("#cancel-name")).to_have_text("取りやめる企画")
    await check_page(admin, "points-campaign-cancel")
    await admin.click("#cancel-campaign")
    await expect(admin.locator("#notice")).to_contain_text("中止しました")
    cancelled = admin.locator("#campaigns tr[data-state='cancelled']")
    await expect(cancelled).to_contain_text("取りやめる企画")
    await expect(cancelled.locator("a.cancel")).to_have_count(0)


async def _find_member(admin: Page, s: PointsShop, member_no: str) -> None:
    await admin.click("nav.subnav a[href='/admin/points/members']")
    await admin.fill("#q", "花子")
    await admin.click("#search")
    row = admin.locator("#members tr[data-customer]")
    await expect(row).to_contain_text(member_no)
    await check_page(admin, "points-members-found")
    await row.locator("a").click()
    await expect(admin.locator("#member-no")).to_have_text(member_no)
    await admin.goto(f"{s.base_url}/admin/points/members")
    await admin.fill("#q", f"{member_no[:5]} {member_no[5:]}")  # as read off a card, spaced
    await admin.click("#search")
    await expect(admin.locator("#member")).to_have_attribute("data-balance", "123")
    earned = admin.locator("#history tr[data-kind='earn']")
    await expect(earned).to_contain_text("+123")
    await expect(earned).to_contain_text("連携キー「POS 渋谷店」")  # the POS, by its key's name
    await expect(admin.locator("#rank-name")).to_have_text("ランクなし")
    await check_page(admin, "points-member")


async def _adjust(admin: Page, member_no: str) -> None:
    form = admin.locator("#pt-adjust")
    await form.locator("[name='points']").fill("+50")
    await admin.click("#review-adjust")
    await expect(admin.locator("#pt-adjust-reason-error")).to_contain_text("理由")
    await expect(form.locator("[name='points']")).to_have_value("+50")
    await check_page(admin, "points-adjust-refused")
    await form.locator("[name='reason']").fill("レシート読み取り漏れのお詫び")
    await admin.click("#review-adjust")
    await expect(admin.locator("#adjust-points")).to_have_text("+50")
    await expect(admin.locator("#balance-after")).to_contain_text("173")
    await check_page(admin, "points-adjust-review")
    await admin.click("#adjust")
    await expect(admin.locator("#notice")).to_contain_text("ポイントを調整しました")
    line = admin.locator("#history tr[data-kind='adjust']")
    await expect(line).to_contain_text("調整")
    await expect(line).to_contain_text("+50")
    await expect(line).to_contain_text("レシート読み取り漏れのお詫び")
    await expect(line).to_contain_text("admin")
    await expect(admin.locator("#member")).to_have_attribute("data-balance", "173")
    await check_page(admin, "points-member-adjusted")


async def _home_and_shortfalls(admin: Page, s: PointsShop) -> None:
    await admin.goto(f"{s.base_url}/admin")
    block = admin.locator("#points-figures")
    outstanding = block.locator("[data-figure='points-outstanding']")
    await expect(outstanding).to_have_attribute("data-value", "0")  # all taken back
    await expect(block.locator("[data-figure='points-earned']")).to_have_text("123")
    await expect(block.locator("[data-figure='points-used']")).to_have_text("100")
    await check_page(admin, "points-dashboard")
    await admin.click("nav.console a[href='/admin/points']")
    await admin.click("nav.subnav a[href='/admin/points/shortfalls']")
    row = admin.locator("#shortfalls tr[data-txn='pos-1']")
    await expect(row).to_have_attribute("data-points", "50")
    await check_page(admin, "points-shortfalls")


async def test_head_office_runs_the_points_program(tmp_path: Path) -> None:
    clock = FakeClock()
    async with points_shop(tmp_path / "node", clock) as s, chromium() as browser:
        member = await s.member("山田花子", "hanako@example.jp")
        earned = await actions.earn(s.node, member.member_no, 12_345, "pos-1", s.pos, s.store_id)
        assert earned["points"] == 123
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await _set_program(admin, s, clock)
        await _campaigns(admin, s, clock)
        await _find_member(admin, s, member.member_no)
        await _adjust(admin, member.member_no)

        code = actions.card_code(s.node, member)
        await actions.use(s.node, str(code["payload"]), 100, "pos-2", s.pos, s.store_id)
        returned = await actions.return_txn(s.node, "pos-1", s.pos)  # 73 left of its 123
        assert (returned["points_taken_back"], returned["shortfall"]) == (73, 50)
        assert returned["balance"] == 0
        await _home_and_shortfalls(admin, s)
