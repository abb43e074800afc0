"""The Japanese font every PDF of the node draws with (receipts, the 基準日 report, store
posters): found on the machine or configured, registered with reportlab once, held under one lock
while a document is drawn, and text fitted to a width in it."""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from node.errors import ReceiptUnavailable

# Tried in order when web.receipt_font is empty: Debian/Ubuntu, Fedora, macOS, Windows.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/ipa-gothic/ipag.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/msgothic.ttc",
)
MAX_NAME_CHARS = 300  # names longer than this are cut before measuring, so a huge one costs nothing


def find_font(configured: str) -> Path:
    """The configured font if set (it must exist), else the first known Japanese font found."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ReceiptUnavailable("Receipts cannot be made: web.receipt_font names no file.")
        return path
    for candidate in KNOWN_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise ReceiptUnavailable()


# reportlab keeps each TrueType font's per-document subset state in one shared, unlocked dict,
# and its font registry is global: registering and drawing both happen under this lock.
_LOCK = threading.Lock()
_FONT_NAMES: dict[Path, str] = {}


def _font_name(font: Path) -> str:
    """Register `font` with reportlab once per path (caller holds _LOCK); its registered name."""
    if font not in _FONT_NAMES:
        name = f"KippuReceipt{len(_FONT_NAMES)}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(font)))
        except (TTFError, OSError) as exc:
            raise ReceiptUnavailable(
                "Receipts cannot be made: the node's Japanese font cannot be read or is not "
                "TrueType; install fonts-ipafont-gothic or set web.receipt_font."
            ) from exc
        _FONT_NAMES[font] = name
    return _FONT_NAMES[font]


@contextlib.contextmanager
def drawing_font(font: Path) -> Iterator[str]:
    """`font` registered with reportlab, held for drawing one document (the 基準日 report's
    PDF uses the receipts' font the same way): its registered name."""
    with _LOCK:
        yield _font_name(font)


def clean_line(text: str) -> str:
    """Untrusted text on one line: whitespace folded to spaces, control and format characters gone."""
    kept = "".join(
        ch for ch in text if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(kept.split())


def fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """`text` wrapped to `width` points in at most `max_lines` lines, the last ending in … if cut."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph  # a character the font lacks prints as ?
    rest = "".join(ch if ord(ch) in glyphs else "?" for ch in clean_line(text[:MAX_NAME_CHARS]))
    cut = len(text) > MAX_NAME_CHARS
    lines: list[str] = []
    while rest and len(lines) < max_lines:
        end = 1
        while end < len(rest) and pdfmetrics.stringWidth(rest[: end + 1], font, size) <= width:
            end += 1
        if end < len(rest) and " " in rest[1:end]:
            end = rest.rindex(" ", 1, end)  # break Latin names between words, not inside one
        lines.append(rest[:end].rstrip())
        rest = rest[end:].lstrip()
    if (rest or cut) and lines:
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]
