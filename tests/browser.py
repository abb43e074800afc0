"""Helpers for tests that drive the system's Chromium through Playwright (not a test module).

Playwright never downloads a browser here: it always launches the Debian Chromium at
/usr/bin/chromium (or $KIPPU_CHROMIUM), which `make test` installs when it is missing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import warnings
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CLOSE_TIMEOUT_S = 20
STOP_TIMEOUT_S = 20

# Quiet, offline-friendly flags: no sandbox (tests may run as root), no GPU, no QUIC, and none
# of Chromium's own background traffic (updates, sync, first-run pages).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium_path() -> str:
    return os.environ.get("KIPPU_CHROMIUM") or DEFAULT_CHROMIUM


@asynccontextmanager
async def chromium(extra_args: Sequence[str] = ()) -> AsyncIterator[Browser]:
    """A headless Chromium; extra_args are added to the command line (e.g. fake camera flags).

    Its end is bounded. Playwright stops by closing the driver's stdin and then waits, with no
    limit, for the driver (a node.js child) to exit; a driver stuck closing a browser held a test
    until pytest's 120 s timeout with nothing but an idle loop and asyncio's waitpid thread to show
    for it. So closing the browser and stopping the driver each get 20 s; past that, the driver
    and every process under it are killed and the test goes on (the browser's end is not what the
    test checks), saying so on stderr."""
    manager = async_playwright()
    playwright = await manager.start()
    try:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[*CHROMIUM_ARGS, *extra_args],
            headless=True,
        )
        try:
            yield browser
        finally:
            try:
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT_S)
            except TimeoutError:
                warnings.warn(f"Chromium did not close in {CLOSE_TIMEOUT_S} s", stacklevel=1)
    finally:
        drivers = _driver_processes()
        stopping = asyncio.ensure_future(playwright.stop())
        done, _ = await asyncio.wait({stopping}, timeout=STOP_TIMEOUT_S)
        if not done:
            killed = [pid for driver in drivers for pid in _kill_tree(driver)]
            sys.stderr.write(
                f"Playwright's driver did not stop in {STOP_TIMEOUT_S} s: killed {killed}\n"
            )
        await stopping  # the driver gone, Playwright's stop returns: its pipes are closed


def _children() -> dict[int, list[int]]:
    """Every process's children, read from /proc (Linux)."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = (Path("/proc") / entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state
        tree.setdefault(parent, []).append(int(entry))
    return tree


def _driver_processes() -> list[int]:
    """This test process's Playwright drivers (`... run-driver`) now running."""
    found = []
    for pid in _children().get(os.getpid(), []):
        try:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes()
        except OSError:
            continue
        if b"run-driver" in command:
            found.append(pid)
    return found


def _kill_tree(root: int) -> list[int]:
    """SIGKILL `root` and everything under it (the browsers it launched), leaves first."""
    tree = _children()
    order: list[int] = []
    stack = [root]
    while stack:
        pid = stack.pop()
        order.append(pid)
        stack.extend(tree.get(pid, []))
    for pid in reversed(order):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return order


def artifacts_dir() -> Path:
    """test-artifacts/ at the repository's root (ignored by git), created if needed."""
    path = REPO_ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


async def screenshot(page: Page, name: str) -> Path:
    """Saves a full-page screenshot as test-artifacts/<name>.png and returns its path."""
    path = artifacts_dir() / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
