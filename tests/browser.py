"""Helpers for tests that drive the system's Chromium through Playwright (not a test module).

Playwright never downloads a browser here: it always launches the Debian Chromium at
/usr/bin/chromium (or $KIPPU_CHROMIUM), which `make test` installs when it is missing.
"""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CLOSE_TIMEOUT_S = 20

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
    """A headless Chromium; extra_args are added to the command line (e.g. fake camera flags)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[*CHROMIUM_ARGS, *extra_args],
            headless=True,
        )
        try:
            yield browser
        finally:
            # Bounded: a close that never returns must not hold the test until pytest's timeout;
            # leaving async_playwright() then stops the driver, which ends the browser it launched.
            try:
                await asyncio.wait_for(browser.close(), CLOSE_TIMEOUT_S)
            except TimeoutError:
                warnings.warn(f"Chromium did not close in {CLOSE_TIMEOUT_S} s", stacklevel=1)


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
