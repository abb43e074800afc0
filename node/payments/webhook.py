"""`POST /stripe/webhook`: Stripe's events, signed. No session: the signature is the credential.

The body is read up to MAX_BODY bytes (a larger one is refused unread), its Stripe-Signature
checked before anything is parsed (gateway.verify), then the event is processed once by its id:
a forged event gets 400 and changes nothing, a replayed one 200 `already_processed`.
"""

from __future__ import annotations

from aiohttp import web

from node.errors import PaymentsDisabled, WebhookTooLarge
from node.payments import actions
from node.payments.gateway import GATEWAY
from node.runtime import NODE

MAX_BODY = 256 * 1024  # Stripe's events are a few kB; a payment intent with metadata ~ 5 kB
PATH = "/stripe/webhook"


async def receive(request: web.Request) -> web.Response:
    node = request.app[NODE]
    gateway = request.app[GATEWAY].gateway
    if gateway is None:
        raise PaymentsDisabled()
    if (request.content_length or 0) > MAX_BODY:
        raise WebhookTooLarge()  # refused unread
    payload = await request.read()  # a chunked body: at most the app's client_max_size (1 MiB)
    if len(payload) > MAX_BODY:
        raise WebhookTooLarge()
    signature = request.headers.get("Stripe-Signature", "")
    outcome = await actions.on_webhook(node, gateway, payload, signature)
    return web.json_response(
        {"received": True, "already_processed": outcome.is_replay},
        headers={"Cache-Control": "no-store"},
    )
