"""Sending SMS through a provider's HTTP API: the interface eligibility needs (`SmsSender`) and
its one implementation, Twilio's Programmable Messaging REST API:

    POST {base_url}/2010-04-01/Accounts/{AccountSid}/Messages.json
    HTTP Basic auth AccountSid:AuthToken; form fields To, From, Body
    201 {"sid": "SM...", "status": "queued", ...}
    4xx/5xx {"code": 21211, "message": "...", "more_info": "...", "status": 400}

A 400 is the provider refusing this message (a number it cannot reach: the resident can act, so
SmsRefused with the provider's code); anything else (bad credentials, throttling, an outage, no
answer) is MessageNotSent, and logged for the office. The message body (it holds the code) is
never logged. The tests run a server in the test speaking this API (tests/twilio_api.py)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import aiohttp

from node.config.model import CampaignSmsConfig
from node.errors import MessageNotSent, MethodNotConfigured, SmsRefused

log = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=15)
API_VERSION = "2010-04-01"


class SmsSender(Protocol):
    async def send(self, to: str, body: str) -> str:
        """Send `body` to the E.164 number `to`; answers the provider's message id."""
        ...


class TwilioSender:
    """Twilio's Messages resource, one short-lived HTTP session per message (codes are few)."""

    def __init__(self, config: CampaignSmsConfig) -> None:
        self._config = config

    @property
    def messages_url(self) -> str:
        sid = self._config.account_sid
        return f"{self._config.base_url}/{API_VERSION}/Accounts/{sid}/Messages.json"

    async def send(self, to: str, body: str) -> str:
        config = self._config
        form = {"To": to, "From": config.from_number, "Body": body}
        auth = {"Authorization": aiohttp.encode_basic_auth(config.account_sid, config.auth_token)}
        try:
            async with (
                aiohttp.ClientSession(timeout=TIMEOUT) as session,
                session.post(self.messages_url, data=form, headers=auth) as response,
            ):
                status = response.status
                payload = await _json(response)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.error("SMS provider unreachable: %s", type(exc).__name__)
            raise MessageNotSent() from exc
        message_id = payload.get("sid")
        if status in (200, 201) and isinstance(message_id, str) and message_id:
            return message_id
        code = payload.get("code")
        provider_code = code if isinstance(code, int) and not isinstance(code, bool) else None
        if status == 400:
            raise SmsRefused(provider_code=provider_code)
        log.error("SMS provider answered %s (its code %s): not sent", status, provider_code)
        raise MessageNotSent()


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The answer's JSON object, or {} for anything else (a proxy's HTML error page)."""
    try:
        payload = await response.json(content_type=None)
    except (ValueError, aiohttp.ContentTypeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def sms_sender(config: CampaignSmsConfig) -> SmsSender:
    """The sender [campaigns.sms] names; MethodNotConfigured while it is off."""
    if config.provider == "twilio":
        return TwilioSender(config)
    raise MethodNotConfigured(method="sms")
