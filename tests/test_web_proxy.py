"""Behind a reverse proxy: the client's address comes from X-Forwarded-For, and only from a
trusted proxy (issue 13, item 2). The node here trusts 127.0.0.1 as its proxy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from node.home import NodeHome
from tests.conftest import AsyncNode, make_home, ok
from tests.web_helpers import ADMIN_PASSWORD, PASSWORD, Page, Person, add_staff, add_store

PROXY = "127.0.0.1"  # trusted: the node believes what it says about its clients
STRANGER = "127.0.0.2"  # not trusted: its X-Forwarded-For is ignored


@pytest.fixture
def home(tmp_path: Path) -> NodeHome:
    """A node that trusts the proxy at 127.0.0.1 (this module's `anode` runs on it)."""
    made = make_home(tmp_path / "node")
    text = made.config_path.read_text(encoding="utf-8")
    trusting = text.replace("trusted_proxies = []", f'trusted_proxies = ["{PROXY}/32", "::1"]')
    assert trusting != text
    made.config_path.write_text(trusting, encoding="utf-8")
    return made


@asynccontextmanager
async def clients(anode: AsyncNode) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield http


def through(http: aiohttp.ClientSession, anode: AsyncNode, client: str) -> Person:
    """A browser at `client`, reaching the node through the proxy (which sets the header)."""
    person = Person(anode.base_url, http)
    person.headers["X-Forwarded-For"] = client
    return person


async def wrong_password(person: Person, login: str) -> Page:
    form_page = await person.get("/staff/login")
    form = {"login": login, "password": "a wrong guess", "csrf": form_page.csrf}
    return await person.post("/staff/login", form)


async def test_clients_behind_the_proxy_are_throttled_each_by_their_own_address(
    anode: AsyncNode,
) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with clients(anode) as http:
        attacker = through(http, anode, "198.51.100.7")
        codes = [(await wrong_password(attacker, f"guess{n}")).code for n in range(40)]
        assert codes[:30] == ["auth.bad_credentials"] * 30
        assert set(codes[30:]) == {"auth.throttled"}
        # Every other client of the proxy signs in as usual.
        staff = await through(http, anode, "198.51.100.8").sign_in(
            "/staff/login", "yamada", PASSWORD
        )
        assert staff.status == 303, staff.code
        # The attacker cannot escape by writing addresses of its own in front: the proxy
        # appends the real one, and only the rightmost untrusted hop counts.
        attacker.headers["X-Forwarded-For"] = "203.0.113.1, 198.51.100.7"
        still = await wrong_password(attacker, "guess-again")
        assert still.code == "auth.throttled"


async def test_a_forged_header_from_an_untrusted_peer_is_ignored(anode: AsyncNode) -> None:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    connector = aiohttp.TCPConnector(local_addr=(STRANGER, 0))
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as http:
        stranger = Person(anode.base_url, http)
        codes = []
        for n in range(31):  # a new forged address every time: all counted as the stranger's
            stranger.headers["X-Forwarded-For"] = f"192.0.2.{n + 1}"
            codes.append((await wrong_password(stranger, f"guess{n}")).code)
        assert codes[:30] == ["auth.bad_credentials"] * 30
        assert codes[30] == "auth.throttled"
    async with clients(anode) as proxied:
        # The stranger's flood did not touch the proxy's clients, nor the proxy itself.
        admin = await through(proxied, anode, "192.0.2.1").sign_in(
            "/admin/login", "admin", ADMIN_PASSWORD
        )
        assert admin.status == 303, admin.code


async def test_link_requests_behind_the_proxy_cannot_lock_out_every_customer(
    anode: AsyncNode,
) -> None:
    async with clients(anode) as http:
        attacker = through(http, anode, "198.51.100.7")
        answers = [await attacker.request_link(f"someone{n}@example.jp") for n in range(30)]
        assert [a.code for a in answers[20:]] == ["auth.throttled"] * 10
        for n in range(5):  # every other customer of the proxy still gets a link
            customer = through(http, anode, f"198.51.100.{20 + n}")
            sent = await customer.request_link(f"customer{n}@example.jp")
            assert sent.status == 200 and 'id="link-sent"' in sent.text, sent.code


async def test_ipv6_clients_are_counted_by_their_64_and_a_48_shares_one_limit(
    anode: AsyncNode,
) -> None:
    # REVIEW item 3: a new address from one's own /64 for every guess escaped every limit.
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with clients(anode) as http:
        attacker = through(http, anode, "2001:db8::1")
        codes = []
        for n in range(12):
            attacker.headers["X-Forwarded-For"] = f"2001:db8::{n + 1:x}"
            codes.append((await wrong_password(attacker, "yamada")).code)
        assert codes[:5] == ["auth.bad_credentials"] * 5
        assert set(codes[5:]) == {"auth.throttled"}
        codes = []
        for n in range(40):  # a /64 of its /48 for each guess, each at another name
            attacker.headers["X-Forwarded-For"] = f"2001:db8:1:{n:x}::1"
            codes.append((await wrong_password(attacker, f"guess{n}")).code)
        assert codes[:30] == ["auth.bad_credentials"] * 30
        assert set(codes[30:]) == {"auth.throttled"}
        # Another site, and the same site's neighbour in another /48, sign in as usual.
        staff = await through(http, anode, "2001:db8:2::5").sign_in(
            "/staff/login", "yamada", PASSWORD
        )
        assert staff.status == 303, staff.code
