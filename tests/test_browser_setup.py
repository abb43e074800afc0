"""The browser test setup works: the system Chromium runs under Playwright, shows Japanese text,
and both vendored libraries (qrcode-generator draws a QR, jsQR reads it back) run in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from tests import browser as browser_helpers
from tests.browser import REPO_ROOT, chromium, screenshot

NODE_MODULES = REPO_ROOT / "node" / "web" / "node_modules"
VENDOR = {
    "qrcode.js": NODE_MODULES / "qrcode-generator" / "dist" / "qrcode.js",
    "jsQR.js": NODE_MODULES / "jsqr" / "dist" / "jsQR.js",
}
PAYLOAD = "kippu:v1:7KQ2-M9XD-4TNW-PLAC"

PAGE = """<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>ブラウザ確認</title></head>
<body style="font-family: 'IPAGothic', sans-serif">
  <h1>デジタル商品券 — ブラウザ確認</h1>
  <canvas id="qr"></canvas>
  <p id="decoded"></p>
  <script src="/vendor/qrcode.js"></script>
  <script src="/vendor/jsQR.js"></script>
</body>
</html>
"""

# Draws PAYLOAD's QR with qrcode-generator (white quiet zone around it), then decodes the
# canvas's pixels with jsQR and returns the text it read.
ROUND_TRIP = """(text) => {
  const code = qrcode(0, "M");
  code.addData(text);
  code.make();
  const cell = 6, margin = 4 * cell;
  const size = code.getModuleCount() * cell + 2 * margin;
  const canvas = document.getElementById("qr");
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, size, size);
  context.translate(margin, margin);
  code.renderTo2dContext(context, cell);
  const image = context.getImageData(0, 0, size, size);
  const found = jsQR(image.data, image.width, image.height);
  const decoded = found === null ? null : found.data;
  document.getElementById("decoded").textContent = "読み取り結果: " + decoded;
  return decoded;
}"""


@pytest.fixture
async def site() -> AsyncIterator[str]:
    for path in VENDOR.values():
        assert path.is_file(), f"{path} is missing: run `make test` (npm ci in node/web)"

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html", charset="utf-8")

    async def vendor(request: web.Request) -> web.FileResponse:
        path: Path | None = VENDOR.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": "text/javascript"})

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/vendor/{name}", vendor)
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_vendored_qr_libraries_round_trip_in_chromium(site: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = await page.goto(site + "/")
        assert response is not None and response.ok
        assert await page.title() == "ブラウザ確認"
        assert await page.evaluate("typeof qrcode") == "function"
        assert await page.evaluate("typeof jsQR") == "function"

        decoded = await page.evaluate(ROUND_TRIP, PAYLOAD)

        assert decoded == PAYLOAD
        assert await page.text_content("#decoded") == f"読み取り結果: {PAYLOAD}"
        assert errors == []
        await screenshot(page, "browser-setup")


async def test_a_driver_that_does_not_stop_in_time_is_killed_with_its_browsers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no time at all to stop, the driver and the Chromium under it are killed: nothing
    of them is left running, and stderr says what was killed."""
    monkeypatch.setattr(browser_helpers, "STOP_TIMEOUT_S", 0)
    async with chromium() as browser:
        page = await browser.new_page()
        await page.set_content("<p>x</p>")
        drivers = browser_helpers._driver_processes()
        assert len(drivers) == 1
        under = browser_helpers._children().get(drivers[0], [])
        assert under, "the driver runs Chromium"
    assert browser_helpers._driver_processes() == []
    for pid in [drivers[0], *under]:
        assert _is_gone(pid)
    assert f"killed [{drivers[0]}" in capsys.readouterr().err


def _is_gone(pid: int) -> bool:
    """No such process, or one that has ended and waits only to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"
