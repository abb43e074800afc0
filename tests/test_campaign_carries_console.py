"""The console's carried amounts over real HTTP on a real node (no browser): a store that owes
back after a void of a paid coupon is listed with what it owes, the run's page shows each store's
net, carry and transfer, a write-off without a reason or with an amount that changed is refused
beside its form, in Japanese, and one with its reason is recorded, shown and booked; only head
office reaches it."""

from __future__ import annotations

from pathlib import Path

import pytest

from node.home import NodeHome
from tests.campaign_console_helpers import head_office
from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, make_home, ok
from tests.test_campaign_payouts import OFFICE, configure
from tests.web_helpers import add_store, browsers, counter, redeem_by_api

CARRIES = "/admin/campaigns/payouts/carries"
DAY_1, DAY_2 = "2026-11-24", "2026-11-25"


@pytest.fixture
def home(tmp_path: Path) -> NodeHome:
    made = make_home(tmp_path / "node")
    configure(made, OFFICE)
    return made


async def owing_store(anode: AsyncNode) -> tuple[str, str]:
    """鍵屋 paid ¥3,000 for DAY_1, the redemption voided on DAY_2: it owes ¥3,000 after DAY_2's
    run. Its id and that run's id."""
    made = await ok(anode, "POST", "campaigns", terms(anode.clock, face_yen=5000, stock=5))
    kagiya = await add_store(anode, "鍵屋")
    account = {
        "bank_code": "0005",
        "branch_code": "001",
        "account_type": "ordinary",
        "account_number": "1234",
        "holder_kana": "ｶｷﾞﾔ",
    }
    await ok(anode, "PUT", f"stores/{kagiya}/bank", account)
    person = await ok(anode, "POST", "customers", {"name": "花子"})
    granted = await ok(
        anode,
        "POST",
        f"campaigns/{made['campaign_id']}/grants",
        {"customer_id": person["customer_id"]},
    )
    redemption = await redeem_by_api(anode, granted["voucher_ids"][0], kagiya, 3000)
    anode.clock.advance(days=1)
    await ok(anode, "POST", "payouts", {"from": DAY_1, "to": DAY_1})
    await ok(anode, "POST", f"redemptions/{redemption}/void")
    anode.clock.advance(days=1)
    second = await ok(anode, "POST", "payouts", {"from": DAY_2, "to": DAY_2})
    return kagiya, str(second["payout_id"])


async def test_the_office_sees_what_a_store_owes_and_writes_it_off_with_a_reason(
    anode: AsyncNode,
) -> None:
    kagiya, payout_id = await owing_store(anode)
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        admin.headers["Accept-Language"] = "ja"
        staff = await counter(anode, new, "yamada", [kagiya])
        assert (await staff.get(CARRIES)).code == "auth.forbidden"

        run_page = (await admin.get(f"/admin/campaigns/payouts/{payout_id}")).text
        row = run_page.split('id="run-by-store"', 1)[1].split(f'data-store="{kagiya}"', 1)[1]
        row = row.split("</tr>", 1)[0]
        assert 'data-yen="-3000"' in row and "次回への繰越" in run_page
        assert f'<a href="{CARRIES}">' in row
        overview = (await admin.get("/admin/campaigns/payouts")).text
        assert f'href="{CARRIES}"' in overview and 'data-yen="3000"' in overview

        page = await admin.get(CARRIES)
        assert page.status == 200 and 'id="carry-total" data-yen="3000"' in page.text
        assert f'data-store="{kagiya}" data-carry="3000"' in page.text
        assert f'id="write-off-{kagiya}"' in page.text
        assert 'data-reconciled="true"' in page.text.split('id="store-books"', 1)[1]

        action = f"{CARRIES}/{kagiya}/write-off"
        blank = await admin.signed_post(action, {"amount_yen": "3000", "reason": "  "})
        assert (blank.status, blank.code) == (422, "payout.bad_reason")
        assert f'id="cw-{kagiya}-reason-error"' in blank.text and "理由" in blank.text
        stale = await admin.signed_post(action, {"amount_yen": "2000", "reason": "退店"})
        assert (stale.status, stale.code) == (409, "payout.carry_changed")
        assert f'id="cw-{kagiya}-error"' in stale.text and "3000" in stale.text
        assert 'value="退店"' in stale.text  # what was typed is kept
        assert (await ok(anode, "GET", "payout-carries"))["total_yen"] == 3000

        done = await admin.signed_post(action, {"amount_yen": "3000", "reason": "11月末で退店"})
        assert done.status == 303 and done.location == f"{CARRIES}?done=done_cpy_write_off"
        shown = (await admin.get(done.location)).text
        assert "償却を記録しました" in shown and 'id="no-carries"' in shown
        history = shown.split('id="write-offs"', 1)[1].split("</table>", 1)[0]
        assert "11月末で退店" in history and 'data-yen="3000"' in history
        twice = await admin.signed_post(action, {"amount_yen": "3000", "reason": "11月末で退店"})
        assert (twice.status, twice.code) == (409, "payout.nothing_owed")
        listing = await ok(anode, "GET", "payout-carries")
        assert listing["carries"] == [] and len(listing["write_offs"]) == 1
        assert (
            listing["write_offs"][0]["reason"] == "11月末で退店"
            and listing["write_offs"][0]["actor"]
        )
        books = await ok(anode, "GET", "payout-reconciliation")
        assert books["reconciled"] is True


async def test_the_office_records_a_stores_repayment_beside_its_carry(anode: AsyncNode) -> None:
    """A repayment above what the store owes, or not a number, is refused beside its form in
    Japanese; part of it is recorded, listed and booked, and the store owes the rest."""
    kagiya, _ = await owing_store(anode)
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        admin.headers["Accept-Language"] = "ja"
        page = await admin.get(CARRIES)
        assert f'id="repaid-{kagiya}"' in page.text and 'id="no-repayments"' in page.text
        assert 'id="legacy-open"' not in page.text and f'id="keep-{kagiya}"' not in page.text

        action = f"{CARRIES}/{kagiya}/repaid"
        too_much = await admin.signed_post(action, {"amount_yen": "3500", "reason": "現金"})
        assert (too_much.status, too_much.code) == (409, "payout.repaid_too_much")
        assert f'id="cr-{kagiya}-error"' in too_much.text and "返すべき額" in too_much.text
        assert 'value="3500"' in too_much.text
        typo = await admin.signed_post(action, {"amount_yen": "千円", "reason": "現金"})
        assert (typo.status, typo.code) == (400, "request.invalid_amount")
        assert (await ok(anode, "GET", "payout-carries"))["total_yen"] == 3000

        done = await admin.signed_post(action, {"amount_yen": "1000", "reason": "受領No.7"})
        assert done.status == 303 and done.location == f"{CARRIES}?done=done_cpy_repaid"
        shown = (await admin.get(done.location)).text
        assert "返金を記録しました" in shown and 'id="carry-total" data-yen="2000"' in shown
        history = shown.split('id="repayments"', 1)[1].split("</table>", 1)[0]
        assert "受領No.7" in history and 'data-yen="1000"' in history
        books = await ok(anode, "GET", "payout-reconciliation")
        assert books["reconciled"] is True
