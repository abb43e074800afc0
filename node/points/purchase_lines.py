"""A purchase's optional lines (SKU, name, quantity, amount) as a POS or EC site sends them,
checked: kept for analysis (which goods frequent members buy), never used to count points."""

from __future__ import annotations

from typing import Any

from node.errors import InvalidPoints
from node.points.core import require_whole
from node.points.model import PurchaseLine
from node.text import require_printable

MAX_LINES = 200
MAX_SKU_CHARS = 64
MAX_NAME_CHARS = 120
MAX_QUANTITY = 100_000
MAX_LINE_YEN = 100_000_000


def _line_whole(value: object, low: int, high: int, what: str) -> int:
    message = f"Each line's `{what}` must be a whole number from {low} to {high}."
    return require_whole(value, "lines", low, high, message=message)


def _text(value: Any, limit: int, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidPoints(f"Each line's `{what}` must be 1-{limit} characters.", field="lines")
    # Checked before trimming, as every text field is: a tab around it is refused, not dropped.
    return require_printable(value, "lines").strip()


def parse_lines(raw: object) -> tuple[PurchaseLine, ...]:
    """None or a list of {sku, name, quantity, amount_yen} objects, else InvalidPoints."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_LINES:
        raise InvalidPoints(f"`lines` must be a list of at most {MAX_LINES} lines.", field="lines")
    lines = []
    for item in raw:
        if not isinstance(item, dict) or set(item) - {"sku", "name", "quantity", "amount_yen"}:
            raise InvalidPoints(
                "Each line is an object with sku, name, quantity and amount_yen.", field="lines"
            )
        lines.append(
            PurchaseLine(
                sku=_text(item.get("sku"), MAX_SKU_CHARS, "sku"),
                name=_text(item.get("name"), MAX_NAME_CHARS, "name"),
                quantity=_line_whole(item.get("quantity"), 1, MAX_QUANTITY, "quantity"),
                amount_yen=_line_whole(item.get("amount_yen"), 0, MAX_LINE_YEN, "amount_yen"),
            )
        )
    return tuple(lines)
