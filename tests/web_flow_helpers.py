"""Helpers for browser tests of the web pages: accounts, a real SMTP sink, signing in by link."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import aiohttp
from aiosmtpd.controller import Controller
from playwright.async_api import Browser, Page

from node.home import NodeHome
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, make_home

LINK = re.compile(r"https?://\S+/wallet/link/[A-Za-z0-9_-]+")
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 860}
# A call to the node that stalls fails here, where it stalled, long before the test's timeout.
API_TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass
class Inbox:
    """An SMTP server on 127.0.0.1 that keeps every message it receives.

    aiosmtpd runs its handler in its own thread and event loop, so a message's arrival is passed
    to the test's loop with call_soon_threadsafe: setting the test loop's Event from that thread
    would not wake the loop (nor is it safe)."""

    loop: asyncio.AbstractEventLoop
    messages: list[Message] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        self.loop.call_soon_threadsafe(self._arrive, message)
        return "250 OK"

    def _arrive(self, message: Message) -> None:
        self.messages.append(message)
        self.arrived.set()

    async def link_for(self, email: str, timeout_s: float = 10) -> str:
        async with asyncio.timeout(timeout_s):
            while True:
                self.arrived.clear()  # before looking: a message arriving meanwhile sets it again
                for message in reversed(self.messages):
                    if message["To"] == email:
                        body = message.get_payload(decode=True)
                        assert isinstance(body, bytes)
                        found = LINK.search(body.decode("utf-8"))
                        assert found, body
                        return found.group(0)
                await self.arrived.wait()


@asynccontextmanager
async def smtp_inbox() -> AsyncIterator[tuple[Inbox, int]]:
    inbox = Inbox(asyncio.get_running_loop())
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    await asyncio.to_thread(controller.start)
    try:
        yield inbox, port
    finally:
        await asyncio.to_thread(controller.stop)


async def sign_in_by_link(page: Page, inbox: Inbox, email: str) -> None:
    """On the wallet's sign-in page: ask for a link, open it from the email, press the button."""
    await page.fill("#email", email)
    await page.click("#send-link")
    await page.wait_for_selector("#link-sent")
    await page.goto(await inbox.link_for(email))
    await page.click("#use-link")


async def sign_in_with_password(page: Page, base_url: str, role: str, login: str, pw: str) -> None:
    await page.goto(f"{base_url}/{role}/login")
    await page.fill("input[name=login]", login)
    await page.fill("input[name=password]", pw)
    await page.click("button[type=submit]")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def web_config(config_text: str, port: int, smtp_port: int | None) -> str:
    """config.toml of a test node: listening (and linking) on `port`, mail to the SMTP sink."""
    text = re.sub(r'^listen = ".*"$', f'listen = "127.0.0.1:{port}"', config_text, flags=re.M)
    text = re.sub(
        r'^public_url = ".*"$', f'public_url = "http://127.0.0.1:{port}"', text, flags=re.M
    )
    if smtp_port is not None:
        text = text.replace('smtp_host = ""', 'smtp_host = "127.0.0.1"')
        text = text.replace("smtp_port = 587", f"smtp_port = {smtp_port}")
        text = text.replace("smtp_starttls = true", "smtp_starttls = false")
    return text


ADMIN_PASSWORD = "kanri-Sakura-2026"
STAFF_PASSWORD = "tenin-Yamada-2026"


@dataclass
class Shop:
    base_url: str
    home: NodeHome
    clock: FakeClock
    api: aiohttp.ClientSession
    store_id: str

    async def call(self, method: str, path: str, body: object = None) -> dict[str, object]:
        async with self.api.request(method, f"{self.base_url}/api/v1/{path}", json=body) as r:
            payload = await r.json()
            assert r.status < 300, payload
            return dict(payload)


@asynccontextmanager
async def shop(
    root: Path,
    clock: FakeClock,
    smtp_port: int | None,
    configure: Callable[[NodeHome, str], str] | None = None,
) -> AsyncIterator[Shop]:
    """A company's node with one store, an admin password and one staff member. `configure`
    may change its config.toml's text (and put files in its home) before it starts."""
    home = make_home(root, "居酒屋 さくら")
    port = free_port()
    text = web_config(home.config_path.read_text(encoding="utf-8"), port, smtp_port)
    home.config_path.write_text(
        configure(home, text) if configure else text,
        encoding="utf-8",
    )
    node = load_node(home, clock, SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", port)
    # `kippu` finds the node through config.toml and admin.token, as it does in production.
    home.token_path.write_text(node.admin_token + "\n", encoding="ascii")
    home.token_path.chmod(0o600)
    headers = {"Authorization": f"Bearer {node.admin_token}"}
    try:
        async with aiohttp.ClientSession(headers=headers, timeout=API_TIMEOUT) as api:
            made = Shop(f"http://127.0.0.1:{port}", home, clock, api, "")
            made.store_id = str((await made.call("POST", "stores", {"name": "渋谷店"}))["store_id"])
            await made.call("PUT", "admin/password", {"password": ADMIN_PASSWORD})
            await made.call(
                "POST",
                "staff",
                {"name": "yamada", "stores": [made.store_id], "password": STAFF_PASSWORD},
            )
            yield made
    finally:
        await runner.cleanup()


async def phone(browser: Browser) -> Page:
    context = await browser.new_context(viewport=PHONE, locale="ja-JP", accept_downloads=True)
    return await context.new_page()
