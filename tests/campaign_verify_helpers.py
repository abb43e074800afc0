"""A campaign office's node for the eligibility tests, with the outside services it speaks to
running in the test: an SMTP server (aiosmtpd), Twilio's Messages API (tests/twilio_api.py) and a
LINE Login provider (tests/line_provider.py); and residents, each a browser session signed in to
the wallet by the link mailed to them (not a test module)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from aiohttp import web

from node.server import load_node, start
from tests import line_provider as line
from tests import twilio_api as twilio
from tests.campaign_helpers import terms
from tests.conftest import FakeClock, SeededRandomness, make_home
from tests.stripe_server import with_stripe
from tests.web_flow_helpers import Inbox, free_port, smtp_inbox, web_config
from tests.web_helpers import Person

ALL_METHODS = ["serial", "email", "sms", "line", "passkey", "residence"]
CODE = re.compile(r"^\s+([0-9]{6})$", re.M)


@dataclass
class Office:
    base_url: str
    api: aiohttp.ClientSession  # the admin API, with the node's token
    inbox: Inbox
    sms: twilio.TwilioApi
    line: line.LineProvider
    clock: FakeClock
    residents: list[aiohttp.ClientSession]
    campaign_id: str = ""
    app: web.Application | None = None  # the running node's (its waiting rooms, for pacing)

    @property
    def verify(self) -> str:
        """The wallet's verification page of the campaign."""
        return f"/wallet/campaigns/{self.campaign_id}/verify"

    async def campaign(self, methods: list[str], postcodes: list[str] | None = None) -> str:
        """A first-come campaign open now that asks for `methods`; its id."""
        body = terms(self.clock, eligibility=methods)
        if postcodes:
            body["postcodes"] = postcodes
        status, made = await self.call("POST", "campaigns", body)
        assert status == 201, made
        return str(made["campaign_id"])

    async def call(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        async with self.api.request(method, f"{self.base_url}/api/v1/{path}", json=body) as r:
            return r.status, await r.json()

    async def resident(self, email: str) -> tuple[Person, str]:
        """A registered resident signed in to the wallet in their own session; (them, their id)."""
        status, made = await self.call("POST", "customers", {"name": email[:5], "email": email})
        assert status == 201, made
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.residents.append(http)
        person = Person(self.base_url, http)
        sent = await person.request_link(email)
        assert sent.status == 200, sent.text
        link = await self.inbox.link_for(email)
        answer = await person.use_link(urlsplit(link).path)
        assert answer.status == 303, answer.text
        return person, str(made["customer_id"])

    async def mailed_code(self, email: str) -> str:
        """The code in the newest mail to `email` (waiting for it)."""
        while True:
            self.inbox.arrived.clear()
            for message in reversed(self.inbox.messages):
                body = message.get_payload(decode=True)
                if message["To"] == email and isinstance(body, bytes):
                    found = CODE.search(body.decode("utf-8"))
                    if found:
                        return found.group(1)
            await self.inbox.arrived.wait()

    async def proofs(self, customer_id: str) -> set[str]:
        status, answer = await self.call(
            "GET", f"campaigns/{self.campaign_id}/verifications?customer_id={customer_id}"
        )
        assert status == 200, answer
        return {v["method"] for v in answer["verifications"]}


def _services(text: str, sms: twilio.TwilioApi, provider: line.LineProvider) -> str:
    text = re.sub(r'(\[campaigns\.sms\]\n(?:#.*\n)*)provider = ""', r'\1provider = "twilio"', text)
    text = text.replace('base_url = "https://api.twilio.com"', f'base_url = "{sms.base_url}"')
    text = text.replace('account_sid = ""', f'account_sid = "{twilio.ACCOUNT_SID}"')
    text = text.replace('from_number = ""', f'from_number = "{twilio.FROM_NUMBER}"')
    text = text.replace('channel_id = ""', f'channel_id = "{line.CHANNEL_ID}"')
    text = text.replace(
        'authorize_url = "https://access.line.me/oauth2/v2.1/authorize"',
        f'authorize_url = "{provider.authorize_url}"',
    )
    return text.replace(
        'token_url = "https://api.line.me/oauth2/v2.1/token"', f'token_url = "{provider.token_url}"'
    )


@asynccontextmanager
async def office(
    root: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    *,
    host: str = "127.0.0.1",
    code_caps: Mapping[str, int] | None = None,
    stripe_api: str | None = None,
) -> AsyncIterator[Office]:
    """The node, its SMTP server, Twilio's API and LINE's provider, all on 127.0.0.1. `host` is
    the name in the node's public address (a passkey's RP id cannot be an IP address);
    `code_caps`: [campaigns.codes] values in place of config.toml's defaults; `stripe_api`:
    localstripe's address, to sell premium sets by card."""
    monkeypatch.setenv("KIPPU_TWILIO_AUTH_TOKEN", twilio.AUTH_TOKEN)
    monkeypatch.setenv("KIPPU_LINE_CHANNEL_SECRET", line.CHANNEL_SECRET)
    async with (
        smtp_inbox() as (inbox, smtp_port),
        twilio.twilio_api() as sms,
        line.line_provider() as provider,
    ):
        provider.now = clock.now().timestamp()
        home = await asyncio.to_thread(make_home, root, "ウェルカム北九州事務局")
        port = free_port()
        text = web_config(home.config_path.read_text(encoding="utf-8"), port, smtp_port)
        text = text.replace(f"http://127.0.0.1:{port}", f"http://{host}:{port}")
        for key, value in (code_caps or {}).items():
            text = re.sub(rf"^{key} = [0-9]+$", f"{key} = {value}", text, count=1, flags=re.M)
        text = _services(text, sms, provider)
        home.config_path.write_text(
            with_stripe(text, stripe_api) if stripe_api else text, encoding="utf-8"
        )
        node = load_node(home, clock, SeededRandomness())
        runner, _ = await start(node, "127.0.0.1", port)
        headers = {"Authorization": f"Bearer {node.admin_token}"}
        residents: list[aiohttp.ClientSession] = []
        try:
            async with aiohttp.ClientSession(headers=headers) as api:
                made = Office(
                    f"http://127.0.0.1:{port}", api, inbox, sms, provider, clock, residents
                )
                made.app = runner.app
                made.campaign_id = await made.campaign(ALL_METHODS, ["805", "802-0001"])
                yield made
        finally:
            for http in residents:
                await http.close()
            await runner.cleanup()
