"""The campaigns console over real HTTP on a real node (no browser): each kind created through
the form (times in the node's zone, rounds, checks, postcodes), the list with stock and budget
used, the status page's reconciliation read from the ledger, the office's grant by email or id,
closing after a confirm step, and the stores' classes; only head office, only with its token."""

from __future__ import annotations

import re
from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from node.web.admin.campaigns import section_tabs
from node.web.admin.campaigns_status import campaign_tabs
from node.web.routes import add_web_routes
from tests.campaign_console_helpers import (
    campaigns,
    create,
    first_come_form,
    head_office,
    local,
    premium_form,
)
from tests.conftest import AsyncNode, ok
from tests.web_helpers import add_store, browsers, counter, redeem_by_api

HREF = re.compile(r'href="(/admin/campaigns[^"#?]*)"')


async def test_only_head_office_with_its_token_reaches_the_campaigns_console(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        staff = await counter(anode, new, "yamada", [await add_store(anode, "本店")])
        campaign_id = await create(admin, premium_form(anode))
        pages = (
            "/admin/campaigns",
            "/admin/campaigns/new",
            f"/admin/campaigns/{campaign_id}",
            f"/admin/campaigns/{campaign_id}/close",
            "/admin/campaigns/stores/classes",
        )
        for path in pages:
            assert (await admin.get(path)).status == 200, path
            refused = await staff.get(path)
            assert (refused.status, refused.code) == (403, "auth.forbidden"), path
            nobody = await new().get(path)
            assert nobody.status == 303 and nobody.location.startswith("/admin/login"), path
        customer = await ok(anode, "POST", "customers", {"name": "市民", "email": "a@example.jp"})
        posts = {
            "/admin/campaigns": premium_form(anode),
            f"/admin/campaigns/{campaign_id}/grants": {"customer": customer["customer_id"]},
            f"/admin/campaigns/{campaign_id}/close": {},
            "/admin/campaigns/stores/classes": {"store_id": "st_x", "local": "1"},
        }
        for path, form in posts.items():
            for csrf in (None, "", staff.token):
                sent = form if csrf is None else {**form, "csrf": csrf}
                answer = await admin.post(path, sent)
                assert (answer.status, answer.code) == (403, "auth.csrf"), (path, csrf)
            by_staff = await staff.signed_post(path, form)
            assert (by_staff.status, by_staff.code) == (403, "auth.forbidden"), path
        [only] = await campaigns(anode)
        assert (only["granted_sets"], only["closed_at"]) == (0, None)
        unknown = await admin.get("/admin/campaigns/cp_nothere")
        assert (unknown.status, unknown.code) == (404, "campaign.not_found")


async def test_each_kind_is_created_through_the_form_and_listed_in_japanese(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        form_page = await admin.get("/admin/campaigns/new")
        assert form_page.status == 200 and 'name="round_opens_3"' in form_page.text
        for label in ("シリアルコード", "メール認証", "SMS認証", "LINEログイン", "端末認証"):
            assert label in form_page.text
        premium = await create(
            admin, premium_form(anode, postcodes="〒802-0001\n８０３"), ("serial", "residence")
        )
        # a price left in the form from another kind is not sent on for a first-come campaign
        first = await create(admin, first_come_form(anode, price_yen="500", book_count="9"))
        book = await create(
            admin,
            {**premium_form(anode), "kind": "ticket-book", "face_yen": "500", "book_count": "6"},
        )
        lottery = await create(admin, {**first_come_form(anode), "kind": "lottery"})
        survey = await create(admin, {**premium_form(anode), "kind": "survey", "stock": "50"})
        by_id = {c["campaign_id"]: c for c in await campaigns(anode)}
        assert len(by_id) == 5
        made = by_id[premium]
        assert (made["face_yen"], made["price_yen"], made["local_yen"]) == (13_000, 10_000, 3_000)
        assert (made["stock"], made["budget_yen"], made["per_person"]) == (100, 1_300_000, 2)
        assert made["eligibility"] == ["residence", "serial"]
        assert made["postcodes"] == ["8020001", "803"]
        assert made["terms"] == "市内の加盟店で使えます。\n専用券は中小店舗のみ。"
        # the time typed in the node's zone (Asia/Tokyo) is the moment an hour ago, in whole minutes
        start = (anode.clock.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
        assert made["starts_at"] == start.isoformat().replace("+00:00", "Z")
        rounds = by_id[first]["rounds"]
        assert [(r["round_no"], r["stock"]) for r in rounds] == [(1, 100), (2, 200)]
        assert (by_id[first]["price_yen"], by_id[first]["book_count"]) == (0, 1)
        assert by_id[first]["released"] == 100
        assert (by_id[book]["book_count"], by_id[book]["price_yen"], by_id[book]["local_yen"]) == (
            6,
            0,
            0,
        )
        assert by_id[lottery]["kind"] == "lottery" and by_id[lottery]["rounds"] == []
        assert by_id[survey]["kind"] == "survey"
        listed = await admin.get("/admin/campaigns")
        for label in ("プレミアム商品券", "先着", "抽選", "綴り", "アンケート"):
            assert f">{label}<" in listed.text, label
        row = listed.text.split(f'data-campaign="{first}"', 1)[1].split("</tr>", 1)[0]
        assert 'data-state="open"' in listed.text and "0 / 300" in row
        assert "次の配布: " + local(anode, days=2).replace("T", " ") in row
        shown = await admin.get(f"/admin/campaigns/{premium}?done=done_cpc_created")
        assert "キャンペーンを作成しました" in shown.text
        assert "¥1,300,000" in shown.text and 'data-reconciled="true"' in shown.text
        status = await admin.get(f"/admin/campaigns/{first}")
        assert status.text.count('data-opened="true"') == 1
        assert status.text.count('data-opened="false"') == 1


async def test_every_campaign_link_leads_to_a_page(anode: AsyncNode) -> None:
    """Tabs to the other parts' pages show only when the node serves them: no dead link."""
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        campaign_id = await create(admin, first_come_form(anode))
        await add_store(anode, "本店")
        seen: set[str] = set()
        for start in ("/admin/campaigns", f"/admin/campaigns/{campaign_id}"):
            page = await admin.get(start)
            for href in HREF.findall(page.text):
                seen.add(href)
                answer = await admin.get(href)
                assert answer.status == 200, (start, href, answer.status)
        assert {"/admin/campaigns/new", "/admin/campaigns/stores/classes"} <= seen
        assert f"/admin/campaigns/{campaign_id}/close" in seen


async def test_the_office_grants_closes_and_the_status_reconciles(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        shop = await add_store(anode, "商店街の八百屋")
        chain = await add_store(anode, "大型スーパー")
        campaign_id = await create(admin, premium_form(anode, per_person="1"))
        hanako = await ok(
            anode, "POST", "customers", {"name": "山田花子", "email": "hanako@example.jp"}
        )
        found = await admin.get(f"/admin/campaigns/{campaign_id}?q=hanako")
        assert f'data-customer="{hanako["customer_id"]}"' in found.text
        path = f"/admin/campaigns/{campaign_id}/grants"
        granted = await admin.signed_post(path, {"customer": "HANAKO@example.jp"})
        assert granted.status == 303 and "done=done_cpc_granted" in granted.location
        shown = await admin.get(granted.location)
        assert "付与しました" in shown.text and 'id="granted-voucher"' in shown.text
        [common, only_local] = sorted(
            (await ok(anode, "GET", f"vouchers?customer_id={hanako['customer_id']}"))["vouchers"],
            key=lambda v: -v["face"],
        )
        assert (common["face"], only_local["face"]) == (10_000, 3_000)
        assert (
            await admin.signed_post(
                "/admin/campaigns/stores/classes", {"store_id": shop, "local": "1"}
            )
        ).status == 303
        await redeem_by_api(anode, only_local["voucher_id"], shop, 3_000)
        await redeem_by_api(anode, common["voucher_id"], chain, 4_000)
        status = await ok(anode, "GET", f"campaigns/{campaign_id}")
        assert (status["granted_yen"], status["used_yen"], status["outstanding_yen"]) == (
            13_000,
            7_000,
            6_000,
        )
        page = (await admin.get(f"/admin/campaigns/{campaign_id}")).text
        for element, yen in (("granted", 13_000), ("used", 7_000), ("outstanding", 6_000)):
            assert f'data-yen="{yen}" id="{element}"' in page, element
        assert 'id="remaining">¥1,287,000<' in page and 'data-reconciled="true"' in page
        assert 'id="paid">¥10,000<' in page and 'id="funded">¥3,000<' in page
        # the office's grant is paid at the counter; nothing by card, nothing held
        assert 'id="paid-counter">¥10,000<' in page and 'id="paid-card">¥0<' in page
        assert 'id="held">0<' in page
        # the office's grant keeps a resident's rules: once per person here
        again = await admin.signed_post(path, {"customer": hanako["customer_id"]})
        assert (again.status, again.code) == (409, "campaign.limit_reached")
        assert 'id="cp-grant-error"' in again.text and "上限" in again.text
        nobody = await admin.signed_post(path, {"customer": "nobody@example.jp"})
        assert (nobody.status, nobody.code) == (400, "request.invalid")
        assert 'id="cp-grant-customer-error"' in nobody.text
        assert 'value="nobody@example.jp"' in nobody.text  # what was typed is kept
        confirm = await admin.get(f"/admin/campaigns/{campaign_id}/close")
        assert 'id="close-campaign"' in confirm.text
        assert (await ok(anode, "GET", f"campaigns/{campaign_id}"))["closed_at"] is None
        closed = await admin.signed_post(f"/admin/campaigns/{campaign_id}/close")
        assert closed.status == 303 and "done=done_cpc_closed" in closed.location
        taro = await ok(anode, "POST", "customers", {"name": "太郎", "email": "taro@example.jp"})
        late = await admin.signed_post(path, {"customer": taro["customer_id"]})
        assert (late.status, late.code) == (409, "campaign.closed")
        after = await admin.get(f"/admin/campaigns/{campaign_id}")
        assert 'data-state="closed"' in after.text and 'id="close"' not in after.text
        again_page = await admin.get(f"/admin/campaigns/{campaign_id}/close")
        assert 'id="already-closed"' in again_page.text
        assert 'id="close-campaign"' not in again_page.text
        # in English, the same page and refusal
        await admin.get("/lang/en")
        english = await admin.signed_post(path, {"customer": taro["customer_id"]})
        assert english.code == "campaign.closed" and "closed by the office" in english.text
        assert "Where the budget is" in (await admin.get(f"/admin/campaigns/{campaign_id}")).text


async def test_stores_are_marked_local_shops_and_back(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        shop = await add_store(anode, "商店街の八百屋")
        chain = await add_store(anode, "大型スーパー")
        path = "/admin/campaigns/stores/classes"
        page = await admin.get(path)
        for store in (shop, chain):
            assert f'data-store="{store}" data-local="false"' in page.text
        marked = await admin.signed_post(path, {"store_id": shop, "local": "1"})
        assert marked.status == 303 and "done=done_cpc_local_on" in marked.location
        page = await admin.get(marked.location)
        assert f'data-store="{shop}" data-local="true"' in page.text
        assert f'data-store="{chain}" data-local="false"' in page.text
        assert "中小店舗に設定しました" in page.text
        bad = await admin.signed_post(path, {"store_id": chain, "local": "yes"})
        assert (bad.status, bad.code) == (422, "campaign.invalid")
        assert f'id="cp-class-{chain}-error"' in bad.text
        unknown = await admin.signed_post(path, {"store_id": "st_nothere", "local": "1"})
        assert (unknown.status, unknown.code) == (404, "store.not_found")
        unmarked = await admin.signed_post(path, {"store_id": shop, "local": "0"})
        assert "done=done_cpc_local_off" in unmarked.location
        page = await admin.get(path)
        assert 'data-local="true"' not in page.text


async def test_the_times_typed_are_the_nodes_zone(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        form = premium_form(anode, starts_at="2030-04-01T09:00", ends_at="2030-04-30T18:00")
        form["use_until"] = ""
        campaign_id = await create(admin, form)
        [made] = await campaigns(anode)
        assert made["campaign_id"] == campaign_id
        assert (made["starts_at"], made["ends_at"]) == (
            "2030-04-01T00:00:00Z",
            "2030-04-30T09:00:00Z",
        )
        assert made["use_until"] == made["ends_at"]
        listed = await admin.get("/admin/campaigns")
        assert "2030-04-01 09:00" in listed.text and 'data-state="scheduled"' in listed.text


async def test_the_offices_grant_is_refused_as_a_residents_would_be(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        people = [
            (await ok(anode, "POST", "customers", {"name": n, "email": f"{n}@example.jp"}))[
                "customer_id"
            ]
            for n in ("ichiro", "jiro")
        ]
        checked = await create(
            admin,
            first_come_form(
                anode,
                stock="1",
                round_stock_1="",
                round_opens_1="",
                round_stock_2="",
                round_opens_2="",
            ),
            ("sms",),
        )
        one = await create(
            admin,
            first_come_form(
                anode,
                stock="1",
                round_stock_1="",
                round_opens_1="",
                round_stock_2="",
                round_opens_2="",
            ),
        )
        lottery = await create(admin, {**first_come_form(anode), "kind": "lottery"})
        cases = [
            (checked, people[0], 403, "campaign.not_eligible", "確認が必要"),
            (lottery, people[0], 409, "campaign.kind_refused", "当選者"),
        ]
        granted = await admin.signed_post(f"/admin/campaigns/{one}/grants", {"customer": people[0]})
        assert granted.status == 303
        cases.append((one, people[1], 409, "campaign.sold_out", "在庫または予算"))
        for campaign_id, person, status, code, words in cases:
            answer = await admin.signed_post(
                f"/admin/campaigns/{campaign_id}/grants", {"customer": person}
            )
            assert (answer.status, answer.code) == (status, code), code
            message = answer.text.split('id="cp-grant-error"', 1)[1].split("</p>", 1)[0]
            assert words in message, (code, message)
        by_id = {c["campaign_id"]: c for c in await campaigns(anode)}
        assert [by_id[c]["granted_sets"] for c in (checked, one, lottery)] == [0, 1, 0]
        listed = await admin.get("/admin/campaigns")
        assert f'data-campaign="{one}" data-state="sold_out"' in listed.text
        premium = await create(admin, premium_form(anode))
        assert "¥10,000 を現金で受け取った" in (await admin.get(f"/admin/campaigns/{premium}")).text


def test_a_tab_to_another_parts_page_shows_once_the_app_serves_it() -> None:
    """The pages of every part (serials, lottery, survey, applications, payouts, bank accounts)
    get their tab from the router itself: each one once its route is served, none before."""

    async def page(request: web.Request) -> web.Response:
        return web.Response()

    app = web.Application()
    add_web_routes(app)
    request = make_mocked_request("GET", "/admin/campaigns", app=app)
    assert [key for _, key in campaign_tabs(request, "cp_a")] == [
        "cpc_tab_status",
        "cpc_tab_serials",
        "cpc_tab_lottery",
        "cpc_tab_survey",
    ]
    assert [key for _, key in section_tabs(request)] == [
        "cpc_tab_list",
        "cpc_tab_new",
        "cpc_tab_classes",
        "cpc_tab_applications",
        "cpc_tab_payouts",
        "cpp_tab_banks",
    ]
    bare = web.Application()
    bare.router.add_get("/admin/campaigns/{campaign_id}/lottery", page)
    bare_request = make_mocked_request("GET", "/admin/campaigns", app=bare)
    served = {key for _, key in campaign_tabs(bare_request, "cp_a")}
    assert "cpc_tab_lottery" in served and "cpc_tab_serials" not in served
    assert "cpc_tab_payouts" not in {key for _, key in section_tabs(bare_request)}
