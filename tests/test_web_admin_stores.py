"""The console's stores and staff page: head office adds stores and staff, re-assigns, resets and
disables them, and every change reaches the staff member's open session at once.

Real node, real HTTP (a cookie jar per person) and one pass in headless Chromium for the screens.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest

from node.home import NodeHome
from tests.browser import chromium, screenshot
from tests.conftest import AsyncNode, ok
from tests.web_flow_helpers import DESKTOP, PHONE, sign_in_with_password
from tests.web_helpers import ADMIN_PASSWORD, PASSWORD, NewPerson, Person, add_store, browsers

NEW_PASSWORD = "kawari-Pass-2027"


async def head_office(anode: AsyncNode, new: NewPerson) -> Person:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    admin = new()
    assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    return admin


async def staff_list(anode: AsyncNode) -> dict[str, dict[str, object]]:
    return {s["name"]: s for s in (await ok(anode, "GET", "staff"))["staff"]}


def account_id(page_text: str, login: str) -> str:
    found = re.search(
        rf'data-actions="{re.escape(login)}">.*?/admin/staff/(ac_[A-Za-z0-9_-]+)/stores',
        page_text,
        re.S,
    )
    assert found, f"no actions for {login}"
    return found.group(1)


async def staff_home(person: Person) -> int:
    return (await person.get("/staff")).status


async def test_head_office_adds_stores_and_staff_who_can_then_work(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        added = await admin.signed_post("/admin/stores", {"name": "渋谷店"})
        assert added.status == 303 and "done=done_ss_store_added" in added.location
        await admin.signed_post("/admin/stores", {"name": "新宿店"})
        stores = {s["name"]: s["store_id"] for s in (await ok(anode, "GET", "stores"))["stores"]}
        assert set(stores) == {"渋谷店", "新宿店"}

        form = {"name": "suzuki", "password": PASSWORD}
        sent = await admin.post(
            "/admin/staff",
            [("csrf", admin.token), *form.items(), *(("stores", s) for s in stores.values())],
        )
        assert sent.status == 303, sent.text
        assert (await staff_list(anode))["suzuki"]["stores"] == sorted(stores.values())

        page = await admin.follow(sent.location)
        assert "スタッフを追加しました" in page.text
        row = re.search(r'<li data-login="suzuki">.*?</p>', page.text, re.S)
        assert row and "渋谷店" in row.group(0) and "新宿店" in row.group(0)

        suzuki = new()
        assert (await suzuki.sign_in("/staff/login", "suzuki", PASSWORD)).status == 303
        chooser = await suzuki.get("/staff")
        assert chooser.status == 200 and "渋谷店" in chooser.text and "新宿店" in chooser.text


async def test_each_change_signs_the_staff_member_out(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        shibuya, shinjuku = await add_store(anode, "渋谷店"), await add_store(anode, "新宿店")
        await ok(
            anode, "POST", "staff", {"name": "tanaka", "stores": [shibuya], "password": PASSWORD}
        )
        tanaka = new()
        assert (await tanaka.sign_in("/staff/login", "tanaka", PASSWORD)).status == 303
        assert await staff_home(tanaka) == 200
        who = account_id((await admin.get("/admin/stores")).text, "tanaka")

        moved = await admin.post(
            f"/admin/staff/{who}/stores", [("csrf", admin.token), ("stores", shinjuku)]
        )
        assert moved.status == 303
        assert (await staff_list(anode))["tanaka"]["stores"] == [shinjuku]
        assert await staff_home(tanaka) == 303  # the old session is gone
        assert (await tanaka.sign_in("/staff/login", "tanaka", PASSWORD)).status == 303
        assert "新宿店" in (await tanaka.get("/staff")).text

        reset = await admin.signed_post(f"/admin/staff/{who}/password", {"password": NEW_PASSWORD})
        assert reset.status == 303
        assert await staff_home(tanaka) == 303
        assert (await tanaka.sign_in("/staff/login", "tanaka", PASSWORD)).status == 401
        assert (await tanaka.sign_in("/staff/login", "tanaka", NEW_PASSWORD)).status == 303

        assert (await admin.signed_post(f"/admin/staff/{who}/disable")).status == 303
        assert (await staff_list(anode))["tanaka"]["disabled"] is True
        assert await staff_home(tanaka) == 303
        assert (await tanaka.sign_in("/staff/login", "tanaka", NEW_PASSWORD)).status == 401
        page = await admin.get("/admin/stores")
        assert f"/admin/staff/{who}/enable" in page.text

        assert (await admin.signed_post(f"/admin/staff/{who}/enable")).status == 303
        assert (await tanaka.sign_in("/staff/login", "tanaka", NEW_PASSWORD)).status == 303
        assert await staff_home(tanaka) == 200


@pytest.mark.parametrize(
    ("path", "form", "code"),
    [
        ("/admin/stores", {"name": "  "}, "request.invalid"),
        ("/admin/stores", {"name": "x" * 101}, "request.invalid"),
        ("/admin/stores", {"name": "改行\n店"}, "request.invalid_text"),
        ("/admin/stores", {"name": "店\u202e舗"}, "request.invalid_text"),
        ("/admin/staff", {"name": "sato", "password": "short"}, "request.invalid"),
        ("/admin/staff", {"name": "sato", "password": PASSWORD}, "request.invalid"),  # no store
        (
            "/admin/staff",
            {"name": "admin", "password": PASSWORD, "stores": "{store}"},
            "account.login_taken",
        ),
        (
            "/admin/staff",
            {"name": "yamada", "password": PASSWORD, "stores": "{store}"},
            "account.login_taken",
        ),
        (
            "/admin/staff",
            {"name": "sato", "password": PASSWORD, "stores": "st_nope"},
            "store.not_found",
        ),
        ("/admin/staff/ac_nope/stores", {"stores": "{store}"}, "account.not_found"),
        ("/admin/staff/{yamada}/stores", {}, "request.invalid"),
        ("/admin/staff/{yamada}/stores", {"stores": "st_nope"}, "store.not_found"),
        ("/admin/staff/{yamada}/password", {"password": "aaaaaaaaaaaa"}, "request.invalid"),
        ("/admin/staff/ac_nope/disable", {}, "account.not_found"),
        ("/admin/staff/{admin}/disable", {}, "account.not_found"),  # not a staff account
    ],
)
async def test_refused_changes_show_their_code_and_change_nothing(
    anode: AsyncNode, home: NodeHome, path: str, form: dict[str, str], code: str
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        store = await add_store(anode, "本店")
        await ok(
            anode, "POST", "staff", {"name": "yamada", "stores": [store], "password": PASSWORD}
        )
        yamada = new()
        assert (await yamada.sign_in("/staff/login", "yamada", PASSWORD)).status == 303
        page = (await admin.get("/admin/stores")).text
        ids = {
            "yamada": account_id(page, "yamada"),
            "admin": admin_account_id(home),
            "store": store,
        }
        before = (await ok(anode, "GET", "stores"), await staff_list(anode))

        sent = {k: v.format(**ids) for k, v in form.items()}
        answer = await admin.signed_post(path.format(**ids), sent)
        assert (answer.status, answer.code) in {(400, code), (404, code), (409, code)}, (
            answer.status,
            answer.code,
        )
        assert (await ok(anode, "GET", "stores"), await staff_list(anode)) == before
        assert await staff_home(yamada) == 200  # still signed in: nothing happened
        assert (await admin.get("/admin/stores")).status == 200


def admin_account_id(home: NodeHome) -> str:
    """Read-only, from a second connection: the page never shows the admin's own account id."""
    with closing(sqlite3.connect(f"file:{home.database_path}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT account_id FROM web_accounts WHERE role = 'admin'").fetchone()
    return str(row[0])


async def test_the_page_in_a_real_browser(anode: AsyncNode) -> None:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    async with chromium() as browser:
        context = await browser.new_context(viewport=DESKTOP, locale="ja-JP")
        page = await context.new_page()
        await sign_in_with_password(page, anode.base_url, "admin", "admin", ADMIN_PASSWORD)
        await page.click("nav.console a[href='/admin/stores']")
        await page.fill("#add-store input[name=name]", "梅田店")
        await page.click("#add-store button")
        await page.wait_for_selector("#notice")
        await page.fill("#add-staff input[name=name]", "kimura")
        await page.fill("#add-staff input[name=password]", PASSWORD)
        await page.check("#add-staff input[name=stores]")
        await page.click("#add-staff button")
        assert "kimura" in await page.inner_text("#staff")
        await screenshot(page, "desktop-admin-stores")
        await page.set_viewport_size(PHONE)
        await page.click("details[data-actions=kimura] summary")
        await screenshot(page, "phone-admin-stores")
        await context.close()
    assert (await staff_list(anode))["kimura"]["disabled"] is False
