"""Amounts typed on the pages: whole yen in ASCII or full-width digits, nothing else.

Python's int() and str.isdigit() take far more than 0-9: superscripts (`²`), circled numbers
(`①`) and every script's digits. A page takes the digits a Japanese keyboard types, ASCII or
full-width (U+FF10..U+FF19), with commas, yen signs and 円 (ASCII or full-width) as
decoration, and refuses anything else with
InvalidAmount, before any attempt is counted or anything is written.
"""

from __future__ import annotations

from node.errors import InvalidAmount

MAX_AMOUNT_DIGITS = 11
_FULL_WIDTH = str.maketrans({0xFF10 + d: str(d) for d in range(10)})
# comma, full-width comma, yen sign, full-width yen sign, 円, space, ideographic space
_DECORATION = (",", "\uff0c", "\u00a5", "\uffe5", "\u5186", " ", "\u3000")


def typed_yen(text: str, message: str | None = None, minimum: int = 1) -> int:
    """Whole yen, at least `minimum`; InvalidAmount (with `message` if given) otherwise."""
    cleaned = text.strip().translate(_FULL_WIDTH)
    for mark in _DECORATION:
        cleaned = cleaned.replace(mark, "")
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > MAX_AMOUNT_DIGITS:
        raise InvalidAmount(message)
    amount = int(cleaned)
    if amount < minimum:
        raise InvalidAmount(message)
    return amount
