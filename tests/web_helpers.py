"""Simulated people for the web-page tests: each one a browser with its own cookie jar (not a test module)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
import pytest

from tests.conftest import AsyncNode, ok

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# An error page and a form carry the code in data-code, for machines: a person reads the message.
ERROR_CODE = re.compile(r'data-code="([a-z_.]+)"')
LINK = re.compile(r"/wallet/link/[A-Za-z0-9_-]+")
# The result page's link to the void's confirm step names the redemption (issue 15: no void form).
REDEMPTION = re.compile(r'href="/staff/void/(rd_[^"]+)"')
HANDOVER = re.compile(r'id="handover-link">[^<]*(/take/[A-Za-z0-9_-]+)<')
PASSWORD = "correct horse battery"
ADMIN_PASSWORD = "head office 2026!"


Form = Mapping[str, str] | list[tuple[str, str]]


@dataclass(frozen=True)
class Page:
    status: int
    text: str
    headers: Mapping[str, str]
    cookies: tuple[str, ...] = ()  # the Set-Cookie headers

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def csrf(self) -> str:
        found = CSRF.search(self.text)
        assert found, f"no csrf field on the page ({self.status})"
        return found.group(1)

    @property
    def code(self) -> str:
        """The error code the page (or the JSON error) carries; "" when it carries none."""
        if self.text.startswith("{"):
            return str(json.loads(self.text).get("error", {}).get("code", ""))
        found = ERROR_CODE.search(self.text)
        return found.group(1) if found else ""


@dataclass
class Person:
    """One browser: its own cookies, never following redirects (the tests look at each 303)."""

    base_url: str
    http: aiohttp.ClientSession
    token: str = ""  # the session's CSRF token, read from the last signed-in page
    headers: dict[str, str] = field(default_factory=dict)

    async def get(self, path: str) -> Page:
        return await self.send("GET", path, None)

    async def follow(self, path: str) -> Page:
        """GET `path` and follow this site's redirects, as a browser would."""
        page = await self.get(path)
        for _ in range(5):
            if page.status != 303 or not page.location.startswith("/"):
                break
            page = await self.get(page.location)
        return page

    async def post(self, path: str, form: Form | None = None) -> Page:
        """Post a form: a mapping, or pairs when a field repeats (checkboxes)."""
        return await self.send("POST", path, form if isinstance(form, list) else dict(form or {}))

    async def send(self, method: str, path: str, form: Form | None) -> Page:
        async with self.http.request(
            method, self.base_url + path, data=form, allow_redirects=False, headers=self.headers
        ) as response:
            body = await response.read()
            text = body.decode("utf-8", "replace") if not body.startswith(b"%PDF") else "%PDF"
            cookies = tuple(response.headers.getall("Set-Cookie", ()))
            return Page(response.status, text, dict(response.headers), cookies)

    async def signed_post(self, path: str, form: Mapping[str, str] | None = None) -> Page:
        """A form posted as the page would post it: with the session's CSRF token."""
        return await self.post(path, {**(form or {}), "csrf": self.token})

    def session_cookie(self) -> str:
        for cookie in self.http.cookie_jar:
            if cookie.key == "kippu_session":
                return cookie.value
        return ""

    async def sign_in(
        self, login_page: str, login: str, password: str, next_path: str = ""
    ) -> Page:
        form_page = await self.get(login_page)
        answer = await self.post(
            login_page,
            {"login": login, "password": password, "csrf": form_page.csrf, "next": next_path},
        )
        if answer.status == 303:
            self.token = (await self.follow(login_page.removesuffix("/login"))).csrf
        return answer

    async def request_link(self, email: str, next_path: str = "") -> Page:
        form_page = await self.get("/wallet/login")
        form = {"email": email, "csrf": form_page.csrf, "next": next_path}
        return await self.post("/wallet/login", form)

    async def use_link(self, link_path: str) -> Page:
        button = await self.get(link_path)
        answer = await self.post(link_path, {"csrf": button.csrf})
        if answer.status == 303:
            self.token = (await self.follow("/wallet")).csrf
        return answer


def last_link(caplog: pytest.LogCaptureFixture, email: str) -> str:
    """The path of the newest sign-in link the node logged for `email` (no SMTP in tests)."""
    for record in reversed(caplog.records):
        message = record.getMessage()
        if record.name == "node.web.mail" and f" {email} " in message:
            found = LINK.search(message)
            assert found, message
            return found.group(0)
    raise AssertionError(f"no sign-in link was logged for {email}")


async def customer_signs_in(person: Person, email: str, caplog: pytest.LogCaptureFixture) -> Person:
    caplog.set_level(logging.WARNING, logger="node.web.mail")
    sent = await person.request_link(email)
    assert sent.status == 200 and 'id="link-sent"' in sent.text, sent.text
    answer = await person.use_link(last_link(caplog, email))
    assert answer.status == 303, answer.text
    return person


NewPerson = Callable[[], "Person"]


@asynccontextmanager
async def browsers(anode: AsyncNode) -> AsyncIterator[NewPerson]:
    """`new()` opens another person's browser; all are closed at the end."""
    opened: list[aiohttp.ClientSession] = []

    def new() -> Person:
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        opened.append(http)
        return Person(anode.base_url, http)

    try:
        yield new
    finally:
        for http in opened:
            await http.close()


# -- the admin API: setting up the shop and reading what happened ---------------------------


async def add_store(anode: AsyncNode, name: str) -> str:
    return str((await ok(anode, "POST", "stores", {"name": name}))["store_id"])


async def add_staff(anode: AsyncNode, name: str, store_ids: list[str]) -> None:
    await ok(anode, "POST", "staff", {"name": name, "stores": store_ids, "password": PASSWORD})


async def customer_with_voucher(anode: AsyncNode, email: str, amount: int = 10_000) -> str:
    """A customer (by email) holding one voucher; the voucher's id."""
    customer = await ok(anode, "POST", "customers", {"name": email.split("@")[0], "email": email})
    voucher = await ok(
        anode, "POST", "vouchers", {"amount": amount, "customer_id": customer["customer_id"]}
    )
    return str(voucher["voucher_id"])


async def balance(anode: AsyncNode, voucher_id: str) -> int:
    return int((await ok(anode, "GET", f"vouchers/{voucher_id}"))["balance"])


async def fresh_code(anode: AsyncNode, voucher_id: str) -> dict[str, str]:
    return await ok(anode, "GET", f"vouchers/{voucher_id}/code")


async def redeem_by_api(anode: AsyncNode, voucher_id: str, store_id: str, amount: int) -> str:
    code = await fresh_code(anode, voucher_id)
    body = {"payload": code["payload"], "amount": amount, "store_id": store_id}
    return str((await ok(anode, "POST", "redemptions", body))["redemption_id"])


# -- at the counter ----------------------------------------------------------------------


async def counter(anode: AsyncNode, new: NewPerson, name: str, store_ids: list[str]) -> Person:
    await add_staff(anode, name, store_ids)
    person = new()
    assert (await person.sign_in("/staff/login", name, PASSWORD)).status == 303
    return person


async def redeem_at_counter(anode: AsyncNode, person: Person, voucher_id: str) -> str:
    code = await fresh_code(anode, voucher_id)
    done = await person.signed_post("/staff/redeem", {"code": code["payload"], "amount": "500"})
    found = REDEMPTION.search(done.text)
    assert done.status == 200 and found, (done.status, done.code)
    return found.group(1)


def wrong_codes(right: str, count: int) -> list[str]:
    """Manual codes of the same voucher, each with other digits than `right`'s."""
    number, digits = right[:12], int(right[12:])
    return [f"{number}{(digits + k) % 1_000_000:06d}" for k in range(1, count + 1)]


async def at_the_counter(anode: AsyncNode, new: NewPerson) -> tuple[Person, str, str]:
    """Yamada signed in at his store; a ¥10,000 voucher and its current manual code."""
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    staff = await counter(anode, new, "yamada", [await add_store(anode, "本店")])
    return staff, voucher_id, (await fresh_code(anode, voucher_id))["manual_code"]
