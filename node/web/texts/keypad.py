"""Text of the amount keypad (templates/_keypad.html), shared by the counter, sales and the wallet."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "keypad_group": ("金額キーパッド", "Amount keypad"),
    "keypad_back": ("1文字消す", "Delete last digit"),
    "keypad_clear": ("金額をクリア", "Clear the amount"),
    "keypad_max": ("上限", "Up to"),
    "keypad_over_limit": ("上限を超えています", "over the limit"),
    "keypad_empty": ("金額を入力してください", "Enter an amount"),
}
