"""The console's settlement pages in headless Chromium, between two real nodes on 127.0.0.1.

A's voucher is taken at B's store and B's at A's; A's admin sees what each owes on the balances
page, proposes a statement there, B's admin sees it agreed, A records the bank transfer, B
confirms the money arrived, and both pages show the statement cleared and nothing owed (checked
through the JSON API too: no yen lost or created). The claims list and its filters; a claim the
partner's statement disagrees with, reconciled and resolved from the pages; refused actions
change nothing. Screenshots at phone and desktop widths go to test-artifacts/.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from node.errors import ValidationError
from node.peering.model import GENESIS_HASH
from node.settlement import core
from node.settlement.model import Owed, StatementItem
from node.web.admin.settlement import cutoff_from_form
from node.web.admin.settlement_views import BreakView, break_views
from tests.browser import chromium, screenshot
from tests.conftest import NodeFactory, RunningNode, ok
from tests.console_helpers import Admin, admin_of
from tests.page_checks import check_page
from tests.settlement_helpers import (
    balance_with,
    books_agree,
    claim_at,
    deliver,
    journal_size,
    redeem,
    statement_at,
    store_of,
    two_partners,
    voucher_of,
)
from tests.test_settlement_bad_input import crafted_as
from tests.web_flow_helpers import DESKTOP, PHONE
from tests.wire_helpers import statement_fields


async def shots(admin: Admin, name: str) -> None:
    await screenshot(admin.page, f"desktop-admin-settlement-{name}")
    await admin.page.set_viewport_size(PHONE)
    await screenshot(admin.page, f"phone-admin-settlement-{name}")
    await admin.page.set_viewport_size(DESKTOP)


def code_of(html: str) -> str:
    start = html.index('data-code="') + len('data-code="')
    return html[start : html.index('"', start)]


async def accepted(at: RunningNode, issuer: RunningNode, voucher: str, amount: int) -> str:
    store = (await ok(at, "GET", "stores"))["stores"][0]["store_id"]
    status, answer = await redeem(at, issuer, voucher, amount, store)
    assert (status, answer["status"]) == (201, "accepted"), answer
    return str(answer["claim_id"])


# -- the month's settlement, both admins in their browsers ---------------------------------------


async def test_balances_statement_payment_and_receipt_from_the_pages(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A 本店")
    await store_of(b, "B 駅前店")
    a_at_b = await accepted(b, a, await voucher_of(a, 5000), 1200)  # A owes B 1,200
    b_at_a = await accepted(a, b, await voucher_of(b, 3000), 500)  # B owes A 500
    async with chromium() as browser, admin_of(browser, a) as at_a, admin_of(browser, b) as at_b:
        await at_a.open("/admin/settlement")
        partner = at_a.page.locator(f"section.partner[data-peer='{b.node_id}']")
        await expect(partner.locator(".receivable")).to_have_text("¥500")
        await expect(partner.locator(".payable")).to_have_text("¥1,200")
        await expect(partner.locator(".net")).to_have_text("¥700 支払")
        await expect(at_a.page.locator("#total-net")).to_have_text("¥700 支払")
        await shots(at_a, "balances")

        # Both claims were decided this second, after the default cut-off (the last whole
        # second); a cut-off in the future is refused: neither makes a statement.
        status, html = await at_a.post("/admin/settlement/propose", {"peer": b.node_id})
        assert (status, code_of(html)) == (409, "settlement.nothing_to_settle")
        later = {"peer": b.node_id, "until": "2030-01-01T00:00"}
        status, html = await at_a.post("/admin/settlement/propose", later)
        assert (status, code_of(html)) == (400, "request.invalid")
        assert (await ok(a, "GET", "settlement/statements"))["statements"] == []
        nodes.clock.advance(seconds=1)
        await partner.locator("form.propose button").click()
        await at_a.notice("精算書を作成し、相手先に送りました。")
        statement_id = at_a.page.url.split("/statements/")[1].split("?")[0]
        await expect(at_a.page.locator("#statement")).to_have_attribute("data-status", "agreed")
        await expect(at_a.page.locator("#who-pays")).to_have_text("当社が支払う")
        # Each line is told by its date, store and receipt number, not by a bare claim id.
        to_us = at_a.page.locator(f"#claims-to-us tr[data-claim='{b_at_a}']")
        await expect(to_us).to_contain_text("A 本店")
        await expect(to_us).not_to_contain_text(b_at_a)
        await expect(at_a.page.locator(f"#claims-by-us tr[data-claim='{a_at_b}']")).to_contain_text(
            "B 駅前店"
        )
        await expect(at_a.page.locator("#amount-due")).to_have_text("¥700")
        # The closing balance is labelled as the balance at the cut-off, not as a further debt.
        await expect(at_a.page.locator("#statement")).to_contain_text("締め後残高")
        await expect(at_a.page.locator("#statement")).not_to_contain_text("次回繰越")
        await expect(at_a.page.locator("#closing-note")).to_have_text(
            "この精算書の支払額と同じです。別に支払う必要はありません。"
        )
        await check_page(at_a.page, "console-statement")
        await shots(at_a, "statement")

        await deliver(nodes.clock, a, b, seconds=5)
        await at_b.open("/admin/settlement/statements")
        row = at_b.page.locator(f"#statements tr[data-statement='{statement_id}']")
        await expect(row).to_have_attribute("data-status", "agreed")
        await expect(row.locator("td.num")).to_have_text("¥700")
        await row.locator("a").click()
        await expect(at_b.page.locator("#who-pays")).to_have_text("相手先が支払う")
        await expect(at_b.page.locator("#confirm-form")).to_have_count(0)  # not paid yet

        await _refusals_before_payment(at_a, statement_id)
        await at_a.page.fill("#reference-input", "  振込 0042  ")
        await at_a.page.click("#pay")
        await at_a.notice("支払を記録し、相手先に通知しました。")
        await expect(at_a.page.locator("#reference")).to_have_text("振込 0042")
        await expect(at_a.page.locator("#statement")).to_have_attribute("data-status", "paid")

        await at_b.page.reload()
        await expect(at_b.page.locator("#statement")).to_have_attribute("data-status", "paid")
        await at_b.page.click("#confirm")
        await at_b.notice("入金を確認し、精算書を消し込みました。")
        await expect(at_b.page.locator("#statement")).to_have_attribute("data-status", "cleared")
        await expect(at_b.page.locator("#closing-note")).to_have_text(
            "支払・入金確認済み: 精算は完了しています。"
        )

        await deliver(nodes.clock, a, b, seconds=5)
        await at_a.page.reload()
        await expect(at_a.page.locator("#statement")).to_have_attribute("data-status", "cleared")
        for admin, peer in ((at_a, b), (at_b, a)):
            await admin.open("/admin/settlement")
            shown = admin.page.locator(f"section.partner[data-peer='{peer.node_id}']")
            await expect(shown.locator(".receivable")).to_have_text("¥0")
            await expect(shown.locator(".payable")).to_have_text("¥0")
            await expect(shown.locator(".last")).to_contain_text("消込済み")
        await _refusals_after_clearing(at_b, statement_id)

    for node, peer in ((a, b), (b, a)):
        owed = await balance_with(node, peer)
        assert (owed["receivable"], owed["payable"], owed["net"]) == (0, 0, 0), owed
        shown = await statement_at(node, statement_id)
        assert (shown["status"], shown["amount"], shown["payer"]) == ("cleared", 700, a.node_id)
        assert shown["reference"] == "振込 0042"
    for claim_id in (a_at_b, b_at_a):
        assert (await claim_at(a, claim_id))["status"] == "CLEARED"
    await books_agree(a, b)


async def _refusals_before_payment(at_a: Admin, statement_id: str) -> None:
    """A blank reference, and A (the payer) confirming receipt: refused, nothing changes."""
    a, page = at_a.node, at_a.page
    before = journal_size(a)
    status, html = await at_a.post(f"/admin/settlement/statements/{statement_id}/confirm", {})
    assert (status, code_of(html)) == (409, "settlement.not_payee")
    status, html = await at_a.post(
        f"/admin/settlement/statements/{statement_id}/pay", {"reference": "x" * 201}
    )
    assert (status, code_of(html)) == (400, "request.invalid")
    await page.fill("#reference-input", "   ")  # the browser's `required` lets spaces through
    async with page.expect_navigation() as sent:
        await page.click("#pay")
    answer = await sent.value
    assert answer is not None and answer.status == 400
    # Shown on the form, next to the field, in Japanese (issue 15: no bare error page).
    error = page.locator("#pay-form-reference-error")
    await expect(error).to_have_attribute("data-code", "request.invalid")
    await expect(error).to_have_text("振込の照会番号を入力してください (200文字以内)。")
    await check_page(page, "console-statement-reference-missing")
    assert (await statement_at(a, statement_id))["status"] == "agreed"
    assert journal_size(a) == before
    await at_a.open(f"/admin/settlement/statements/{statement_id}")


async def _refusals_after_clearing(at_b: Admin, statement_id: str) -> None:
    """Confirming a statement that is no longer paid, or paying as the payee: the error's code."""
    b = at_b.node
    before = journal_size(b)
    status, html = await at_b.post(f"/admin/settlement/statements/{statement_id}/confirm", {})
    assert (status, code_of(html)) == (409, "settlement.statement_state")
    status, html = await at_b.post(
        f"/admin/settlement/statements/{statement_id}/pay", {"reference": "二重払い"}
    )
    assert (status, code_of(html)) == (409, "settlement.not_payer")
    status, html = await at_b.post("/admin/settlement/statements/st_nowhere/confirm", {})
    assert (status, code_of(html)) == (404, "settlement.statement_not_found")
    assert journal_size(b) == before
    assert (await statement_at(b, statement_id))["status"] == "cleared"


# -- claims, a dispute, reconciliation ---------------------------------------------------------


async def test_claims_filters_reconcile_a_break_and_resolve_the_disputed_claim(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A 本店")
    await store_of(b, "B 駅前店")
    voucher = await voucher_of(a, 5000)
    honest = await accepted(b, a, voucher, 1000)
    nodes.clock.advance(seconds=1)  # one claim a second: the list's order is known
    other = await accepted(b, a, voucher, 600)
    # B's node (its key, its channel) sends a statement that says 1,300 for the 1,000 claim.
    now_s = int(nodes.clock.now().timestamp())
    items = [StatementItem(honest, a.node_id, 1300), StatementItem(other, a.node_id, 600)]
    pair = core.parties(a.node_id, b.node_id)
    lie = core.build_statement("st_lie", 1, now_s, GENESIS_HASH, pair, items, [], Owed("", 0))
    answer = await (await crafted_as(b, a, nodes)).send("statement", statement_fields(lie))
    assert answer.result is not None and answer.result["decision"] == "disputed"
    nodes.clock.advance(seconds=1)
    ours = await accepted(a, b, await voucher_of(b, 2000), 700)  # B's voucher at A's store
    async with chromium() as browser, admin_of(browser, a) as at_a:
        await _reconcile_shows_the_break(at_a, b, honest)
        await _claims_filters(at_a, b, honest, other, ours)
        await _resolve_from_the_page(at_a, honest)
    assert (await claim_at(a, honest))["status"] == "ACCEPTED"
    await books_agree(a, b)


async def _reconcile_shows_the_break(at_a: Admin, b: RunningNode, honest: str) -> None:
    a, page = at_a.node, at_a.page
    await at_a.open("/admin/settlement")
    await page.locator(f"section.partner[data-peer='{b.node_id}'] form.reconcile button").click()
    await at_a.notice("照合しました。")
    report = page.locator("#reconciliation")
    await expect(report).to_have_attribute("data-peer", b.node_id)
    line = report.locator("#breaks tbody tr")
    await expect(line).to_have_count(1)
    await expect(line).to_have_attribute("data-kind", "amount")
    await expect(line).to_have_attribute("data-outcome", "se_res_disputed")
    await expect(line.locator("td").nth(1)).to_have_text(honest)
    await expect(line.locator("td").nth(2)).to_have_text("金額が一致しない利用")
    await expect(line.locator("td.num")).to_have_text(["¥1,000", "¥1,300"])
    await expect(report.locator("#recon-disputed")).to_have_text("1件 · ¥1,000")
    await expect(report.locator("#recon-open")).to_have_text("2件 · ¥1,300")  # 600 + A's 700
    await expect(report.locator("#recon-matched")).to_have_text("0件 · ¥0")
    await shots(at_a, "reconcile")
    assert (await claim_at(a, honest))["status"] == "DISPUTED"
    status, html = await at_a.post("/admin/settlement/reconcile", {"peer": "NOSUCHPARTNER"})
    assert (status, code_of(html)) == (404, "peer.not_found")


async def _claims_filters(at_a: Admin, b: RunningNode, honest: str, other: str, ours: str) -> None:
    page = at_a.page

    async def listed(query: str) -> list[str]:
        await at_a.open(f"/admin/settlement/claims{query}")
        rows = page.locator("#claims tbody tr")
        return [str(await r.get_attribute("data-claim")) for r in await rows.all()]

    assert await listed("") == [ours, other, honest]  # newest first
    await shots(at_a, "claims")
    row = page.locator(f"#claims tr[data-claim='{honest}']")
    await expect(row.locator(".status")).to_have_text("相違のため保留")
    await expect(row.locator("td.voucher-no")).to_have_text(
        f"**** **** {(await _voucher(at_a, honest))}"
    )
    await expect(row.locator("td").nth(2)).to_have_text("当社発行・提携先で利用 (買掛)")

    await page.select_option("#filter-status", "DISPUTED")
    await page.click("#claim-filters button")
    await expect(page.locator("#claims tbody tr")).to_have_count(1)
    assert "status=DISPUTED" in page.url
    await expect(page.locator("#filter-status")).to_have_value("DISPUTED")
    assert await listed("?role=redeemer") == [ours]
    assert await listed("?role=issuer&status=ACCEPTED") == [other]
    assert await listed(f"?peer={b.node_id}&role=&status=") == [ours, other, honest]
    assert await listed("?peer=NOSUCHPARTNER") == []
    await expect(page.locator("#no-claims")).to_be_visible()
    await at_a.open("/admin/settlement/claims?status=LOST")
    await expect(page.locator(".error")).to_have_attribute("data-code", "request.invalid")
    await at_a.open("/lang/en?next=/admin/settlement/claims%3Fstatus%3DDISPUTED")
    await expect(page.locator("h1")).to_have_text("Claims (partner-voucher redemptions)")
    await expect(page.locator("#claims .status")).to_have_text(["Disputed"])
    await at_a.open("/lang/ja?next=/admin/settlement")


async def _voucher(at_a: Admin, claim_id: str) -> str:
    return str((await claim_at(at_a.node, claim_id))["voucher_id"])[-4:]


async def _resolve_from_the_page(at_a: Admin, honest: str) -> None:
    a, page = at_a.node, at_a.page
    await at_a.open(f"/admin/settlement/claims/{honest}")
    await expect(page.locator("#claim")).to_have_attribute("data-status", "DISPUTED")
    await expect(page.locator("#claim-amount")).to_have_text("¥1,000")
    path = f"/admin/settlement/claims/{honest}/resolve"
    status, html = await at_a.post(path, {})  # the confirmation box not ticked
    assert (status, code_of(html)) == (400, "request.invalid")
    assert (await claim_at(a, honest))["status"] == "DISPUTED"
    await page.click("#resolve")  # not ticked: the browser keeps the form
    await expect(page).to_have_url(f"{a.base_url}/admin/settlement/claims/{honest}")
    await page.check("#resolve-agreed")
    await page.click("#resolve")
    await at_a.notice("この利用を精算に戻しました。次の精算書に含まれます。")
    await expect(page.locator("#claim")).to_have_attribute("data-status", "ACCEPTED")
    await expect(page.locator("#resolve-form")).to_have_count(0)
    status, html = await at_a.post(path, {"agreed": "yes"})  # no longer disputed
    assert (status, code_of(html)) == (404, "settlement.claim_not_found")


# -- the cut-off field ---------------------------------------------------------------------------


def test_a_cut_off_typed_to_the_minute_takes_in_that_whole_minute() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    end_of_month = datetime(2026, 11, 30, 14, 59, 59, tzinfo=UTC).timestamp()
    assert cutoff_from_form("2026-11-30T23:59", tokyo) == end_of_month
    assert cutoff_from_form("2026-11-30T23:59:10", tokyo) == end_of_month - 49
    assert cutoff_from_form("  ", tokyo) is None
    for bad in ("yesterday", "2026-11-30T23:59+09:00", "2026-13-01T00:00"):
        with pytest.raises(ValidationError):
            cutoff_from_form(bad, tokyo)


def test_a_break_the_partner_found_in_our_proposal_is_told_from_our_side() -> None:
    found = [
        {"item": "cl_1", "kind": "missing_here", "ours": 0, "theirs": 500},
        {"item": "cl_2", "kind": "amount", "ours": 1000, "theirs": 1300},
        {"item": "#3", "kind": "sequence", "ours": 3, "theirs": 2},
        {"item": "x", "kind": "made-up", "ours": -4, "theirs": 4},
    ]
    assert break_views(found, we_proposed=False) == [
        BreakView("cl_1", "missing_here", 0, 500),
        BreakView("cl_2", "amount", 1000, 1300),
        BreakView("#3", "sequence", 3, 2),
        BreakView("x", "totals", 4, 4),
    ]
    assert break_views(found, we_proposed=True) == [
        BreakView("cl_1", "missing_there", 500, 0),
        BreakView("cl_2", "amount", 1300, 1000),
        BreakView("#3", "sequence", 2, 3),
        BreakView("x", "totals", 4, 4),
    ]
