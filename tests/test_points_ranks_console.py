"""Head office's member ranks in the console, in Chromium, every state checked by
tests/page_checks.py: a rank table refused beside its levels (what was typed kept), then set
through the review that states the rule; a member who spends past シルバー's threshold shown as
シルバー on the member page; a rank guarantee refused without a reason, then set through its
review; the recompute run now through its confirm step, its counts on the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import Page, expect

from node.points import actions, rank_actions
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.points_console_helpers import PointsShop, points_shop
from tests.web_flow_helpers import ADMIN_PASSWORD, phone, sign_in_with_password

LEVELS = (("ブロンズ", "0", "100"), ("シルバー", "50000", "150"), ("ゴールド", "200000", "200"))
NEW_YEAR_2028 = datetime(2027, 12, 31, 15, 0, 5, tzinfo=UTC)  # just after 2028-01-01 in Tokyo


async def _fill_levels(admin: Page, levels: tuple[tuple[str, str, str], ...]) -> None:
    form = admin.locator("#pt-ranks")
    for row, (name, yen, pct) in enumerate(levels, start=1):
        await form.locator(f"[name='level_name_{row}']").fill(name)
        await form.locator(f"[name='level_min_yen_{row}']").fill(yen)
        await form.locator(f"[name='level_pct_{row}']").fill(pct)


async def _set_table(admin: Page, s: PointsShop) -> None:
    await admin.goto(f"{s.base_url}/admin/points")
    await admin.click("nav.subnav >> text=ランク")
    await expect(admin.locator("#no-ranks")).to_contain_text("まだ設定されていません")
    await check_page(admin, "ranks-none")
    form = admin.locator("#pt-ranks")
    await form.locator("[name='recompute']").fill("01-01")
    await _fill_levels(admin, (*LEVELS[:2], ("ゴールド", "30000", "200")))
    await admin.click("#review-ranks")
    error = admin.locator("#pt-ranks-levels-error")
    await expect(error).to_contain_text("上のランクほど必要な金額を多く")
    assert await error.get_attribute("data-code") == "rank.invalid"
    await expect(form.locator("[name='level_min_yen_3']")).to_have_value("30000")
    await check_page(admin, "ranks-refused")
    assert (await rank_actions.show_table(s.node))["in_force"] is None

    await form.locator("[name='level_min_yen_3']").fill("２０００００")  # full-width, as typed
    await admin.click("#review-ranks")
    await expect(admin.locator("#new-ranks tbody tr")).to_have_count(3)
    await expect(admin.locator("#new-ranks [data-level='シルバー']")).to_contain_text("150%")
    await expect(admin.locator("#rank-rule")).to_contain_text("ランク判定日だけ")
    await expect(admin.locator("#applies-from")).to_contain_text("押した時点から")
    await check_page(admin, "ranks-review")
    assert (await rank_actions.show_table(s.node))["in_force"] is None  # the review set nothing
    await admin.click("#set-ranks")
    await expect(admin.locator("#notice")).to_contain_text("ランク表を変更しました")
    await expect(admin.locator("#rank-levels [data-level='ゴールド']")).to_contain_text("200%")
    await expect(admin.locator("[data-figure='recompute']")).to_have_text("毎年1月1日")
    await check_page(admin, "ranks-set")
    shown = (await rank_actions.show_table(s.node))["in_force"]
    assert [level["min_spend_yen"] for level in shown["levels"]] == [0, 50_000, 200_000]
    assert shown["created_by"] == "admin:admin"


async def _floor(admin: Page, s: PointsShop, member_no: str) -> None:
    form = admin.locator("#pt-floor")
    await form.locator("[name='rank']").select_option("ゴールド")
    await form.locator("[name='floor_until']").fill("2028-06-30")
    await admin.click("#review-floor")
    error = admin.locator("#pt-floor-reason-error")
    await expect(error).to_contain_text("理由")
    await expect(form.locator("[name='floor_until']")).to_have_value("2028-06-30")
    await check_page(admin, "rank-floor-refused")
    await form.locator("[name='rank']").select_option("ブロンズ")  # below the rank held
    await form.locator("[name='reason']").fill("VIP移行")
    await admin.click("#review-floor")
    refused = admin.locator("#pt-floor-rank-error")
    await expect(refused).to_contain_text("今のランク以上")
    assert await refused.get_attribute("data-code") == "rank.floor_refused"
    await form.locator("[name='rank']").select_option("ゴールド")
    await admin.click("#review-floor")
    await expect(admin.locator("#floor-rank")).to_have_text("ゴールド")
    await expect(admin.locator("#floor-rank-now")).to_have_text("シルバー")
    await check_page(admin, "rank-floor-review")
    assert (await rank_actions.member_rank(s.node, member_no))["floor"] is None
    await admin.click("#set-floor")
    await expect(admin.locator("#notice")).to_contain_text("ランクを保証しました")
    await expect(admin.locator("#rank-name")).to_have_text("ゴールド")
    await expect(admin.locator("#rank-floor")).to_contain_text("ゴールド")
    await check_page(admin, "rank-floor-set")
    rank = await rank_actions.member_rank(s.node, member_no)
    assert rank["floor"]["reason"] == "VIP移行"
    manual = [c for c in rank["changes"] if c["reason"] == "manual"]
    assert [(c["to"], c["actor"]) for c in manual] == [("ゴールド", "admin:admin")]


async def _recompute(admin: Page, s: PointsShop, clock: FakeClock) -> dict[str, object]:
    await admin.goto(f"{s.base_url}/admin/points/ranks")
    await admin.click("#open-recompute")
    await expect(admin.locator("#run-recompute")).to_be_visible()
    await check_page(admin, "ranks-recompute-confirm")
    await admin.click("#run-recompute")
    await expect(admin.locator("#notice")).to_contain_text("ランク判定を実行しました")
    counts = admin.locator("#recompute-counts")
    await check_page(admin, "ranks-recomputed")
    text = await counts.inner_text()
    found = re.search(r"判定した会員 (\d+)人、ランクが変わった会員 (\d+)人", text)
    assert found, text
    return {"members": int(found.group(1)), "changed": int(found.group(2))}


async def test_head_office_sets_ranks_and_a_guarantee(tmp_path: Path) -> None:
    clock = FakeClock()
    async with points_shop(tmp_path / "node", clock) as s, chromium() as browser:
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await _set_table(admin, s)

        member = await s.member("山田花子", "hanako@example.jp")
        other = await s.member("佐藤一郎", "ichiro@example.jp")
        await actions.earn(s.node, member.member_no, 60_000, "pos-1", s.pos, s.store_id)
        await actions.earn(s.node, other.member_no, 60_000, "pos-2", s.pos, s.store_id)
        await admin.goto(f"{s.base_url}/admin/points/members/{member.member_no}")
        await expect(admin.locator("#rank-name")).to_have_text("シルバー")
        await expect(admin.locator("#rank-next")).to_contain_text("ゴールド")
        await check_page(admin, "rank-member-silver")
        await _floor(admin, s, member.member_no)

        clock.advance(seconds=(NEW_YEAR_2028 - clock.now()).total_seconds())
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        counts = await _recompute(admin, s, clock)
        # 2028's recompute looks at 2027, when neither spent: the other member goes down to
        # ブロンズ; the guaranteed member keeps ゴールド through the floor (to 2028-06-30).
        assert counts == {"members": 2, "changed": 1}, counts
        assert (await rank_actions.member_rank(s.node, other.member_no))["rank"] == "ブロンズ"
        assert (await rank_actions.member_rank(s.node, member.member_no))["rank"] == "ゴールド"
        again = await rank_actions.recompute(s.node, "admin:admin")
        assert again["changed"] == 0  # run once per recompute day
        await _schedule(admin, s)


async def _schedule(admin: Page, s: PointsShop) -> None:
    """A table set to start later is listed under the scheduled versions, not in force."""
    form = admin.locator("#pt-ranks")
    await expect(form.locator("[name='level_name_2']")).to_have_value("シルバー")  # as in force
    await form.locator("[name='level_min_yen_2']").fill("40000")
    await form.locator("[name='effective_from']").fill("2028-04-01T00:00")
    await admin.click("#review-ranks")
    await expect(admin.locator("#applies-from")).to_contain_text("2028")
    await admin.click("#set-ranks")
    await expect(admin.locator("#notice")).to_contain_text("ランク表を変更しました")
    scheduled = admin.locator("#scheduled-1 [data-level='シルバー']")
    await expect(scheduled).to_contain_text("40,000")
    await expect(admin.locator("#rank-levels [data-level='シルバー']")).to_contain_text("50,000")
    await check_page(admin, "ranks-scheduled")
    shown = await rank_actions.show_table(s.node)
    assert shown["scheduled"][0]["effective_from"] == "2028-03-31T15:00:00Z"  # 04-01 in Tokyo
