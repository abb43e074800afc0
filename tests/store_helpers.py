"""A campaign office's node for the participating stores' tests: a real node on 127.0.0.1 with
mail to a real SMTP sink (aiosmtpd), people with their own cookie jars, and the steps every
test takes (a store applies, the office approves, a resident signs in)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import aiohttp

from tests.conftest import FakeClock
from tests.web_flow_helpers import ADMIN_PASSWORD, Inbox, Shop, shop, smtp_inbox
from tests.web_helpers import Person

APPLICATION_NUMBER = re.compile(r"(sa_[a-z0-9]+)")
STORE_CODE = re.compile(r"店舗コード: ([0-9A-Z]{6})")


@dataclass
class Office:
    shop: Shop
    inbox: Inbox
    sessions: list[aiohttp.ClientSession]

    def person(self) -> Person:
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.sessions.append(http)
        return Person(self.shop.base_url, http)

    async def admin(self) -> Person:
        admin = self.person()
        answer = await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)
        assert answer.status == 303, answer.text
        return admin

    async def mail_to(self, email: str, count: int = 1) -> Message:
        """The `count`-th message to `email`, waiting for it."""
        while True:
            self.inbox.arrived.clear()
            found = [m for m in self.inbox.messages if m["To"] == email]
            if len(found) >= count:
                return found[count - 1]
            await self.inbox.arrived.wait()

    async def resident(self, email: str) -> Person:
        """A resident signed in to the wallet by the link mailed to them."""
        person = self.person()
        sent = await person.request_link(email)
        assert sent.status == 200, sent.text
        link = await self.inbox.link_for(email)
        answer = await person.use_link(link.removeprefix(self.shop.base_url))
        assert answer.status == 303, answer.text
        return person


@asynccontextmanager
async def office(root: Path) -> AsyncIterator[Office]:
    async with smtp_inbox() as (inbox, port), shop(root, FakeClock(), port) as s:
        made = Office(s, inbox, [])
        try:
            yield made
        finally:
            for http in made.sessions:
                await http.close()


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def application(**changes: str) -> dict[str, str]:
    """A complete application (みずほ銀行 東京営業部), changed by `changes`."""
    form = {
        "store_name": "山田商店",
        "store_address": "北九州市小倉北区1-1",
        "store_category": "小売",
        "store_local": "1",
        "store_email": "shop@example.jp",
        "bank_code": "0001",
        "branch_code": "001",
        "account_type": "ordinary",
        "account_number": "1234567",
        "holder_kana": "カ）ヤマダショウテン",
    }
    form.update(changes)
    return form


async def apply(o: Office, form: dict[str, str]) -> Any:
    """A store sends its application from the public page (no sign-in)."""
    applicant = o.person()
    page = await applicant.get("/stores/apply")
    assert page.status == 200, page.text
    return await applicant.post("/stores/apply", {**form, "csrf": page.csrf})


async def approved_store(o: Office, admin: Person, form: dict[str, str]) -> tuple[str, str]:
    """A store applied and approved: its store id and its code, read from the approval mail."""
    sent = await apply(o, form)
    assert sent.status == 200, sent.text
    found = APPLICATION_NUMBER.search(sent.text)
    assert found, sent.text
    answer = await admin.signed_post(f"/admin/campaigns/stores/{found.group(1)}/approve")
    assert answer.status == 303, answer.text
    # Each store of a test applies with its own email: its first mail is this approval.
    code_found = STORE_CODE.search(body_of(await o.mail_to(form["store_email"])))
    assert code_found
    listed: Any = await o.shop.call("GET", "stores")
    named = [s for s in listed["stores"] if s["name"] == form["store_name"]]
    return str(named[-1]["store_id"]), code_found.group(1)
