"""A customer's voucher used at a partner's store: the wallet shows the use with the partner's
store and name, and gives a receipt PDF for it; a void at the partner shows there too.

Two real companies on 127.0.0.1; the customer is a cookie jar signed in by the emailed link
(logged, as with no SMTP server).
"""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from tests.conftest import NodeFactory, ok
from tests.settlement_helpers import deliver, payload, propose, store_of, two_partners
from tests.web_helpers import Person, browsers, customer_signs_in


async def pdf_text(person: Person, path: str) -> tuple[int, str]:
    async with person.http.get(person.base_url + path, allow_redirects=False) as response:
        body = await response.read()
    if response.status != 200:
        return response.status, ""
    assert body.startswith(b"%PDF")
    return 200, pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text()


async def test_a_use_at_a_partner_has_its_receipt(
    nodes: NodeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = await two_partners(nodes)
    b_store = await store_of(b, "トラットリア 駅前店")
    customer = await ok(a, "POST", "customers", {"name": "hanako", "email": "hanako@example.com"})
    body = {"amount": 10_000, "customer_id": customer["customer_id"]}
    voucher_id = (await ok(a, "POST", "vouchers", body))["voucher_id"]
    used = {"payload": await payload(a, voucher_id), "amount": 3_500, "store_id": b_store}
    claim_id = (await ok(b, "POST", "redemptions", used))["claim_id"]

    async with browsers(a) as new:
        hanako = await customer_signs_in(new(), "hanako@example.com", caplog)
        page = await hanako.get(f"/wallet/v/{voucher_id}")
        line = re.search(rf'<li class="[^"]*" data-claim="{claim_id}">.*?</li>', page.text, re.S)
        assert line, page.text[-1500:]
        assert "トラットリア 駅前店 (Trattoria B)" in line.group(0)
        assert "¥3,500" in line.group(0) and "voided" not in line.group(0)
        assert "取り消しました" not in line.group(0)
        assert 'id="balance">¥6,500' in page.text

        status, text = await pdf_text(hanako, f"/wallet/receipts/{claim_id}.pdf")
        assert status == 200
        flat = text.replace(" ", "").replace("\n", "")
        for expected in ("IzakayaA", "トラットリア駅前店", "TrattoriaB", "3,500", "6,500"):
            assert expected in flat, (expected, text)
        assert claim_id.replace(" ", "") in flat

        # Voided at the partner's counter: the line and the receipt say so.
        await ok(b, "POST", f"redemptions/{claim_id}/void")
        page = await hanako.get(f"/wallet/v/{voucher_id}")
        line = re.search(rf'<li class="[^"]*" data-claim="{claim_id}">.*?</li>', page.text, re.S)
        assert line and "voided" in line.group(0) and "取り消しました" in line.group(0)
        assert 'id="balance">¥10,000' in page.text
        status, text = await pdf_text(hanako, f"/wallet/receipts/{claim_id}.pdf")
        assert status == 200 and "取消" in text

        # A use that went into a statement stays in the history, with its receipt.
        used = {"payload": await payload(a, voucher_id), "amount": 1_200, "store_id": b_store}
        settled_id = (await ok(b, "POST", "redemptions", used))["claim_id"]
        status, _ = await propose(b, a)
        assert status == 201
        await deliver(a.clock, a, b)
        assert (await ok(a, "GET", f"settlement/claims/{settled_id}"))["status"] == "INVOICED"
        page = await hanako.get(f"/wallet/v/{voucher_id}")
        line = re.search(rf'<li class="[^"]*" data-claim="{settled_id}">.*?</li>', page.text, re.S)
        assert line and "¥1,200" in line.group(0), page.text[-1500:]
        status, text = await pdf_text(hanako, f"/wallet/receipts/{settled_id}.pdf")
        assert status == 200 and "1,200" in text and "8,800" in text.replace(" ", "")

        # Somebody else's wallet gets nothing, and an unknown claim is not found.
        taro = await customer_signs_in(new(), "taro@example.com", caplog)
        assert (await pdf_text(taro, f"/wallet/receipts/{claim_id}.pdf"))[0] == 404
        assert (await pdf_text(hanako, "/wallet/receipts/cl_nothing.pdf"))[0] == 404
