"""The console's integration keys page in Chromium at 375 px: make a key (shown once, copied with
its button), a duplicate name refused inline with the input kept, revoke after a confirm step,
and the key refused by the API at once (issue 15, item 8)."""

from __future__ import annotations

import asyncio
import threading

from playwright.async_api import expect

from node.runtime import NODE
from node.writer import GroupCommitWriter
from node.writer_lanes import Lane
from tests.browser import chromium
from tests.conftest import NodeFactory, ok
from tests.console_helpers import admin_of
from tests.page_checks import check_page
from tests.web_flow_helpers import PHONE


async def test_head_office_makes_copies_and_revokes_a_key(nodes: NodeFactory) -> None:
    node = await nodes.start("居酒屋 さくら")
    async with chromium() as browser, admin_of(browser, node, PHONE) as admin:
        page = admin.page
        await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        await admin.open("/admin/keys")
        await expect(page.locator("#keys")).to_contain_text("キーはまだありません")
        await check_page(page, "admin-keys-empty")

        await page.fill("#key-name", "POS 渋谷店")
        await page.check("input[name=scope][value=read]")
        await page.click("#create")
        await expect(page.locator("#new-key")).to_contain_text("今だけ表示されます")
        key = await page.locator("#new-key-value").input_value()
        assert key.startswith("kippu_ak_")
        await check_page(page, "admin-keys-created")
        await page.click("#copy-key")
        await expect(page.locator("#copy-key")).to_have_text("コピーしました")
        assert await page.evaluate("navigator.clipboard.readText()") == key

        status, _ = await node.call("GET", "vouchers", token=key)
        assert status == 200
        status, refused = await node.call("POST", "customers", {"name": "x"}, token=key)
        assert (status, refused["error"]["code"]) == (403, "auth.key_read_only")

        await admin.open("/admin/keys")  # the list never shows the key again
        assert key[-64:] not in await page.content()
        row = page.locator("tr[data-key='POS 渋谷店']")
        await expect(row).to_contain_text("参照のみ")
        await expect(row).not_to_contain_text("未使用")  # used just now

        await page.fill("#key-name", "POS 渋谷店")
        await page.click("#create")
        await expect(page.locator("#key-error")).to_contain_text("すでに使われています")
        await expect(page.locator("#key-name")).to_have_value("POS 渋谷店")
        await expect(page.locator("#new-key")).to_have_count(0)
        await check_page(page, "admin-keys-duplicate")
        await page.fill("#key-name", "   ")
        await page.click("#create")
        await expect(page.locator("#key-error")).to_contain_text("1〜60文字")

        revoke_path = str(await row.locator("a.revoke").get_attribute("href"))
        await row.locator("a.revoke").click()
        await expect(page.locator("#revoke-name")).to_have_text("POS 渋谷店")
        await check_page(page, "admin-keys-revoke-confirm")
        status, _ = await node.call("GET", "vouchers", token=key)
        assert status == 200  # nothing happens before the confirm
        await page.click("#revoke")
        await admin.notice("キーを無効にしました。")
        await expect(row).to_have_attribute("data-state", "revoked")
        await expect(row.locator("a.revoke")).to_have_count(0)
        await check_page(page, "admin-keys-revoked")
        status, refused = await node.call("GET", "vouchers", token=key)
        assert (status, refused["error"]["code"]) == (401, "auth.key_revoked")

        status, page_text = await admin.post(revoke_path, {})  # a second tab's stale form
        assert status == 404 and "すでに無効です" in page_text


async def queued(writer: GroupCommitWriter, units: int) -> None:
    """Until `units` units wait in the writer's queue (its batch in the thread is held)."""
    # The queue tells nobody when it grows: look again after every turn of the loop.
    while writer.waiting(Lane.DEFAULT) < units:  # noqa: ASYNC110
        await asyncio.sleep(0.01)


async def test_revoke_takes_the_confirmed_key_never_a_later_one_of_its_name(
    nodes: NodeFactory,
) -> None:
    """The confirm page names a key by its id. If that key is revoked meanwhile (the CLI, another
    tab) and a new key takes its name, confirming revokes nothing: not the POS's new key."""
    node = await nodes.start("居酒屋 さくら")
    assert node.runner is not None
    writer = node.runner.app[NODE].require_writer()
    async with chromium() as browser, admin_of(browser, node, PHONE) as admin:
        old = await ok(node, "POST", "apikeys", {"name": "POS 渋谷店"})
        await admin.open(f"/admin/keys/{old['key_id']}/revoke")
        entered, gate = threading.Event(), threading.Event()
        # The writer busy with a batch, in its thread before the requests below queue anything.
        held = writer.enqueue(lambda _conn: entered.set() or gate.wait())
        try:
            await asyncio.to_thread(entered.wait, 30)
            revoke_old = asyncio.create_task(
                node.call("POST", "apikeys/revoke", {"name": "POS 渋谷店"})
            )
            await queued(writer, 1)
            make_new = asyncio.create_task(node.call("POST", "apikeys", {"name": "POS 渋谷店"}))
            await queued(writer, 2)
            confirm = asyncio.create_task(admin.post(f"/admin/keys/{old['key_id']}/revoke", {}))
            await queued(writer, 3)  # read the old key still in use, then queued its revoke
        finally:
            gate.set()
        await held
        assert (await revoke_old)[0] == 200
        status, new = await make_new
        assert status == 201, new
        status, page_text = await confirm
        assert status == 404 and "すでに無効です" in page_text
        keys = {k["key_id"]: k for k in (await ok(node, "GET", "apikeys"))["apikeys"]}
        assert keys[new["key_id"]]["revoked_at"] is None
        assert (await node.call("GET", "vouchers", token=new["key"]))[0] == 200
