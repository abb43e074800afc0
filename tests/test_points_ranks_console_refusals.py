"""The member ranks console's refusals over real HTTP (no browser): only head office reaches it,
every form needs the session's CSRF token, a review changes nothing, and each bad field is
refused beside itself (its code on the page) with nothing changed."""

from __future__ import annotations

import re

from tests.conftest import AsyncNode, ok
from tests.web_helpers import ADMIN_PASSWORD, NewPerson, Person, add_store, browsers, counter

TABLE = {
    "window": "calendar_year",
    "recompute": "01-01",
    "level_name_1": "ブロンズ",
    "level_min_yen_1": "0",
    "level_pct_1": "100",
    "level_name_2": "シルバー",
    "level_min_yen_2": "50000",
    "level_pct_2": "150",
}
MEMBER = re.compile(r"/admin/points/members/(\d{10})")


async def _admin(anode: AsyncNode, new: NewPerson) -> Person:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    admin = new()
    assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    return admin


async def _member_no(anode: AsyncNode, admin: Person) -> str:
    made = await ok(anode, "POST", "customers", {"name": "山田花子", "email": "hanako@example.jp"})
    opened = await admin.get(f"/admin/points/customers/{made['customer_id']}")
    found = MEMBER.fullmatch(opened.location)
    assert opened.status == 303 and found, opened.location
    return found.group(1)


async def test_only_head_office_with_its_token_reaches_the_ranks_console(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await _admin(anode, new)
        staff = await counter(anode, new, "yamada", [await add_store(anode, "本店")])
        member_no = await _member_no(anode, admin)
        for path in ("/admin/points/ranks", "/admin/points/ranks/recompute"):
            refused = await staff.get(path)
            assert (refused.status, refused.code) == (403, "auth.forbidden"), path
            nobody = await new().get(path)
            assert nobody.status == 303 and nobody.location.startswith("/admin/login"), path
        floor = {"rank": "シルバー", "floor_until": "2027-06-30", "reason": "VIP移行"}
        posts = [
            ("/admin/points/ranks", TABLE),
            ("/admin/points/ranks/review", TABLE),
            ("/admin/points/ranks/recompute", {}),
            (f"/admin/points/members/{member_no}/rank-floor", floor),
            (f"/admin/points/members/{member_no}/rank-floor/review", floor),
        ]
        for path, form in posts:
            by_staff = await staff.signed_post(path, form)
            assert (by_staff.status, by_staff.code) == (403, "auth.forbidden"), path
            for csrf in (None, "", "x" * 43, staff.token):
                sent = form if csrf is None else {**form, "csrf": csrf}
                answer = await admin.post(path, sent)
                assert (answer.status, answer.code) == (403, "auth.csrf"), (path, csrf)
        assert (await ok(anode, "GET", "points/ranks"))["in_force"] is None
        reviewed = await admin.signed_post("/admin/points/ranks/review", TABLE)
        assert reviewed.status == 200 and 'id="rank-rule"' in reviewed.text
        assert (await ok(anode, "GET", "points/ranks"))["in_force"] is None
        done = await admin.signed_post("/admin/points/ranks", TABLE)
        assert done.status == 303 and "done=done_rnk_table_set" in done.location
        assert (await ok(anode, "GET", "points/ranks"))["in_force"] is not None
        ran = await admin.signed_post("/admin/points/ranks/recompute", {})
        assert ran.status == 303 and "done=done_rnk_recomputed" in ran.location


async def test_ranks_and_floors_are_refused_beside_their_field_and_change_nothing(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await _admin(anode, new)
        member_no = await _member_no(anode, admin)
        floor_path = f"/admin/points/members/{member_no}/rank-floor"
        floor = {"rank": "シルバー", "floor_until": "2027-06-30", "reason": "VIP移行"}
        before_table = await admin.signed_post(floor_path, floor)
        assert (before_table.status, before_table.code) == (409, "rank.floor_refused")
        assert 'id="pt-floor-rank-error"' not in before_table.text  # no table: no form
        assert 'id="floor-no-table"' in before_table.text
        cases = [
            ({**TABLE, "window": "weekly"}, "window"),
            ({**TABLE, "recompute": "13-01"}, "recompute"),
            ({**TABLE, "recompute": ""}, "recompute"),
            ({**TABLE, "level_min_yen_2": "abc"}, "levels"),
            ({**TABLE, "level_min_yen_1": "10"}, "levels"),
            ({**TABLE, "level_pct_2": "50"}, "levels"),
            ({**TABLE, "level_name_2": ""}, "levels"),
            ({"window": "calendar_year", "recompute": "01-01"}, "levels"),
            ({**TABLE, "effective_from": "2020-01-01T09:00"}, "effective_from"),
            ({**TABLE, "effective_from": "tomorrow"}, "effective_from"),
        ]
        for form, field in cases:
            for path in ("/admin/points/ranks/review", "/admin/points/ranks"):
                answer = await admin.signed_post(path, form)
                assert answer.code in ("rank.invalid", "points.invalid"), (form, answer.code)
                assert answer.status == 422, (form, path)
                assert f'id="pt-ranks-{field}-error"' in answer.text, (form, field)
        assert (await ok(anode, "GET", "points/ranks"))["in_force"] is None
        assert (await admin.signed_post("/admin/points/ranks", TABLE)).status == 303
        floors = [
            ({**floor, "reason": " "}, "reason", "points.invalid"),
            ({**floor, "rank": "ダイヤ"}, "rank", "rank.floor_refused"),
            ({**floor, "floor_until": "2026-01-01"}, "floor_until", "rank.floor_refused"),
            ({**floor, "floor_until": "next year"}, "floor_until", "points.invalid"),
        ]
        for form, field, code in floors:
            for path in (floor_path + "/review", floor_path):
                answer = await admin.signed_post(path, form)
                assert answer.code == code, (form, path, answer.code)
                assert f'id="pt-floor-{field}-error"' in answer.text, (form, field)
        assert (await ok(anode, "GET", f"members/{member_no}/rank"))["floor"] is None
        reviewed = await admin.signed_post(floor_path + "/review", floor)
        assert reviewed.status == 200 and 'id="floor-rule"' in reviewed.text
        assert (await ok(anode, "GET", f"members/{member_no}/rank"))["floor"] is None
        done = await admin.signed_post(floor_path, floor)
        assert done.status == 303 and "done=done_rnk_floor_set" in done.location
        shown = await ok(anode, "GET", f"members/{member_no}/rank")
        assert (shown["rank"], shown["floor"]["reason"]) == ("シルバー", "VIP移行")
        admin.headers["Accept-Language"] = "en"  # the same pages and refusals in English
        english = await admin.signed_post("/admin/points/ranks", {**TABLE, "recompute": "2-30"})
        assert english.status == 422 and "month-day" in english.text
        assert "Rank table in force" in english.text and "現在のランク表" not in english.text
        refused = await admin.signed_post(floor_path, {**floor, "rank": "ダイヤ"})
        assert refused.status == 409 and "at or above the member" in refused.text
        assert "Rank guarantee" in refused.text and "ランク保証" not in refused.text
