"""The points console's refusals over real HTTP (no browser): only head office reaches it, every
form needs the session's CSRF token, a review step changes nothing, and each bad field is refused
next to itself (its code on the page, in Japanese) with nothing changed."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import AsyncNode, ok
from tests.web_helpers import (
    ADMIN_PASSWORD,
    NewPerson,
    Person,
    add_store,
    browsers,
    counter,
)

MEMBER_LINK = re.compile(r'href="/admin/points/members/(\d{10})"')
BALANCE = re.compile(r'data-balance="(-?\d+)"')


def _local(anode: AsyncNode, **delta: float) -> str:
    """A moment as the datetime-local input sends it (the test node's zone is Asia/Tokyo)."""
    moment = anode.clock.now() + timedelta(hours=9) + timedelta(**delta)
    return moment.strftime("%Y-%m-%dT%H:%M")


async def _admin(anode: AsyncNode, new: NewPerson) -> Person:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    admin = new()
    assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    return admin


async def _member_no(anode: AsyncNode, admin: Person) -> str:
    made = await ok(anode, "POST", "customers", {"name": "山田花子", "email": "hanako@example.jp"})
    customer = await admin.get(f"/admin/customers/{made['customer_id']}")
    assert f'href="/admin/points/customers/{made["customer_id"]}"' in customer.text
    opened = await admin.get(f"/admin/points/customers/{made['customer_id']}")
    assert opened.status == 303
    found = re.fullmatch(r"/admin/points/members/(\d{10})", opened.location)
    assert found, opened.location
    again = await admin.get(f"/admin/points/customers/{made['customer_id']}")
    assert again.location == opened.location  # the member is made once
    return found.group(1)


async def _balance(admin: Person, member_no: str) -> int:
    page = await admin.get(f"/admin/points/members/{member_no}")
    found = BALANCE.search(page.text)
    assert page.status == 200 and found, page.status
    return int(found.group(1))


async def test_only_head_office_with_its_token_reaches_the_points_console(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await _admin(anode, new)
        staff = await counter(anode, new, "yamada", [await add_store(anode, "本店")])
        member_no = await _member_no(anode, admin)
        for path in ("/admin/points", "/admin/points/members", "/admin/points/shortfalls"):
            refused = await staff.get(path)
            assert (refused.status, refused.code) == (403, "auth.forbidden"), path
            nobody = await new().get(path)
            assert nobody.status == 303 and nobody.location.startswith("/admin/login"), path
        adjust = {"points": "+50", "reason": "お詫び"}
        path = f"/admin/points/members/{member_no}/adjust"
        by_staff = await staff.signed_post(path, adjust)
        assert (by_staff.status, by_staff.code) == (403, "auth.forbidden")
        for csrf in (None, "", "x" * 43, staff.token):
            sent = adjust if csrf is None else {**adjust, "csrf": csrf}
            answer = await admin.post(path, sent)
            assert (answer.status, answer.code) == (403, "auth.csrf"), csrf
        program = {"earn_points": "2", "earn_per_yen": "100", "rounding": "floor"}
        assert (await admin.post("/admin/points/program", program)).code == "auth.csrf"
        assert await _balance(admin, member_no) == 0
        assert "予定されている変更はありません" in (await admin.get("/admin/points")).text
        # With the token the same adjustment is taken: the refusals above were the token's.
        done = await admin.signed_post(path, adjust)
        assert done.status == 303 and "done=done_pnt_adjusted" in done.location
        assert await _balance(admin, member_no) == 50
        # The confirm form carries a one-time id: sent twice, it adjusts once.
        once = {**adjust, "txn": "adj_form_1"}
        for _ in range(2):
            again = await admin.signed_post(path, once)
            assert again.status == 303 and "done=done_pnt_adjusted" in again.location
        assert await _balance(admin, member_no) == 100


async def test_adjustments_are_refused_beside_their_field_and_change_nothing(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await _admin(anode, new)
        member_no = await _member_no(anode, admin)
        review = f"/admin/points/members/{member_no}/adjust/review"
        cases = [
            ({"points": "+50", "reason": "  "}, "reason"),
            ({"points": "0", "reason": "お詫び"}, "points"),
            ({"points": "abc", "reason": "お詫び"}, "points"),
            ({"points": "+-5", "reason": "お詫び"}, "points"),
            ({"points": "", "reason": "お詫び"}, "points"),
            ({"points": "99999999", "reason": "お詫び"}, "points"),
            ({"points": "5", "reason": "x" * 201}, "reason"),
        ]
        for form, field in cases:
            for path in (review, review.removesuffix("/review")):
                answer = await admin.signed_post(path, form)
                assert (answer.status, answer.code) == (422, "points.invalid"), (form, path)
                assert f'id="pt-adjust-{field}-error"' in answer.text, (form, field)
                assert "ポイント" in answer.text or "理由" in answer.text
        reviewed = await admin.signed_post(review, {"points": "＋３０", "reason": "お詫び"})
        assert reviewed.status == 200 and 'id="adjust-points"' in reviewed.text
        assert await _balance(admin, member_no) == 0  # the review changed nothing
        debit = await admin.signed_post(
            review.removesuffix("/review"), {"points": "-1", "reason": "誤付与の訂正"}
        )
        assert (debit.status, debit.code) == (409, "points.insufficient")
        assert 'id="pt-adjust-error"' in debit.text
        unknown = await admin.get("/admin/points/members/0000000000")
        assert (unknown.status, unknown.code) == (404, "member.not_found")
        assert (await admin.get("/admin/points/customers/cu_nobody")).status == 404
        assert await _balance(admin, member_no) == 0


async def test_program_and_campaign_forms_name_the_field_at_fault(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await _admin(anode, new)
        good = {
            "earn_points": "1",
            "earn_per_yen": "100",
            "rounding": "floor",
            "expiry": "days",
            "expiry_days": "365",
            "point_value_yen": "1",
            "min_use_points": "1",
            "effective_from": "",
        }
        bad = [
            ("earn_per_yen", "0"),
            ("earn_points", "1001"),
            ("rounding", "banker"),
            ("expiry", "weekly"),
            ("expiry_days", ""),
            ("point_value_yen", "101"),
            ("min_use_points", "0"),
            ("effective_from", "tomorrow"),
            ("effective_from", _local(anode, days=-1)),
        ]
        for field, value in bad:
            for path in ("/admin/points/program/review", "/admin/points/program"):
                answer = await admin.signed_post(path, {**good, field: value})
                assert (answer.status, answer.code) == (422, "points.invalid"), (field, value)
                assert f'id="pt-program-{field}-error"' in answer.text, (field, value, path)
                assert f'value="{value}"' in answer.text or field in ("rounding", "expiry")
        later = {**good, "earn_points": "2", "effective_from": _local(anode, days=3)}
        reviewed = await admin.signed_post("/admin/points/program/review", later)
        assert reviewed.status == 200 and 'id="applies-from"' in reviewed.text
        assert "予定されている変更はありません" in (await admin.get("/admin/points")).text
        assert (await admin.signed_post("/admin/points/program", later)).status == 303
        twice = await admin.signed_post("/admin/points/program", later)
        assert 'id="pt-program-effective_from-error"' in twice.text  # a version starts then

        campaign = {
            "name": "冬のポイント2倍",
            "store_id": "",
            "multiplier_pct": "200",
            "starts_at": _local(anode, hours=1),
            "ends_at": _local(anode, days=30),
        }
        for field, value in (
            ("multiplier_pct", "100"),
            ("ends_at", _local(anode, minutes=30)),
            ("starts_at", _local(anode, days=-1)),
            ("name", " "),
        ):
            answer = await admin.signed_post("/admin/points/campaigns", {**campaign, field: value})
            assert (answer.status, answer.code) == (422, "points.invalid"), field
            assert f'id="pt-campaign-{field}-error"' in answer.text, field
        assert "キャンペーンはありません" in (await admin.get("/admin/points")).text
        rate = {"store_id": "", "earn_points": "2", "earn_per_yen": "100", "effective_from": ""}
        no_store = await admin.signed_post("/admin/points/store-rates", rate)
        assert 'id="pt-rate-store_id-error"' in no_store.text

        admin.headers["Accept-Language"] = "en"  # the same refusal in English
        english = await admin.signed_post(
            "/admin/points/program/review", {**good, "earn_per_yen": "0"}
        )
        assert english.status == 422 and "whole yen from 1 to 100000" in english.text
        assert "Change the terms" in english.text and "付与率" not in english.text


async def test_the_member_page_shows_the_way_to_the_next_rank(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await _admin(anode, new)
        member_no = await _member_no(anode, admin)
        levels = [
            {"name": "ブロンズ", "min_spend_yen": 0, "multiplier_pct": 100},
            {"name": "シルバー", "min_spend_yen": 50_000, "multiplier_pct": 150},
        ]
        table = {"window": "calendar_year", "recompute": "01-01", "levels": levels}
        await ok(anode, "PUT", "points/ranks", table)
        await ok(
            anode,
            "POST",
            "points/earn",
            {"member": member_no, "purchase_yen": 12_000, "txn": "rank-1"},
        )
        page = await admin.get(f"/admin/points/members/{member_no}")
        assert page.status == 200
        assert 'id="rank-progress" data-rank="ブロンズ"' in page.text
        assert 'data-yen-to-next="38000"' in page.text
