"""Customers on the web: each sees only their own vouchers; sign-in links work once, briefly,
and tell nobody whether an email has an account; no sign-in redirects anyone to another site."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.conftest import AsyncNode, FakeClock, ok
from tests.web_helpers import (
    PASSWORD,
    add_staff,
    add_store,
    balance,
    browsers,
    customer_signs_in,
    customer_with_voucher,
    last_link,
    redeem_by_api,
)


@pytest.fixture(autouse=True)
def _mail_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="node.web.mail")


async def test_customers_see_only_their_own_vouchers_and_receipts(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    store_id = await add_store(anode, "本店")
    await customer_with_voucher(anode, "a@example.com")
    b_voucher = await customer_with_voucher(anode, "b@example.com")
    b_receipt = await redeem_by_api(anode, b_voucher, store_id, 2_000)
    async with browsers(anode) as new:
        alice = await customer_signs_in(new(), "a@example.com", caplog)
        bob = await customer_signs_in(new(), "b@example.com", caplog)
        pages = (
            f"/wallet/v/{b_voucher}",
            f"/wallet/v/{b_voucher}/code.json",
            f"/wallet/receipts/{b_receipt}.pdf",
        )
        for path in pages:  # Bob sees his own: the refusals below are about the owner
            assert (await bob.get(path)).status == 200, path
        for path in pages:
            answer = await alice.get(path)
            assert (answer.status, answer.code) == (404, "voucher.not_found"), path
            assert "%PDF" not in answer.text and "payload" not in answer.text
        vouchers_before = len((await ok(anode, "GET", "vouchers"))["vouchers"])
        gift = await alice.signed_post(f"/wallet/v/{b_voucher}/gift", {"amount": "1000"})
        assert (gift.status, gift.code) == (404, "voucher.not_found")
        assert await balance(anode, b_voucher) == 8_000
        assert len((await ok(anode, "GET", "vouchers"))["vouchers"]) == vouchers_before
        assert b_voucher not in (await alice.get("/wallet")).text


async def test_a_sign_in_link_works_once(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        hanako = new()
        assert (await hanako.request_link("hanako@example.com")).status == 200
        link = last_link(caplog, "hanako@example.com")
        assert (await hanako.use_link(link)).status == 303
        assert (await hanako.follow("/wallet")).status == 200
        for person in (hanako, new()):  # the same browser again, or whoever saw the email later
            again = await person.use_link(link)
            assert (again.status, again.code) == (401, "auth.link_invalid")
        latecomer = new()
        await latecomer.use_link(link)
        assert not latecomer.session_cookie()


async def test_a_sign_in_link_lasts_fifteen_minutes(
    anode: AsyncNode, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        hanako = new()
        await hanako.request_link("hanako@example.com")
        first = last_link(caplog, "hanako@example.com")
        await hanako.request_link("hanako@example.com")
        second = last_link(caplog, "hanako@example.com")
        assert first != second
        clock.advance(minutes=14)
        assert (await new().use_link(first)).status == 303
        clock.advance(minutes=2)
        late = new()
        answer = await late.use_link(second)
        assert (answer.status, answer.code) == (401, "auth.link_invalid")
        assert not late.session_cookie()


async def test_asking_for_a_link_tells_nothing_about_the_email(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    await customer_with_voucher(anode, "member@example.com")
    await customer_with_voucher(anode, "on-file@example.com")  # a customer, never signed in
    async with browsers(anode) as new:
        await customer_signs_in(new(), "member@example.com", caplog)
        asker = new()
        answers = {}
        for email in ("member@example.com", "on-file@example.com", "stranger@example.com"):
            page = await asker.request_link(email)
            answers[email] = (page.status, page.text.replace(email, "EMAIL"), page.cookies)
            assert last_link(caplog, email)  # a link goes out either way
        first = answers["member@example.com"]
        assert first[0] == 200 and 'id="link-sent"' in first[1]
        assert all(answer == first for answer in answers.values())


async def test_link_forms_need_the_pre_sign_in_cookie(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        forged = await new().post("/wallet/login", {"email": "x@example.com", "csrf": "a" * 43})
        assert (forged.status, forged.code) == (403, "auth.csrf")
        with pytest.raises(AssertionError, match="no sign-in link"):
            last_link(caplog, "x@example.com")
        hanako = new()
        await hanako.request_link("hanako@example.com")
        link = last_link(caplog, "hanako@example.com")
        outsider = new()
        answer = await outsider.post(link, {"csrf": "a" * 43})
        assert (answer.status, answer.code) == (403, "auth.csrf")
        assert not outsider.session_cookie()
        assert (await hanako.use_link(link)).status == 303  # the refused post did not spend it


async def test_customer_session_cookie_and_sign_out(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        hanako = new()
        shown = await hanako.get("/wallet/login")
        pre = next(c for c in shown.cookies if c.startswith("kippu_pre="))
        assert {"httponly", "samesite=strict"} <= flags(pre), pre
        await hanako.request_link("hanako@example.com")
        button = await hanako.get(last_link(caplog, "hanako@example.com"))
        signed_in = await hanako.post(
            last_link(caplog, "hanako@example.com"), {"csrf": button.csrf}
        )
        cookie = next(c for c in signed_in.cookies if c.startswith("kippu_session="))
        assert {"httponly", "samesite=lax", "path=/", f"max-age={30 * 86_400}"} <= flags(cookie)
        hanako.token = (await hanako.get("/wallet")).csrf
        replay = new()
        replay.headers["Cookie"] = f"kippu_session={hanako.session_cookie()}"
        assert (await replay.get("/wallet")).status == 200
        out = await hanako.signed_post("/logout")
        assert (out.status, out.location) == (303, "/wallet/login")
        gone = await replay.get("/wallet")
        # The page says the session ended (the cookie it sent is no longer one).
        assert (gone.status, gone.location) == (303, "/wallet/login?expired=1&next=/wallet")


def flags(set_cookie: str) -> set[str]:
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


async def test_six_customers_behind_one_address_can_ask_for_links(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        for n in range(6):  # one shop's Wi-Fi, or every visitor behind the TLS proxy
            answer = await new().request_link(f"guest{n}@example.com")
            assert (answer.status, answer.code) == (200, ""), n


def lands_on(location: str, base: str) -> str:
    """The host a browser goes to: it drops tabs and newlines and reads "\\" as "/" (WHATWG URL)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00- ").replace("\\", "/")
    return urlsplit(urljoin(base + "/", cleaned)).netloc


OFFSITE = (
    "//evil.example/",
    "/\\evil.example/",
    "https://evil.example/",
    "http:evil.example",
    "/\t/evil.example/",  # browsers drop the tab: "//evil.example/"
    "/\n/evil.example/",
)


@pytest.mark.parametrize("target", OFFSITE)
async def test_redirects_after_sign_in_stay_on_this_site(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture, target: str
) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    here = urlsplit(anode.base_url).netloc
    async with browsers(anode) as new:
        staff = await new().sign_in("/staff/login", "yamada", PASSWORD, next_path=target)
        customer = new()
        assert (await customer.request_link("hanako@example.com", target)).status == 200
        linked = await customer.use_link(last_link(caplog, "hanako@example.com"))
        switched = await new().get(f"/lang/en?next={quote(target, safe='')}")
        for answer in (staff, linked, switched):
            assert answer.status == 303
            assert lands_on(answer.location, anode.base_url) == here, answer.location
