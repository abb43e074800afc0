"""The rest paid another way in the admin API and on the receipt (issue 15, item 2).

POST /api/v1/redemptions takes an optional `rest` ({"amount", "method"}): recorded with the
redemption, returned by every redemption answer (null when there is none) and by a retry of the
same code; refused, changing nothing, when malformed (400), with a partner's voucher (422), or with an amount
that is not the voucher's whole balance (409).
The receipt PDF prints it as a row of its own, apart from the voucher's amount.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf

from node.ledger.model import PaymentMethod
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload
from node.ledger.tender import RestPayment
from node.web.pdf_fonts import find_font
from node.web.receipt import render_receipt
from tests.conftest import START, AsyncNode, ok
from tests.test_receipt import RECEIPT


async def _voucher_and_code(anode: AsyncNode, face: int) -> tuple[str, str, str]:
    store = await ok(anode, "POST", "stores", {"name": "渋谷店"})
    voucher = await ok(anode, "POST", "vouchers", {"amount": face})
    code = await ok(anode, "GET", f"vouchers/{voucher['voucher_id']}/code")
    return str(store["store_id"]), str(voucher["voucher_id"]), str(code["payload"])


async def test_the_rest_is_recorded_answered_and_repeated_never_posted(anode: AsyncNode) -> None:
    store_id, voucher_id, payload = await _voucher_and_code(anode, 5_000)
    body = {
        "payload": payload,
        "amount": 5_000,
        "store_id": store_id,
        "rest": {"amount": 3_000, "method": "cash"},
    }
    status, made = await anode.call("POST", "redemptions", body)
    assert status == 201, made
    assert (made["amount"], made["balance_after"]) == (5_000, 0)
    assert made["rest"] == {"amount": 3_000, "method": "cash"}
    # The same request again (a lost answer): the same redemption and the same rest, nothing new.
    status, again = await anode.call("POST", "redemptions", body)
    assert status == 200 and again["retried"] is True
    assert (again["redemption_id"], again["rest"]) == (made["redemption_id"], made["rest"])
    shown = await ok(anode, "GET", f"redemptions/{made['redemption_id']}")
    assert shown["rest"] == {"amount": 3_000, "method": "cash"}
    listed = await ok(anode, "GET", f"redemptions?voucher_id={voucher_id}")
    assert [r["rest"] for r in listed["redemptions"]] == [{"amount": 3_000, "method": "cash"}]
    check = await ok(anode, "GET", "ledger/check")
    assert check["ok"] is True
    assert (await ok(anode, "GET", f"vouchers/{voucher_id}"))["balance"] == 0
    voided = await ok(anode, "POST", f"redemptions/{made['redemption_id']}/void", {})
    assert (voided["balance_after"], voided["rest"]["amount"]) == (5_000, 3_000)


async def test_a_redemption_without_a_rest_answers_null(anode: AsyncNode) -> None:
    store_id, _, payload = await _voucher_and_code(anode, 5_000)
    made = await ok(
        anode, "POST", "redemptions", {"payload": payload, "amount": 800, "store_id": store_id}
    )
    assert made["rest"] is None


async def test_a_malformed_rest_is_refused_and_changes_nothing(anode: AsyncNode) -> None:
    store_id, voucher_id, payload = await _voucher_and_code(anode, 5_000)
    for rest, code in (
        ({"amount": 1_000, "method": "bitcoin"}, "request.invalid"),
        ({"amount": 0, "method": "cash"}, "request.invalid_amount"),
        ({"amount": 1_000}, "request.invalid"),
        ({"amount": 1_000, "method": "cash", "extra": 1}, "request.invalid"),
        ("cash", "request.invalid"),
    ):
        body = {"payload": payload, "amount": 1_000, "store_id": store_id, "rest": rest}
        status, answer = await anode.call("POST", "redemptions", body)
        assert (status, answer["error"]["code"]) == (400, code), rest
    assert (await ok(anode, "GET", f"vouchers/{voucher_id}"))["balance"] == 5_000


async def test_a_rest_with_less_than_the_whole_balance_is_refused_and_changes_nothing(
    anode: AsyncNode,
) -> None:
    store_id, voucher_id, payload = await _voucher_and_code(anode, 5_000)
    rest = {"amount": 3_000, "method": "cash"}
    body = {"payload": payload, "amount": 4_000, "store_id": store_id, "rest": rest}
    status, answer = await anode.call("POST", "redemptions", body)
    assert (status, answer["error"]["code"]) == (409, "redemption.rest_not_whole_balance")
    assert (await ok(anode, "GET", f"vouchers/{voucher_id}"))["balance"] == 5_000
    listed = await ok(anode, "GET", f"redemptions?voucher_id={voucher_id}")
    assert listed["redemptions"] == []
    check = await ok(anode, "GET", "ledger/check")
    assert check["ok"] is True and check["voucher_balances"] == 5_000
    # The same code with the whole balance: redeemed, the rest recorded.
    made = await ok(anode, "POST", "redemptions", {**body, "amount": 5_000})
    assert (made["balance_after"], made["rest"]) == (0, rest)


async def test_a_rest_with_a_partners_voucher_is_refused_before_anything_is_claimed(
    anode: AsyncNode,
) -> None:
    store_id, _, _ = await _voucher_and_code(anode, 5_000)
    theirs = make_payload(
        "B" * 51 + "A", voucher_number_from(b"theirs"), b"t" * 32, START, 30, b"n" * 5
    )
    body = {
        "payload": theirs,
        "amount": 1_000,
        "store_id": store_id,
        "rest": {"amount": 500, "method": "cash"},
    }
    status, answer = await anode.call("POST", "redemptions", body)
    assert (status, answer["error"]["code"]) == (422, "redemption.rest_partner_voucher")
    claims = await ok(anode, "GET", "settlement/claims")
    assert claims["claims"] == []


def test_the_receipt_prints_the_rest_apart_from_the_vouchers_amount() -> None:
    data = dataclasses.replace(RECEIPT, rest=RestPayment(3_000, PaymentMethod.CARD))
    pdf = render_receipt(data, ZoneInfo("Asia/Tokyo"), find_font(""))
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "差額" in text and "¥3,000" in text and "カード" in text
    assert "¥8,000" in text  # the voucher's amount stays what the voucher paid
    plain = (
        pypdf.PdfReader(
            io.BytesIO(render_receipt(RECEIPT, ZoneInfo("Asia/Tokyo"), Path(find_font(""))))
        )
        .pages[0]
        .extract_text()
    )
    assert "差額" not in plain
