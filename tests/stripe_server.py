"""localstripe, the stateful Stripe stand-in, on 127.0.0.1 for the tests: in this event loop
(node tier: no child process) or as a child process (browser tests, the benchmark).

Either way it is the real localstripe server (its routes, its resources, its signed webhooks),
with one change: its store stays in memory instead of being pickled to /tmp/localstripe.pickle
after every POST (shared by every process on the machine, and slow once it grows).
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import json
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import aiohttp
from aiohttp import web

SECRET_KEY = "sk_test_kippu"  # localstripe takes any sk_... key
PUBLISHABLE_KEY = "pk_test_kippu"
WEBHOOK_SECRET = "whsec_kippu_test"
CHILD = (
    "import localstripe.resources as r; r.store.dump_to_disk = lambda: None;"
    " from localstripe.server import start; start()"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def with_stripe(config_text: str, api_base: str) -> str:
    """A node's config.toml (as `kippu init` writes it) with `[stripe]` pointing at localstripe."""
    settings = {
        'secret_key = ""': f'secret_key = "{SECRET_KEY}"',
        'publishable_key = ""': f'publishable_key = "{PUBLISHABLE_KEY}"',
        'webhook_secret = ""': f'webhook_secret = "{WEBHOOK_SECRET}"',
        'api_base = ""': f'api_base = "{api_base}"',
        'js_url = "https://js.stripe.com/v3/"': f'js_url = "{api_base}/js.stripe.com/v3/"',
    }
    for empty, given in settings.items():
        if empty not in config_text:
            raise ValueError(f"the config has no `{empty}` line to set")
        config_text = config_text.replace(empty, given)
    return config_text


@asynccontextmanager
async def localstripe_in_loop() -> AsyncIterator[str]:
    """localstripe's application served from this event loop; yields its base URL."""
    with warnings.catch_warnings():  # its module registers plain functions as handlers
        warnings.simplefilter("ignore", DeprecationWarning)
        from localstripe import resources, server, webhooks

    resources.store.dump_to_disk = lambda: None  # type: ignore[method-assign]
    resources.store.clear()
    webhooks._webhooks.clear()
    app = web.Application(middlewares=list(server.app.middlewares))
    for route in server.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if path and route.method != "HEAD":
            app.router.add_route(route.method, path, _as_coroutine(route.handler))
    app.on_response_prepare.append(server.add_cors_headers)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        webhooks._webhooks.clear()


def _as_coroutine(handler: Any) -> Any:
    """localstripe's GET handlers are plain functions, which aiohttp deprecates (warnings are
    errors here): the same function, awaited."""
    if inspect.iscoroutinefunction(handler):
        return handler

    async def awaited(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = handler(request)
        return response

    return awaited


@contextmanager
def localstripe_process() -> Iterator[str]:
    """localstripe as a child process on a free port; yields its base URL once it answers."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, child)
        yield f"http://127.0.0.1:{port}"
    finally:
        child.terminate()
        child.wait(timeout=10)


def _wait_for_port(port: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError("localstripe exited at start")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)  # a child process's start: nothing to await in this thread
    raise RuntimeError("localstripe did not start in 20 s")


async def register_webhook(api_base: str, url: str) -> None:
    """Have localstripe send all its events to `url`, signed with WEBHOOK_SECRET."""
    form = {"url": url, "secret": WEBHOOK_SECRET}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{api_base}/_config/webhooks/kippu", data=form) as response,
    ):
        response.raise_for_status()


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, as Stripe (and localstripe) sign them."""
    payload = json.dumps(event, indent=2, sort_keys=True).encode()
    stamp = int(time.time())
    mac = hmac.new(secret.encode(), b"%d.%s" % (stamp, payload), hashlib.sha256).hexdigest()
    return payload, f"t={stamp},v1={mac}"


async def post_webhook(
    session: aiohttp.ClientSession, base_url: str, payload: bytes, signature: str
) -> tuple[int, dict[str, Any]]:
    headers = {"Stripe-Signature": signature, "Content-Type": "application/json"}
    async with session.post(f"{base_url}/stripe/webhook", data=payload, headers=headers) as r:
        return r.status, await r.json()


async def card(api_base: str, number: str) -> str:
    """A card's id (card_...) from a token made with the publishable key, as the shop's page
    makes it with localstripe's Stripe.js."""
    form = {
        "card[number]": number,
        "card[exp_month]": "12",
        "card[exp_year]": "2031",
        "card[cvc]": "123",
        "key": PUBLISHABLE_KEY,
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{api_base}/v1/tokens", data=form) as response,
    ):
        token = await response.json()
    return str(token["card"]["id"])


def intent_event(event_id: str, intent: dict[str, Any], kind: str) -> dict[str, Any]:
    """A Stripe event about a PaymentIntent (the shape localstripe and Stripe send)."""
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "api_version": "2017-08-15",
        "data": {"object": intent},
    }
