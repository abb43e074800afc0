"""Text of the shared page layout (base.html) that only assistive technology reads."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "layout_account_nav": ("言語とアカウント", "Language and account"),
}
