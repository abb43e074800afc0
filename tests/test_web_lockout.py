"""Sign-in throttles that an attacker cannot turn against the owner (issue 13, item 2).

Real node, real HTTP. Distinct client addresses are real: each simulated browser binds its
connections to its own loopback address (127.0.0.0/8 is all loopback on Linux).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiohttp
import pytest

from node.home import NodeHome
from tests.conftest import AsyncNode, FakeClock, ok
from tests.web_helpers import ADMIN_PASSWORD, PASSWORD, Page, Person, add_staff, add_store

ATTACKER, OWNER = "127.0.0.2", "127.0.0.3"
ATTEMPTS = 60  # well past every limit: 5 per name and address, 10 per name, 30 per address

Browser = Callable[[str], Person]


@asynccontextmanager
async def browsers_at(anode: AsyncNode) -> AsyncIterator[Browser]:
    """`at(address)` opens a browser whose connections come from that loopback address."""
    opened: list[aiohttp.ClientSession] = []

    def at(address: str) -> Person:
        connector = aiohttp.TCPConnector(local_addr=(address, 0))
        http = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True))
        opened.append(http)
        return Person(anode.base_url, http)

    try:
        yield at
    finally:
        for http in opened:
            await http.close()


async def wrong_password(person: Person, page: str, login: str) -> Page:
    form_page = await person.get(page)
    form = {"login": login, "password": "a wrong guess", "csrf": form_page.csrf}
    return await person.post(page, form)


async def test_an_attacker_flooding_admin_cannot_lock_the_owner_out(anode: AsyncNode) -> None:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    async with browsers_at(anode) as at:
        attacker = at(ATTACKER)
        answers = [await wrong_password(attacker, "/admin/login", "admin") for _ in range(ATTEMPTS)]
        codes = [a.code for a in answers]
        assert codes[:5] == ["auth.bad_credentials"] * 5
        assert set(codes[5:]) == {"auth.throttled"}  # the attacker's address is stopped
        # Even the right password waits at the attacker's address ...
        at_attacker = await at(ATTACKER).sign_in("/admin/login", "admin", ADMIN_PASSWORD)
        assert (at_attacker.status, at_attacker.code) == (429, "auth.throttled")
        # ... while the owner, from a clean address, signs in at once.
        owner = await at(OWNER).sign_in("/admin/login", "admin", ADMIN_PASSWORD)
        assert owner.status == 303, owner.code
        assert owner.location == "/admin"


async def test_a_guesser_spread_over_addresses_takes_turns_with_them_all_and_the_owner_gets_in(
    anode: AsyncNode, clock: FakeClock
) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with browsers_at(anode) as at:
        tried = 0
        for n in range(40):  # 40 addresses, 3 guesses each
            guesser = at(f"127.0.1.{n + 1}")
            for _ in range(3):
                answer = await wrong_password(guesser, "/staff/login", "yamada")
                assert answer.code in ("auth.bad_credentials", "auth.throttled"), answer.code
                tried += answer.code == "auth.bad_credentials"
        # 10 before the name counts as under attack (3 + 3 + 3 + 1 from the first four
        # addresses), then one guess per 5 seconds between all fresh addresses (REVIEW item 3:
        # it was one per fresh address, 36 here and unbounded with more addresses).
        assert tried == 10 + 1, tried
        clock.advance(seconds=5)  # the owner, at a clean address, waits at most one turn
        owner = await at(OWNER).sign_in("/staff/login", "yamada", PASSWORD)
        assert owner.status == 303, owner.code
        # Signed in from there once, the owner's address is known: a typo later is no lockout.
        clock.advance(minutes=1)
        typo = await wrong_password(at(OWNER), "/staff/login", "yamada")
        assert typo.code == "auth.bad_credentials"
        again = await at(OWNER).sign_in("/staff/login", "yamada", PASSWORD)
        assert again.status == 303, again.code


async def test_a_customer_can_still_ask_for_a_link_while_an_attacker_floods_her_email(
    anode: AsyncNode, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers_at(anode) as at:
        sent = 0
        for n in range(10):
            flooder = at(f"127.0.2.{n + 1}")
            for _ in range(5):
                sent += (await flooder.request_link("hanako@example.jp")).status == 200
        assert sent == 5 + 1  # then one link per 30 s between every fresh address
        clock.advance(seconds=30)
        hanako = await at(OWNER).request_link("hanako@example.jp")
        assert hanako.status == 200 and 'id="link-sent"' in hanako.text, hanako.code
        # The flooder's addresses are stopped for that email.
        stopped = await at("127.0.2.1").request_link("hanako@example.jp")
        assert (stopped.status, stopped.code) == (429, "auth.throttled")


async def test_a_sign_in_that_fails_for_another_reason_burns_no_attempt(
    anode: AsyncNode, home: NodeHome
) -> None:
    # REVIEW item 15: the attempt is counted before the slow check; an error in the check (here
    # the accounts table is missing, as in a damaged database) must not count it as a guess.
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    side = sqlite3.connect(home.database_path)
    try:
        side.execute("ALTER TABLE web_accounts RENAME TO web_accounts_away")
        side.commit()
        async with browsers_at(anode) as at:
            owner = at(OWNER)
            broken = [await owner.sign_in("/staff/login", "yamada", PASSWORD) for _ in range(8)]
            assert all(page.code != "auth.throttled" for page in broken), [p.code for p in broken]
            assert all(page.status >= 500 for page in broken), [p.status for p in broken]
            side.execute("ALTER TABLE web_accounts_away RENAME TO web_accounts")
            side.commit()
            repaired = await owner.sign_in("/staff/login", "yamada", PASSWORD)
            assert repaired.status == 303, repaired.code
    finally:
        side.close()
