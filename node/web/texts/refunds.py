"""Page texts of refunds and the business abolition (払戻し, 資金決済法20条): the console's
voucher refund, its abolition page and home notice, and the wallet's refund claim."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {}
