"""The printed membership card number as an EAN-13 (JAN) barcode, drawn as SVG on the server so
a POS scanner can read it off the phone's screen or a printout (no new dependency: the encoding
is a table and a parity pattern). The card number carries its own EAN-13 check digit
(node/points/numbers.py); this module only draws the 13 digits it is given."""

from __future__ import annotations

from markupsafe import Markup

# The left-hand odd-parity (L) patterns; R is L inverted, G is R reversed (GS1 General Specs).
_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")  # fmt: skip
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLG", "LGLGGL", "LGLGLG", "LGGLGL")  # fmt: skip
QUIET_LEFT, QUIET_RIGHT = 11, 7
BAR_HEIGHT, GUARD_HEIGHT = 50, 56


def _invert(bits: str) -> str:
    return bits.translate(str.maketrans("01", "10"))


def modules(digits: str) -> str:
    """The 95 modules (1 = bar) of the EAN-13 symbol of `digits` (13 digits)."""
    if len(digits) != 13 or not digits.isdigit():
        raise ValueError("an EAN-13 symbol encodes exactly 13 digits")
    parity = _PARITY[int(digits[0])]
    left = "".join(
        _L[int(d)] if p == "L" else _invert(_L[int(d)])[::-1]
        for d, p in zip(digits[1:7], parity, strict=True)
    )
    right = "".join(_invert(_L[int(d)]) for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def _is_guard(index: int) -> bool:
    return index < 3 or 45 <= index < 50 or index >= 92


def ean13_svg(digits: str, label: str) -> Markup:
    """An SVG of the symbol, scalable (viewBox in modules), with `label` for screen readers."""
    bars = []
    for index, bit in enumerate(modules(digits)):
        if bit == "1":
            height = GUARD_HEIGHT if _is_guard(index) else BAR_HEIGHT
            bars.append(f"M{QUIET_LEFT + index} 0h1v{height}h-1z")
    width = QUIET_LEFT + 95 + QUIET_RIGHT
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="barcode" role="img"'
        ' viewBox="0 0 {w} {h}" preserveAspectRatio="none" aria-label="{label}">'
        '<rect width="{w}" height="{h}" fill="#fff"/>'
        '<path fill="#000" d="{d}"/></svg>'
    ).format(w=width, h=GUARD_HEIGHT, label=label, d="".join(bars))
