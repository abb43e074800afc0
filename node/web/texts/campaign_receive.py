"""The wallet home's link to the resident's campaign coupons, in Japanese and English (the
campaign pages themselves take their five languages from the message catalogues)."""

from __future__ import annotations

# key: the wallet home's text: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "wc_link": ("キャンペーン・クーポン", "Campaign coupons"),
}
