"""Refunds in the console and the wallet over HTTP (資金決済法20条): the voucher page's refund is
explained and refused without a ground (nothing changes), and made on an unavoidable ground in
two steps; the abolition is announced in two steps (a period under 60 days refused next to the
field), shown on the console's home, claimed from the wallet and paid from the console."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.conftest import AsyncNode, ok
from tests.web_helpers import (
    ADMIN_PASSWORD,
    Person,
    balance,
    browsers,
    customer_signs_in,
    customer_with_voucher,
)

ACCOUNT = {
    "bank_name": "ゆうちょ銀行",
    "branch_name": "〇一八",
    "account_type": "ordinary",
    "account_number": "７６５４３２１",
    "account_holder": "ｻﾄｳ ﾊﾅｺ",
}


async def head_office(person: Person, anode: AsyncNode) -> Person:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    assert (await person.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    return person


async def test_the_console_explains_and_refuses_a_refund_without_a_ground(
    anode: AsyncNode,
) -> None:
    voucher_id = await customer_with_voucher(anode, "hanako@example.jp", 8_000)
    async with browsers(anode) as new:
        admin = await head_office(new(), anode)
        page = await admin.get(f"/admin/vouchers/{voucher_id}")
        assert 'id="rf-law"' in page.text and "資金決済法第20条" in page.text
        path = f"/admin/vouchers/{voucher_id}/refund"
        refused = await admin.signed_post(f"{path}/review", {"ground": "", "reason": ""})
        assert (refused.status, refused.code) == (409, "refund.prohibited")
        assert "原則としてできません" in refused.text
        refused = await admin.signed_post(path, {"ground": "", "reason": ""})  # past the review
        assert (refused.status, refused.code) == (409, "refund.prohibited")
        assert await balance(anode, voucher_id) == 8_000

        review = await admin.signed_post(f"{path}/review", {"ground": "unavoidable", "reason": ""})
        assert (review.status, review.code) == (422, "refund.reason_required")
        form = {"ground": "unavoidable", "reason": "海外へ転出"}
        review = await admin.signed_post(f"{path}/review", form)
        assert review.status == 200 and 'id="confirm-amount"' in review.text
        assert await balance(anode, voucher_id) == 8_000  # the review changes nothing
        done = await admin.signed_post(path, form)
        assert done.status == 303
        page = await admin.follow(done.location)
        assert 'id="rf-done" data-ground="unavoidable"' in page.text
        voucher = await ok(anode, "GET", f"vouchers/{voucher_id}")
        assert (voucher["balance"], voucher["status"]) == (0, "void")


async def test_an_abolition_is_announced_claimed_in_the_wallet_and_paid_in_the_console(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    voucher_id = await customer_with_voucher(anode, "hanako@example.jp", 6_000)
    async with browsers(anode) as new:
        admin = await head_office(new(), anode)
        short = {"notice_date": "2026-11-25", "claim_until": "2027-01-23"}
        refused = await admin.signed_post("/admin/refunds/abolish/review", short)
        assert (refused.status, refused.code) == (422, "refund.claim_period_too_short")
        window = {"notice_date": "2026-11-25", "claim_until": "2027-01-24"}
        review = await admin.signed_post("/admin/refunds/abolish/review", window)
        assert review.status == 200 and 'id="confirm-until">2027-01-24<' in review.text
        assert (await admin.signed_post("/admin/refunds/abolish", window)).status == 303
        home = await admin.get("/admin")
        assert 'id="abolition-notice" data-state="announced"' in home.text
        again = await admin.signed_post("/admin/refunds/abolish", window)
        assert (again.status, again.code) == (409, "refund.abolition_open")

        hanako = await customer_signs_in(new(), "hanako@example.jp", caplog)
        page = await hanako.get(f"/wallet/v/{voucher_id}")
        assert 'id="refund-offer"' not in page.text  # not before the notice date
        assert 'id="refund-home"' not in (await hanako.get("/wallet")).text
        early = await hanako.signed_post(f"/wallet/v/{voucher_id}/refund", ACCOUNT)
        assert (early.status, early.code) == (409, "refund.window_not_open")

        anode.clock.set(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))  # 09:00 on the notice date
        assert 'id="refund-home"' in (await hanako.get("/wallet")).text
        page = await hanako.get(f"/wallet/v/{voucher_id}")
        assert 'id="refund-offer"' in page.text
        bad = await hanako.signed_post(
            f"/wallet/v/{voucher_id}/refund", ACCOUNT | {"account_number": "12"}
        )
        assert (bad.status, bad.code) == (422, "refund.invalid_bank_account")
        claimed = await hanako.signed_post(f"/wallet/v/{voucher_id}/refund", ACCOUNT)
        assert claimed.status == 303
        shown = await hanako.get(claimed.location)
        assert 'id="rw-claim" data-paid="no"' in shown.text

        admin = await head_office(new(), anode)  # a console session lasts less than that day
        page = await admin.get("/admin/refunds")
        claim_id = re.search(r'data-claim="([^"]+)" data-paid="no"', page.text)
        assert claim_id and "サトウ ハナコ" in page.text and "7654321" in page.text
        pay = f"/admin/refunds/claims/{claim_id.group(1)}/pay"
        refused = await admin.signed_post(pay, {"reference": ""})
        assert refused.status == 400 and "rf-pay-" in refused.text
        assert (await admin.signed_post(pay, {"reference": "振込 0042"})).status == 303
        page = await admin.get("/admin/refunds")
        assert 'data-paid="yes"' in page.text and 'data-figure="paid">¥6,000<' in page.text
        assert (await ok(anode, "GET", f"vouchers/{voucher_id}"))["status"] == "void"
        assert (await ok(anode, "GET", "ledger/check"))["ok"]
        shown = await hanako.get(f"/wallet/v/{voucher_id}/refund")
        assert 'data-paid="yes"' in shown.text
        history = await hanako.get(f"/wallet/v/{voucher_id}")
        assert (
            history.status == 200
            and "払戻し" in history.text
            and 'id="refund-claimed"' in history.text
        )

        anode.clock.set(datetime(2027, 1, 24, 15, 0, tzinfo=UTC))  # 25 Jan, 00:00 in Tokyo
        admin = await head_office(new(), anode)
        home = await admin.get("/admin")
        assert 'id="abolition-notice"' not in home.text  # closed, and nothing left to pay


async def test_the_console_records_the_claim_of_a_voucher_nobody_holds(anode: AsyncNode) -> None:
    """While claims are taken, head office records one for the bearer of a voucher nobody holds;
    a number mistyped is said next to its field, with what was typed kept."""
    unheld = await ok(anode, "POST", "vouchers", {"amount": 5_000})
    await ok(
        anode,
        "POST",
        "compliance/abolition",
        {"notice_date": "2026-11-25", "claim_until": "2027-01-24"},
    )
    anode.clock.set(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))
    async with browsers(anode) as new:
        admin = await head_office(new(), anode)
        page = await admin.get("/admin/refunds")
        assert 'id="rf-record"' in page.text
        form = ACCOUNT | {"voucher_id": "9999 0000 1111", "claimant_name": "山田 太郎"}
        wrong = await admin.signed_post("/admin/refunds/claims", form)
        assert (wrong.status, wrong.code) == (400, "request.invalid")
        assert 'name="voucher_id"' in wrong.text and "山田 太郎" in wrong.text
        form |= {"voucher_id": str(unheld["voucher_id"])}
        done = await admin.signed_post("/admin/refunds/claims", form)
        assert done.status == 303, done.text
        page = await admin.follow(done.location)
        assert 'data-paid="no"' in page.text and "サトウ ハナコ" in page.text
        assert await balance(anode, str(unheld["voucher_id"])) == 0
        assert (await ok(anode, "GET", "ledger/check"))["ok"]
