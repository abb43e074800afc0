"""What the public store application's throttle says (polish, issue 18), in Japanese and
English; conventions in node/web/texts/errors.py. The public application page shows it in five
languages from the catalogues (node/web/locale)."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.store_apply_throttled": (
        "この接続からの加盟店申込が多すぎます。しばらく時間をおいてから、もう一度お送りください。",
        "Too many store applications were sent from your connection; please wait a while and"
        " send it again.",
    ),
}
