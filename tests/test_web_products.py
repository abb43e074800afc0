"""Products (商品) in Chromium, every state checked by tests/page_checks.py: head office adds a
premium product on the console (a price above the face is refused beside its field, what was
typed kept), a product with a per-customer limit is marked online only and has no counter button,
the counter sells the other by its button (name, face, the amount to collect) and it sells
out (the same confirm form sent again answers that sale, not "sold out"), a product retired
between the tap and 販売する is refused on the confirm page, and head office retires it through the
confirm step; the vouchers sold keep their terms."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_with_password,
)


async def _add_product(admin: Page, s: Shop) -> str:
    await admin.goto(f"{s.base_url}/admin/products")
    await expect(admin.locator("#products")).to_contain_text("商品はまだありません")
    await check_page(admin, "products-empty")
    await admin.fill("#add-product [name='name']", "プレミアム商品券")
    await admin.fill("#add-product [name='face_yen']", "11000")
    await admin.fill("#add-product [name='price_yen']", "12000")
    await admin.click("#add")
    error = admin.locator("#add-product-price_yen-error")
    await expect(error).to_contain_text("販売価格")
    await expect(admin.locator("#add-product [name='name']")).to_have_value("プレミアム商品券")
    await check_page(admin, "products-add-refused")
    await admin.fill("#add-product [name='price_yen']", "１０，０００")
    await admin.fill("#add-product [name='stock']", "1")
    await admin.click("#add")
    await expect(admin.locator("#notice")).to_contain_text("商品を追加しました")
    row = admin.locator("#products tr[data-state='on_sale']")
    await expect(row).to_contain_text("¥11,000")
    await expect(row).to_contain_text("¥10,000")
    await check_page(admin, "products-on-sale")
    return str(await row.get_attribute("data-product"))


async def _sell_it(staff: Page, s: Shop, product_id: str, limited_id: str) -> str:
    await staff.goto(f"{s.base_url}/staff/sell")
    offer = staff.locator(f"#offers button[data-product='{product_id}']")
    await expect(offer).to_contain_text("プレミアム商品券")
    # A product with a per-customer limit is sold online only: no button at the counter.
    await expect(staff.locator(f"#offers button[data-product='{limited_id}']")).to_have_count(0)
    await expect(staff.locator("#products")).to_have_count(0)  # the products replace sale_products
    await check_page(staff, "sell-offers")
    await offer.click()
    await expect(staff.locator("#confirm-product")).to_have_text("プレミアム商品券")
    await expect(staff.locator("#confirm-face")).to_have_text("¥11,000")
    await expect(staff.locator("#confirm-price")).to_have_text("¥10,000")
    await expect(staff.locator("#sell")).to_contain_text("¥10,000")
    await check_page(staff, "sell-offer-confirm")
    form = {
        name: str(await staff.locator(f"#sell-form [name='{name}']").get_attribute("value"))
        for name in ("csrf", "face", "product", "sale_key")
    }
    await staff.click("#sell")
    await expect(staff.locator("#sold-face")).to_have_text("¥11,000")
    voucher_id = str(await staff.locator("#sold").get_attribute("data-voucher"))
    # The same confirm form sent again (a double tap) answers the sale it made: the last one in
    # stock is not refused as sold out, and nothing is sold twice.
    again = await staff.request.post(f"{s.base_url}/staff/sell", form={**form, "method": "cash"})
    assert again.ok and 'id="sale-repeat"' in await again.text()
    assert f'data-voucher="{voucher_id}"' in await again.text()
    await staff.goto(f"{s.base_url}/staff/sell")
    await expect(staff.locator("#no-offers")).to_be_visible()  # sold out: only the keypad
    await check_page(staff, "sell-no-offers")
    return voucher_id


async def _retired_meanwhile(staff: Page, s: Shop) -> None:
    """A product retired between the tap and 販売する: refused on the confirm page, in Japanese."""
    other = await s.call("POST", "products", {"name": "春の商品券", "face_yen": 3000})
    await staff.goto(f"{s.base_url}/staff/sell")
    await staff.click(f"#offers button[data-product='{other['product_id']}']")
    await s.call("POST", f"products/{other['product_id']}/retire")
    await staff.click("#sell")
    await expect(staff.locator("[data-code='product.not_on_sale']")).to_contain_text(
        "販売していません"
    )
    await check_page(staff, "sell-offer-retired")


async def _retire(admin: Page, s: Shop, product_id: str, limited_id: str) -> None:
    await admin.goto(f"{s.base_url}/admin/products")
    limited = admin.locator(f"#products tr[data-product='{limited_id}']")
    await expect(limited.locator(".online-only")).to_have_text(
        "オンライン販売のみ（店頭では販売できません）"
    )
    row = admin.locator(f"#products tr[data-product='{product_id}']")
    await expect(row).to_have_attribute("data-state", "sold_out")
    await row.locator("a.retire").click()
    await expect(admin.locator("#retire-name")).to_have_text("プレミアム商品券")
    await check_page(admin, "product-retire-confirm")
    await admin.click("#retire")
    await expect(admin.locator("#notice")).to_contain_text("販売終了にしました")
    await expect(row).to_have_attribute("data-state", "retired")
    await expect(row.locator("a.retire")).to_have_count(0)
    await check_page(admin, "products-retired")


async def test_adding_selling_and_retiring_a_product(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        admin, staff = await phone(browser), await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await sign_in_with_password(staff, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        product_id = await _add_product(admin, s)
        limited = {
            "name": "お一人様1枚",
            "face_yen": 5000,
            "limit_count": 1,
            "limit_period": "month",
        }
        limited_id = str((await s.call("POST", "products", limited))["product_id"])
        voucher_id = await _sell_it(staff, s, product_id, limited_id)
        await _retired_meanwhile(staff, s)
        await _retire(admin, s, product_id, limited_id)
        voucher = await s.call("GET", f"vouchers/{voucher_id}")
        assert (voucher["face"], voucher["price"], voucher["status"]) == (11_000, 10_000, "active")
        shown = await s.call("GET", f"products/{product_id}")
        assert (shown["stock"], shown["sold"], shown["on_sale"]) == (0, 1, False)
        ledger = await s.call("GET", "ledger/check")
        assert ledger["ok"] is True and ledger["voucher_balances"] == 11_000
