"""The console's partners and audit pages in headless Chromium, between real nodes on 127.0.0.1.

Two companies' admins, each in a browser: one invites, the other pastes the invitation; both
pages then show the partnership active with the fingerprints each side shows for itself. Suspend,
resume, the exposure limit, remove (only once confirmed), refused invitations and a bad URL. The
audit page: a checkpoint countersigned by the partner after a partner-voucher redemption, the
bundle downloaded from the page (the JSON API's very bytes, and `kippu audit verify` passes it),
and the line for a partner that did not countersign. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from nacl.signing import SigningKey
from playwright.async_api import Page, expect

from cli import main
from node.identity import encode_node_id
from tests.browser import chromium, screenshot
from tests.conftest import NodeFactory, RunningNode, ok
from tests.console_helpers import Admin, admin_of
from tests.settlement_helpers import redeem, store_of, two_partners, voucher_of
from tests.web_flow_helpers import DESKTOP, PHONE


async def peers(node: RunningNode) -> dict[str, dict[str, Any]]:
    return {p["node_id"]: p for p in (await ok(node, "GET", "peers"))["peers"]}


async def make_invite(admin: Admin, hours: str) -> str:
    await admin.open("/admin/partners")
    await admin.page.fill("#invite-form input[name=hours]", hours)
    await admin.page.click("#make-invite")
    text = await admin.page.locator("#invite-text").input_value()
    assert text.startswith("kippu-invite1:")
    return text


async def join(admin: Admin, invite: str) -> None:
    await admin.open("/admin/partners")
    await admin.page.fill("#join-form textarea[name=invite]", invite)
    await admin.page.click("#join-button")


async def test_two_admins_partner_suspend_limit_and_remove(nodes: NodeFactory) -> None:
    a, b = await nodes.start("居酒屋 さくら"), await nodes.start("Trattoria B")
    async with (
        chromium() as browser,
        admin_of(browser, a, DESKTOP) as at_a,
        admin_of(browser, b, PHONE) as at_b,
    ):
        await _refused_invitations_add_nothing(at_a, at_b, nodes)
        await _invite_and_join(at_a, at_b)
        await _suspend_and_resume(at_a, at_b)
        await _limit_set_and_cleared(at_a, at_b)
        await _manual_add_and_bad_url(at_b, await nodes.start("Hotel C"))
        await _remove_needs_confirmation(at_a, at_b)


async def _refused_invitations_add_nothing(at_a: Admin, at_b: Admin, nodes: NodeFactory) -> None:
    await join(at_b, "kippu-invite1:this-is-not-one")
    assert await at_b.error_code() == "peer.invite_invalid"
    expiring = await make_invite(at_a, "1")
    await expect(at_a.page.locator("#invite-expires")).to_have_text("2026-11-24 11:00")
    nodes.clock.advance(hours=2)
    await join(at_b, expiring)
    assert await at_b.error_code() == "peer.invite_expired"
    assert await peers(at_b.node) == {} and await peers(at_a.node) == {}


async def _invite_and_join(at_a: Admin, at_b: Admin) -> None:
    a, b = at_a.node, at_b.node
    invite = await make_invite(at_a, "24")
    qr = at_a.page.locator("#invite-qr svg")
    await expect(qr).to_be_visible()
    assert await qr.get_attribute("style") is None and await qr.get_attribute("viewBox")
    await screenshot(at_a.page, "desktop-admin-partners-invite")

    await join(at_b, invite)
    await at_b.notice("提携先に登録を送りました。")
    await expect(at_b.page.locator("#partner")).to_have_attribute("data-status", "active")
    await expect(at_b.page.locator("#partner-name")).to_have_text("居酒屋 さくら")
    a_seen_by_b = await at_b.page.locator("#partner-fingerprint").inner_text()

    await at_a.open("/admin/partners")
    a_own = await at_a.page.locator("#our-fingerprint").inner_text()
    row = at_a.page.locator(f"#partners tr[data-node='{b.node_id}']")
    await expect(row).to_have_attribute("data-status", "active")
    await expect(row.locator(".badge")).to_have_text("有効")
    b_seen_by_a = await row.locator(".fingerprint-cell").inner_text()
    await at_b.open("/admin/partners")
    b_own = await at_b.page.locator("#our-fingerprint").inner_text()
    assert (a_own, b_own) == (a.fingerprint, b.fingerprint)
    assert a_seen_by_b == a_own and b_seen_by_a == b_own
    await expect(at_b.page.locator(f"#partners tr[data-node='{a.node_id}']")).to_have_attribute(
        "data-status", "active"
    )
    await screenshot(at_a.page, "desktop-admin-partners")
    await screenshot(at_b.page, "phone-admin-partners")


async def _suspend_and_resume(at_a: Admin, at_b: Admin) -> None:
    a, b = at_a.node, at_b.node
    await at_a.open(f"/admin/partners/{b.node_id}")
    await at_a.page.click("#suspend-button")
    await at_a.notice("取引を停止しました。")
    await expect(at_a.page.locator("#partner-status")).to_have_text("停止中")
    assert (await peers(a))[b.node_id]["status"] == "suspended"

    await at_b.open(f"/admin/partners/{a.node_id}")  # B learns it when A refuses B's messages
    await at_b.page.click("#ping-button")
    await at_b.notice("疎通確認はまだ届いていません。下のエラーを確認してください。")
    await expect(at_b.page.locator("#partner-error")).to_contain_text("peer.suspended")
    await expect(at_b.page.locator("#partner-queued")).to_have_text("1")

    await at_a.open(f"/admin/partners/{b.node_id}")
    await at_a.page.click("#resume-button")
    await at_a.notice("取引を再開しました。")
    await expect(at_a.page.locator("#partner")).to_have_attribute("data-status", "active")
    await at_b.page.click("#ping-button")  # the ping refused before goes through with this one
    await at_b.notice("疎通確認が届きました。")
    await expect(at_b.page.locator("#partner-queued")).to_have_text("0")
    await expect(at_b.page.locator("#partner-error")).to_have_count(0)
    await screenshot(at_b.page, "phone-admin-partner")


async def _limit_set_and_cleared(at_a: Admin, at_b: Admin) -> None:
    a, b = at_a.node, at_b.node
    await at_a.open(f"/admin/partners/{b.node_id}")
    await at_a.page.fill("#limit-form input[name=limit]", "50,000")
    await at_a.page.click("#limit-button")
    await at_a.notice("受取上限を保存しました。")
    await expect(at_a.page.locator("#partner-limit")).to_have_text("¥50,000")
    assert (await peers(a))[b.node_id]["max_receivable"] == 50_000
    await at_a.page.fill("#limit-form input[name=limit]", "-5")
    await at_a.page.click("#limit-button")
    assert await at_a.error_code() == "request.invalid_amount"
    assert (await peers(a))[b.node_id]["max_receivable"] == 50_000

    await at_a.open(f"/admin/partners/{b.node_id}")
    await at_a.page.fill("#limit-form input[name=limit]", "")
    await at_a.page.click("#limit-button")
    await at_a.notice("受取上限をなくしました。")
    await expect(at_a.page.locator("#partner-limit")).to_have_text("上限なし")
    assert (await peers(a))[b.node_id]["max_receivable"] is None


async def _manual_add_and_bad_url(at_b: Admin, c: RunningNode) -> None:
    b = at_b.node
    before = await peers(b)
    stranger = encode_node_id(bytes(SigningKey.generate().verify_key))
    await _add(at_b, stranger, "ftp://127.0.0.1:1")
    assert await at_b.error_code() == "request.invalid"
    assert await peers(b) == before

    await _add(at_b, c.node_id, c.base_url, name="Hotel C")
    await at_b.notice("提携先を登録しました。")
    await expect(at_b.page.locator("#partner")).to_have_attribute("data-status", "pending")
    await expect(at_b.page.locator("#partner-error")).to_contain_text("peer.unknown_sender")
    await expect(at_b.page.locator("#ping-button")).to_have_count(0)  # pending: nothing to ping
    assert (await peers(b))[c.node_id]["status"] == "pending"


async def _add(admin: Admin, node_id: str, url: str, name: str = "") -> None:
    await admin.open("/admin/partners")
    form = admin.page.locator("#add-form")
    await form.locator("input[name=node_id]").fill(node_id)
    await form.locator("input[name=url]").fill(url)
    await form.locator("input[name=name]").fill(name)
    await admin.page.click("#add-button")


async def _remove_needs_confirmation(at_a: Admin, at_b: Admin) -> None:
    a, b = at_a.node, at_b.node
    page = at_a.page
    await at_a.open(f"/admin/partners/{b.node_id}")
    await page.click("#remove-button")  # the box is not ticked: the browser keeps the form
    await expect(page).to_have_url(f"{a.base_url}/admin/partners/{b.node_id}")
    csrf = await page.locator("#remove-form input[name=csrf]").input_value()
    unticked = await page.request.post(
        f"{a.base_url}/admin/partners/{b.node_id}/remove", form={"csrf": csrf}
    )
    assert unticked.status == 400 and 'data-code="request.invalid"' in await unticked.text()
    assert (await peers(a))[b.node_id]["status"] == "active"

    await page.check("#understood")
    await page.click("#remove-button")
    await at_a.notice("提携を削除しました。")
    await expect(page).to_have_url(f"{a.base_url}/admin/partners?done=done_pt_removed")
    await expect(page.locator(f"#partners tr[data-node='{b.node_id}']")).to_have_count(0)
    assert b.node_id not in await peers(a)
    csrf = await page.locator("#invite-form input[name=csrf]").input_value()
    for action in ("suspend", "resume"):  # a removed partner: a clear refusal, not a 500
        refused = await page.request.post(
            f"{a.base_url}/admin/partners/{b.node_id}/{action}", form={"csrf": csrf}
        )
        assert refused.status == 409, await refused.text()
        assert 'data-code="peer.removed"' in await refused.text()


# -- a parked message ----------------------------------------------------------------------------


async def test_a_parked_message_is_shown_and_re_signed_from_the_console(
    nodes: NodeFactory,
) -> None:
    """A ping that waited past its window while the partner was down is refused for good: the
    partners page shows it parked, with the reason in Japanese and in English, and the partner's
    page re-signs it at the same position, after which it is delivered."""
    a, b = await two_partners(nodes)
    await a.stop()
    await ok(b, "POST", f"peers/{a.node_id}/ping")
    nodes.clock.advance(days=31)
    await a.restart()
    await ok(b, "POST", "peers/sync")
    async with chromium() as browser, admin_of(browser, b, PHONE) as at_b:
        await at_b.open("/admin/partners")
        parked = at_b.page.locator(f"#partners tr.parked[data-node='{a.node_id}']")
        await expect(parked).to_have_attribute("data-code", "peer.expired")
        await expect(parked).to_contain_text("メッセージの有効期限 (30日) が過ぎました。")
        await screenshot(at_b.page, "phone-admin-partners-parked")
        await at_b.open(f"/lang/en?next=/admin/partners/{a.node_id}")
        await expect(at_b.page.locator("#parked-reason")).to_contain_text(
            "The message's validity window (30 days) has passed."
        )
        await expect(at_b.page.locator("#drop-form")).to_have_count(0)  # a ping: no drop
        await screenshot(at_b.page, "phone-admin-partner-parked")
        await at_b.page.click("#resign-button")
        await at_b.notice("The message was signed again, sent, and accepted.")
        await expect(at_b.page.locator("#parked")).to_have_count(0)
        await expect(at_b.page.locator("#partner-queued")).to_have_text("0")
    assert (await peers(b))[a.node_id]["parked"] == []


async def test_a_refused_join_and_a_parked_registration_in_the_console(
    nodes: NodeFactory,
) -> None:
    """Joining with an invitation another node used shows the partner's reason and registers
    nothing; a join queued while the inviter was down, then refused for good, is parked and
    dropped from the partner's page, which ends the partnership that waited for it."""
    a, b, c, d = [await nodes.start(name) for name in ("A", "B", "C", "D")]
    used = (await ok(a, "POST", "peers/invite"))["invite"]
    await ok(c, "POST", "peers/join", {"invite": used})
    async with chromium() as browser, admin_of(browser, b, DESKTOP) as at_b:
        await join(at_b, used)
        assert await at_b.error_code() == "peer.join_refused"
        # The partner's reason (peer.invite_used) in our own words, not as its code.
        await expect(at_b.page.locator(".error .message")).to_contain_text(
            "理由: この招待はすでに使われています。"
        )
        assert await peers(b) == {}

        later = (await ok(a, "POST", "peers/invite"))["invite"]
        await a.stop()
        await join(at_b, later)
        await at_b.notice("相手のノードに接続できませんでした。登録は届くまで再送します。")
        await a.restart()
        await ok(d, "POST", "peers/join", {"invite": later})  # D uses it first
        await ok(b, "POST", "peers/sync")
        await at_b.open(f"/admin/partners/{a.node_id}")
        await expect(at_b.page.locator("#parked")).to_have_attribute(
            "data-code", "peer.invite_used"
        )
        await at_b.page.click("#drop-button")
        await at_b.notice("登録メッセージを取り消し、相手の登録待ちだった提携を削除しました。")
        await expect(at_b.page.locator(f"#partners tr[data-node='{a.node_id}']")).to_have_count(0)
    assert await peers(b) == {}


# -- the audit page ----------------------------------------------------------------------------


async def kippu(*args: str) -> Result:
    """The CLI in a thread (it is synchronous); verify works offline on files."""
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), catch_exceptions=False)


async def test_audit_checkpoint_cosignature_and_bundle(nodes: NodeFactory, tmp_path: Path) -> None:
    a, b = await two_partners(nodes)
    status, claim = await redeem(b, a, await voucher_of(a, 4000), 1500, await store_of(b, "B1"))
    assert status == 201 and claim["status"] == "accepted", claim
    b_made = (await ok(b, "POST", "audit/checkpoint"))["latest_checkpoint"]  # A witnesses it
    async with chromium() as browser, admin_of(browser, a, DESKTOP) as at_a:
        page = at_a.page
        await at_a.open("/admin/audit/export")
        assert await at_a.error_code() == "audit.no_checkpoint"
        await at_a.open("/admin/audit")
        await expect(page.locator("#no-checkpoint")).to_be_visible()

        await page.click("#make-checkpoint")
        await at_a.notice("チェックポイントを作り、提携先に送りました。")
        shown = await ok(a, "GET", "audit/checkpoint")
        latest = shown["latest_checkpoint"]
        await expect(page.locator("#checkpoint-size")).to_have_text(str(latest["size"]))
        await expect(page.locator("#checkpoint-root")).to_have_text(latest["root"])
        # The checkpoint's own message to B and B's reply come after it: the log is larger.
        assert shown["log_size"] > latest["size"]
        await expect(page.locator("#log-size")).to_have_text(str(shown["log_size"]))
        cosigned = page.locator(f"#cosignatures tr[data-peer='{b.node_id}']")
        await expect(cosigned).to_contain_text("Trattoria B")
        await expect(page.locator(".uncosigned")).to_have_count(0)
        await expect(page.locator("#no-alarms")).to_be_visible()
        witnessed = page.locator(f"#witnessed-table tr[data-peer='{b.node_id}']")
        await expect(witnessed.locator("td")).to_have_text(
            ["Trattoria B", str(b_made["size"]), "2026-11-24 10:00"]
        )
        await screenshot(page, "desktop-admin-audit")

        bundle = await _download(page, tmp_path / "a.bundle")
        async with a.session.get(
            f"{a.base_url}/api/v1/audit/export", headers={"Authorization": f"Bearer {a.token}"}
        ) as response:
            assert response.status == 200
            assert bundle == await response.read()
        verified = await kippu(
            "audit",
            "verify",
            str(tmp_path / "a.bundle"),
            "--trust",
            f"Izakaya A={a.node_id}",
            "--json",
        )
        assert verified.exit_code == 0, verified.output
        assert json.loads(verified.output)["ok"] is True

        await _partner_offline_does_not_cosign(at_a, b)
        await page.set_viewport_size(PHONE)
        await screenshot(page, "phone-admin-audit")


async def _download(page: Page, path: Path) -> bytes:
    async with page.expect_download() as waiting:
        await page.click("#export")
    download = await waiting.value
    await download.save_as(path)
    return await asyncio.to_thread(path.read_bytes)


async def _partner_offline_does_not_cosign(at_a: Admin, b: RunningNode) -> None:
    """B is down: A's next checkpoint names B as not having countersigned it."""
    await b.stop()
    for action in ("suspend", "resume"):  # each a signed note: the log grows
        await ok(at_a.node, "POST", f"peers/{b.node_id}/{action}")
    await at_a.page.click("#make-checkpoint")
    await at_a.notice("チェックポイントを作り、提携先に送りました。")
    missing = at_a.page.locator(f".uncosigned[data-peer='{b.node_id}']")
    await expect(missing).to_have_text("Trattoria B はこのチェックポイントに副署していません。")
    await expect(at_a.page.locator("#cosignatures")).to_contain_text("副署はまだありません。")
    await at_a.open("/lang/en?next=/admin/audit")  # and in English
    await expect(at_a.page.locator("h1")).to_have_text("Audit log")
    await expect(missing).to_have_text("Trattoria B has not countersigned this checkpoint.")
