"""What the premium sale's codes and fields say (a premium campaign's set bought by card in the
wallet), in Japanese and English; the campaign pages take Chinese and Korean from the catalogue."""

from __future__ import annotations

# key: ("error:" + code or "field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.not_for_sale": (
        "このキャンペーンのクーポンは販売していません（無料で配布されるものは、キャンペーンのページから受け取れます）。",  # noqa: RUF001
        "This campaign's coupons are not sold (only a premium voucher campaign sells its sets;"
        " the others are given free on their own page).",
    ),
    # the office's campaign page: the price paid by card and at the counter, sets held
    "cpc_paid_by_card": ("うちカード決済 (ウォレット)", "Of it, paid by card (wallet)"),
    "cpc_paid_at_counter": ("うち窓口での支払い", "Of it, paid at the counter"),
    "cpc_held": ("カード決済中の確保", "Sets held while a card is charged"),
}
