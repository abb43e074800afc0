"""The [brand] and [receipts] tables of config.toml: checked at start, every problem with its key.

The brand's logo is read here, once, and must be a PNG or an SVG of at most MAX_LOGO_BYTES; its
colour is #rrggbb, and the text drawn on it is white or black, whichever WCAG's contrast ratio
says reads (at least 4.5:1). The registration number (適格請求書発行事業者の登録番号) is "T" and 13
digits (国税庁, invoice-kohyo.nta.go.jp/about-toroku/): a corporation's 13 digits are its 法人番号,
whose first digit is a check digit (法人番号の指定等に関する省令 (平成26年財務省令第70号) 第2条);
a sole proprietor's (個人事業者) are a number of its own with no published check rule.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import TYPE_CHECKING

from node.config.model import BrandConfig, ReceiptsConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

MAX_LOGO_BYTES = 512 * 1024
MAX_NAME_CHARS = 40
MAX_LINE_CHARS = 120
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
REGISTRATION = re.compile(r"T[0-9]{13}")
PHONE = re.compile(r"\+?[0-9][0-9()\- ]{8,22}[0-9]")
TAX_RATES = (0, 8, 10)
HOLDERS = ("corporation", "individual")
MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text
WHITE, BLACK = "#ffffff", "#000000"


def read_brand(r: _Reader, home: Path | None) -> BrandConfig:
    name = _one_line(r, "brand", "name", MAX_NAME_CHARS)
    colour = r.get("brand", "colour", str, "").strip()
    if colour and not COLOUR.fullmatch(colour):
        r.problems.append(
            f'brand.colour must be a colour written #rrggbb (e.g. "#e4007f"), got {colour!r}'
        )
        colour = ""
    logo_setting = r.get("brand", "logo", str, "").strip()
    logo, logo_type = b"", ""
    if logo_setting:
        path = Path(logo_setting)
        if home is not None and not path.is_absolute():
            path = home / path
        logo, logo_type, problem = load_logo(path)
        if problem:
            r.problems.append(f"brand.logo: {logo_setting!r} {problem}")
    return BrandConfig(
        name=name,
        logo=logo,
        logo_type=logo_type,
        colour=colour.lower(),
        text_colour=readable_text_colour(colour) if colour else "",
    )


def read_receipts(r: _Reader) -> ReceiptsConfig:
    d = ReceiptsConfig()
    phone = unicodedata.normalize("NFKC", r.get("receipts", "phone", str, "")).strip()
    r.check(
        not phone or (PHONE.fullmatch(phone) is not None and _digits(phone) >= 10),
        f'receipts.phone must be a telephone number (e.g. "03-1234-5678"), got {phone!r}',
    )
    holder = r.get("receipts", "registration_holder", str, d.registration_holder).strip()
    r.check(holder in HOLDERS, f"receipts.registration_holder must be one of {', '.join(HOLDERS)}")
    number = normalise_registration_number(r.get("receipts", "registration_number", str, ""))
    problem = registration_number_problem(number, holder) if number else None
    if problem:
        r.problems.append(f"receipts.registration_number: {problem}")
    rate = r.get("receipts", "tax_rate_percent", int, d.tax_rate_percent)
    r.check(rate in TAX_RATES, "receipts.tax_rate_percent must be 0 (not stated), 8 or 10")
    r.check(
        not rate or bool(number),
        "receipts.tax_rate_percent needs receipts.registration_number: only a registered"
        " issuer (適格請求書発行事業者) may state the tax as on a qualified invoice",
    )
    return ReceiptsConfig(
        issuer_name=_one_line(r, "receipts", "issuer_name", MAX_LINE_CHARS),
        address=_one_line(r, "receipts", "address", MAX_LINE_CHARS),
        phone=phone,
        registration_number=number,
        registration_holder=holder,
        proviso=_one_line(r, "receipts", "proviso", MAX_NAME_CHARS, d.proviso),
        tax_rate_percent=rate,
    )


def _one_line(r: _Reader, table: str, key: str, limit: int, default: str = "") -> str:
    text = str(r.get(table, key, str, default)).strip()
    r.check(
        text.isprintable() and len(text) <= limit,
        f"{table}.{key} must be one line of at most {limit} characters",
    )
    return text


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def normalise_registration_number(text: str) -> str:
    """Full-width letters and digits made ASCII; spaces and hyphens dropped; t made T."""
    folded = unicodedata.normalize("NFKC", text).strip()
    folded = folded.replace(" ", "").replace("-", "")
    return folded[:1].upper() + folded[1:]


def corporate_check_digit(base: str) -> int:
    """The 法人番号's check digit for its 12-digit base number: 9 - (sum of Pn*Qn mod 9), n counted
    from the lowest digit, Qn 1 for odd n and 2 for even n."""
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), 1))
    return 9 - total % 9


def registration_number_problem(number: str, holder: str) -> str | None:
    """Why `number` (normalised) cannot be a registration number, or None."""
    if not REGISTRATION.fullmatch(number):
        return f'must be T and 13 digits (e.g. "T1234567890123"), got {number!r}'
    digits = number[1:]
    if holder == "corporation" and int(digits[0]) != corporate_check_digit(digits[1:]):
        return (
            f"{number} is not a corporation's number: its first digit after T is the 法人番号's"
            " check digit and does not match; check it for a typo, or set"
            ' receipts.registration_holder = "individual" for a sole proprietor (個人事業者)'
        )
    return None


def load_logo(path: Path) -> tuple[bytes, str, str]:
    """The logo's bytes and content type, or the problem (the third item, "" when none)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        return b"", "", f"cannot be read ({exc.strerror or type(exc).__name__})"
    if len(data) > MAX_LOGO_BYTES:
        return b"", "", f"is larger than {MAX_LOGO_BYTES // 1024} KiB"
    if data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR":
        return data, "image/png", ""
    if _is_svg(data):
        return data, "image/svg+xml", ""
    return b"", "", "is not a PNG or SVG image"


def _is_svg(data: bytes) -> bool:
    """An SVG document with no DTD (no entities to expand) and no script."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered or "<script" in lowered:
        return False
    try:
        root = ElementTree.fromstring(text)  # noqa: S314 (no DTD: refused above)
    except ElementTree.ParseError:
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """White on `background` when it reads (4.5:1), else black (which then always does)."""
    return WHITE if contrast_ratio(WHITE, background) >= MIN_CONTRAST else BLACK
