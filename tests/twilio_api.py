"""A server in the test speaking Twilio's Programmable Messaging REST API (the Messages resource),
as its documentation describes it, so that node/campaigns/sms.py's real client is what is tested:

    POST /2010-04-01/Accounts/{AccountSid}/Messages.json
    HTTP Basic auth AccountSid:AuthToken; form fields To, From, Body
    201 {"sid": "SM" + 32 hex, "status": "queued", "to", "from", "body", ...}
    errors {"code": ..., "message": ..., "more_info": ..., "status": ...}

It keeps every message it accepted; numbers in `unreachable` are refused as Twilio refuses an
invalid 'To' number (400, code 21211), and `outage` answers 503 to everything."""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-test-auth-token-0123456789"
FROM_NUMBER = "+815012345678"
E164 = re.compile(r"\+[1-9][0-9]{6,14}")


@dataclass
class SentSms:
    sid: str
    to: str
    sender: str
    body: str


@dataclass
class TwilioApi:
    base_url: str = ""
    messages: list[SentSms] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)
    outage: bool = False
    token_revoked: bool = False  # the office's token no longer valid: 401, Twilio's code 20003
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def code_sent_to(self, number: str) -> str:
        """The six digits of the newest message to `number`."""
        for message in reversed(self.messages):
            if message.to == number:
                found = re.search(r"\b([0-9]{6})\b", message.body)
                assert found, message.body
                return found.group(1)
        raise AssertionError(f"no SMS to {number}")


def _error(status: int, code: int, message: str) -> web.Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return web.json_response(body, status=status)


def _authorised(request: web.Request, account_sid: str) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return False
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user == ACCOUNT_SID == account_sid and password == AUTH_TOKEN


def _messages(api: TwilioApi) -> web.Handler:
    async def create(request: web.Request) -> web.Response:
        if api.outage:
            return _error(503, 20503, "Service unavailable")
        if api.token_revoked or not _authorised(request, request.match_info["account_sid"]):
            return _error(401, 20003, "Authenticate")
        form = await request.post()
        to, sender, body = (str(form.get(key, "")) for key in ("To", "From", "Body"))
        if not body:
            return _error(400, 21602, "Message body is required.")
        if sender != FROM_NUMBER:
            return _error(
                400, 21606, "The From phone number is not a valid number for this account."
            )
        if not E164.fullmatch(to) or to in api.unreachable:
            return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        sid = "SM" + secrets.token_hex(16)
        api.messages.append(SentSms(sid, to, sender, body))
        api.arrived.set()
        answer = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "to": to,
            "from": sender,
            "body": body,
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }
        return web.json_response(answer, status=201)

    return create


@asynccontextmanager
async def twilio_api() -> AsyncIterator[TwilioApi]:
    api = TwilioApi()
    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{account_sid}/Messages.json", _messages(api))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    api.base_url = f"http://127.0.0.1:{port}"
    try:
        yield api
    finally:
        await runner.cleanup()
