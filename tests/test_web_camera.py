"""The counter's camera path: Chromium's fake camera plays a video of a real voucher QR code,
the staff page reads it (jsQR: headless Chromium on Linux has no BarcodeDetector) and redeems."""

from __future__ import annotations

from pathlib import Path

import segno
from playwright.async_api import expect

from tests.browser import chromium, screenshot
from tests.conftest import FakeClock
from tests.test_web_flow import STAFF_PASSWORD, phone, shop
from tests.web_flow_helpers import sign_in_with_password

WIDTH, HEIGHT = 640, 480
MODULE_PX, QUIET_MODULES = 6, 4


def qr_video(text: str, path: Path, frames: int = 10) -> Path:
    """A Y4M file (what Chromium's fake camera plays) showing the QR of `text` on white."""
    matrix = [list(row) for row in segno.make(text, error="m").matrix]
    size = (len(matrix) + 2 * QUIET_MODULES) * MODULE_PX
    assert size <= HEIGHT, "the code does not fit the frame"
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray([235]) * (WIDTH * HEIGHT)  # video-range white
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            y0 = top + (r + QUIET_MODULES) * MODULE_PX
            x0 = left + (c + QUIET_MODULES) * MODULE_PX
            for y in range(y0, y0 + MODULE_PX):
                luma[y * WIDTH + x0 : y * WIDTH + x0 + MODULE_PX] = bytes([16]) * MODULE_PX
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for _ in range(frames):
            out.write(b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


async def test_staff_scan_a_qr_with_the_camera_and_redeem(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s:
        customer = await s.call("POST", "customers", {"name": "花子", "email": "h@example.jp"})
        voucher = await s.call(
            "POST", "vouchers", {"amount": 5000, "customer_id": customer["customer_id"]}
        )
        code = await s.call("GET", f"vouchers/{voucher['voucher_id']}/code")
        video = qr_video(str(code["payload"]), tmp_path / "qr.y4m")
        camera = (
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        async with chromium(camera) as browser:
            page = await phone(browser)
            await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
            await page.click("#scan")
            # No check that the camera is visible: on a loaded machine the fake camera's first
            # frames are read before such a check runs, and the camera is already put away. The
            # code arriving in the field (only the camera can put it there) shows it was used.
            await expect(page.locator("#code")).to_have_value(str(code["payload"]), timeout=15_000)
            await expect(page.locator("#scanner")).to_be_hidden()  # the camera stops once read
            await screenshot(page, "phone-staff-scanned")
            for key in "1200":
                await page.click(f"#amount-keypad button[data-key='{key}']")
            await page.click("#continue")
            await page.click("#redeem")
            await expect(page.locator("#done-balance")).to_have_text("¥3,800")
        after = await s.call("GET", f"vouchers/{voucher['voucher_id']}")
        assert after["balance"] == 3800
