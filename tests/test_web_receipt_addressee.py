"""The 宛名 a customer puts on a receipt: remembered on their device for their account only,
sealed so the device does not show it, forgotten when they sign out, and never in a URL."""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest
from yarl import URL

from tests.conftest import AsyncNode
from tests.test_web_partner_receipts import pdf_text
from tests.web_helpers import (
    Person,
    add_store,
    browsers,
    customer_signs_in,
    customer_with_voucher,
    redeem_by_api,
)

COOKIE = "kippu_receipt_to"
NAME = "株式会社テスト商事"


@pytest.fixture(autouse=True)
def _mail_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="node.web.mail")


def _cookie(person: Person) -> str:
    return next((c.value for c in person.http.cookie_jar if c.key == COOKIE), "")


def _plant(person: Person, value: str) -> None:
    person.http.cookie_jar.update_cookies(
        {COOKIE: value}, URL(person.base_url + "/wallet/receipts/")
    )


async def test_the_addressee_is_remembered_for_its_account_only_and_forgotten_at_sign_out(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    store_id = await add_store(anode, "本店")
    a_receipt = await redeem_by_api(
        anode, await customer_with_voucher(anode, "a@example.com"), store_id, 1_000
    )
    b_receipt = await redeem_by_api(
        anode, await customer_with_voucher(anode, "b@example.com"), store_id, 1_000
    )
    async with browsers(anode) as new:
        alice = await customer_signs_in(new(), "a@example.com", caplog)
        form = await alice.get(f"/wallet/receipts/{a_receipt}")
        assert 'method="post"' in form.text and 'name="csrf"' in form.text
        # Without the form's CSRF token nothing is addressed or remembered.
        forged = await alice.post(
            f"/wallet/receipts/{a_receipt}.pdf", {"to": NAME, "title": "御中"}
        )
        assert forged.status == 403 and _cookie(alice) == ""
        posted = await alice.signed_post(
            f"/wallet/receipts/{a_receipt}.pdf", {"to": NAME, "title": "御中"}
        )
        assert posted.status == 200 and posted.text == "%PDF"
        sealed = _cookie(alice)
        assert sealed and NAME not in sealed and quote(NAME) not in sealed  # not readable here
        assert f'value="{NAME}"' in (await alice.get(f"/wallet/receipts/{a_receipt}")).text
        # A 宛名 in a URL addresses nothing: the GET download uses the remembered one.
        status, text = await pdf_text(alice, f"/wallet/receipts/{a_receipt}.pdf?to=EVIL&title=様")
        assert status == 200 and "EVIL" not in text and NAME in text.replace(" ", "")

        # Bob on the same device (alice's cookie left behind) is offered nothing of hers.
        bob = await customer_signs_in(new(), "b@example.com", caplog)
        _plant(bob, sealed)
        assert f'value="{NAME}"' not in (await bob.get(f"/wallet/receipts/{b_receipt}")).text
        status, text = await pdf_text(bob, f"/wallet/receipts/{b_receipt}.pdf")
        assert status == 200 and NAME not in text.replace(" ", "")
        # Nor a cookie made on the device (the old unsealed shape), nor an altered seal.
        for planted in (quote(f"{NAME}|御中", safe=""), sealed[:-4] + "AAAA"):
            _plant(alice, planted)
            page = await alice.get(f"/wallet/receipts/{a_receipt}")
            assert page.status == 200 and f'value="{NAME}"' not in page.text

        # Signing out forgets it on the device.
        _plant(alice, sealed)
        out = await alice.signed_post("/logout")
        assert out.status == 303
        assert any(c.startswith(f"{COOKIE}=") and "Max-Age=0" in c for c in out.cookies), (
            out.cookies
        )
        assert _cookie(alice) == ""
