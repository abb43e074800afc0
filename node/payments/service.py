"""Card payments on a running node: the Stripe gateway for the app's life (when [stripe] is
set), and the sweep that makes refunds still due and cancels abandoned payments."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from node.payments import actions, webhook
from node.payments.gateway import GATEWAY, GatewaySlot, StripeGateway
from node.periodic import every
from node.runtime import NODE

log = logging.getLogger(__name__)
SWEEP_EVERY_S = 300


def install(app: web.Application) -> None:
    """Before the app starts: the gateway's slot, its life, and the webhook's route."""
    app[GATEWAY] = GatewaySlot()
    app.cleanup_ctx.append(payments_ctx)
    app.router.add_post(webhook.PATH, webhook.receive)


async def payments_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    if not node.config.stripe.is_enabled:
        yield
        return
    gateway = StripeGateway(node.config.stripe)
    app[GATEWAY].gateway = gateway

    try:
        async with every(
            SWEEP_EVERY_S, lambda: actions.sweep(node, gateway), "payments-sweep", log
        ):
            yield
    finally:
        app[GATEWAY].gateway = None
        await gateway.close()
