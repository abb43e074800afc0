"""The counter's resume cookie, without a browser: what a form posted after the session ended
keeps is sealed by the node, holds no readable code, is kept only for a form posted from this
node's own pages, and one forged, altered, stale or planted by another site is ignored."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from yarl import URL

from tests.conftest import AsyncNode, ok
from tests.web_helpers import (
    PASSWORD,
    Page,
    Person,
    add_staff,
    add_store,
    balance,
    browsers,
    fresh_code,
)

COOKIE = "kippu_resume"


async def _posted_signed_out(person: Person, form: dict[str, str], **headers: str) -> str:
    """A counter form posted with no session; the resume cookie it set ("" for none)."""
    async with person.http.post(
        person.base_url + "/staff/redeem", data=form, headers=headers, allow_redirects=False
    ) as answer:
        await answer.read()
        assert answer.status == 303
        assert answer.headers["Location"].startswith("/staff/login?")
        morsel = answer.cookies.get(COOKIE)
        return morsel.value if morsel is not None else ""


async def _signs_in_and_resumes(person: Person) -> Page:
    """Yamada signs in on this device and lands where the counter sends him."""
    form = await person.get("/staff/login")
    answer = await person.post(
        "/staff/login",
        {"login": "yamada", "password": PASSWORD, "csrf": form.csrf, "next": "/staff/resume"},
    )
    assert answer.status == 303
    page = await person.follow("/staff/resume")
    assert page.status == 200, page.text[:300]
    person.http.cookie_jar.clear_domain(URL(person.base_url).host or "")
    return page


def _plant(person: Person, value: str) -> None:
    person.http.cookie_jar.update_cookies({COOKIE: value}, URL(person.base_url + "/staff/"))


async def test_a_resume_cookie_is_sealed_and_only_this_sites_is_kept(anode: AsyncNode) -> None:
    store_id = await add_store(anode, "本店")
    await add_staff(anode, "yamada", [store_id])
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    code = (await fresh_code(anode, voucher_id))["payload"]
    sale = {"code": code, "amount": "8000"}
    own = {"Origin": anode.base_url}
    async with browsers(anode) as new:
        # Another site's form, or one whose origin the browser does not state: nothing kept.
        for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {}):
            assert await _posted_signed_out(new(), sale, **headers) == ""
        referred = {"Referer": "https://evil.example/staff"}
        assert await _posted_signed_out(new(), sale, **referred) == ""

        # This site's form: kept sealed, the code not readable on the device.
        device = new()
        sealed = await _posted_signed_out(device, sale, **own)
        assert sealed and code not in sealed
        assert (
            code.encode() not in base64.urlsafe_b64decode(sealed) and b"8000" not in sealed.encode()
        )
        page = await _signs_in_and_resumes(device)
        assert 'data-resumed="not_done"' in page.text
        assert 'class="keypad-field" value="8000"' in page.text
        assert f'value="{code}"' not in page.text  # expired by now: the clerk scans a fresh one

        # A cookie made on the device (the old unsealed shape), an altered seal, a stale one:
        # ignored, the plain counter form.
        unsealed = base64.urlsafe_b64encode(urlencode({"action": "redeem", **sale}).encode())
        stale = await _posted_signed_out(device, sale, **own)
        anode.clock.advance(minutes=16)
        for planted in (unsealed.decode(), sealed[:-6] + "AAAAAA", stale):
            _plant(device, planted)
            page = await _signs_in_and_resumes(device)
            assert 'id="resumed"' not in page.text, planted
            assert 'class="keypad-field" value=""' in page.text, planted

        # It went through before the session ended: said so, with its receipt, never redone.
        code = (await fresh_code(anode, voucher_id))["payload"]
        body = {"payload": code, "amount": 3_000, "store_id": store_id}
        receipt_no = str((await ok(anode, "POST", "redemptions", body))["receipt_no"])
        home = {"Referer": anode.base_url + "/staff"}  # no Origin: the Referer says where
        assert await _posted_signed_out(device, {"code": code, "amount": "3000"}, **home)
        page = await _signs_in_and_resumes(device)
        assert 'data-resumed="done"' in page.text and f'id="receipt-no">{receipt_no}<' in page.text
        assert await balance(anode, voucher_id) == 7_000
