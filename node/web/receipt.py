"""The customer's receipt (領収書) for one redemption, drawn as a one-page PDF in a Japanese font."""

from __future__ import annotations

import io
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.colors import red
from reportlab.lib.pagesizes import A5
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from node.errors import ReceiptUnavailable
from node.ledger.tender import RestPayment

# Tried in order when web.receipt_font is empty: Debian/Ubuntu, Fedora, macOS, Windows.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/ipa-gothic/ipag.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/msgothic.ttc",
)
MARGIN = 40.0
LABEL_WIDTH = 120.0
MAX_NAME_CHARS = 300  # names longer than this are cut before measuring, so a huge one costs nothing


@dataclass(frozen=True)
class ReceiptData:
    """One redemption as the customer's receipt shows it; the names are untrusted text."""

    issuer_name: str
    store_name: str
    receipt_number: str
    redeemed_at: datetime
    amount_yen: int
    balance_after_yen: int
    voucher_number: str
    voided: bool = False
    rest: RestPayment | None = None  # the rest of the sale paid another way (全額利用と差額)

    def __post_init__(self) -> None:
        if self.redeemed_at.tzinfo is None:
            raise ValueError("redeemed_at must be an aware datetime")


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


def render_receipt(data: ReceiptData, zone: ZoneInfo, font: Path) -> bytes:
    """The receipt as PDF bytes (A5, one page, the font embedded as a subset)."""
    with _LOCK:
        return _draw(data, zone, _font_name(font))


def _clean(text: str) -> str:
    """Untrusted text on one line: whitespace folded to spaces, control and format characters gone."""
    kept = "".join(
        ch for ch in text if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(kept.split())


def fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """`text` wrapped to `width` points in at most `max_lines` lines, the last ending in … if cut."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph  # a character the font lacks prints as ?
    rest = "".join(ch if ord(ch) in glyphs else "?" for ch in _clean(text[:MAX_NAME_CHARS]))
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


def _draw(data: ReceiptData, zone: ZoneInfo, font: str) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A5, invariant=1, pageCompression=1)
    pdf.setTitle(f"領収書 Receipt {_clean(data.receipt_number)}")
    pdf.setAuthor(fit_lines(data.issuer_name, font, 10, 400, 1)[0])
    pdf.setSubject("前払式支払手段のご利用 Prepaid voucher redemption")
    pdf.setCreator("Kippu")
    y = _draw_heading(pdf, font, data)
    y = _draw_details(pdf, font, y, data, zone)
    pdf.setFont(font, 9)
    pdf.drawString(MARGIN, y - 10, "前払式支払手段のご利用による領収です。")
    pdf.drawString(MARGIN, y - 23, "Paid with a prepaid voucher (前払式支払手段).")
    pdf.save()
    return buffer.getvalue()


def _draw_heading(pdf: Canvas, font: str, data: ReceiptData) -> float:
    """Title, the void stamp if any, issuer and amount; the height where the details start."""
    page_width, page_height = A5
    y: float = page_height - MARGIN - 24
    pdf.setFont(font, 24)
    pdf.drawCentredString(page_width / 2, y, "領収書")
    pdf.setFont(font, 9)
    pdf.drawCentredString(page_width / 2, y - 14, "RECEIPT")
    if data.voided:
        stamp_x = page_width - MARGIN - 56  # the stamp's centre, right of the title
        pdf.saveState()
        pdf.setStrokeColor(red)
        pdf.setFillColor(red)
        pdf.setLineWidth(2)
        pdf.rect(stamp_x - 56, y - 16, 112, 40)
        pdf.setFont(font, 18)
        pdf.drawCentredString(stamp_x, y + 4, "取消 VOID")
        pdf.setFont(font, 7)
        pdf.drawCentredString(stamp_x, y - 10, "このご利用は取り消されました")
        pdf.restoreState()
    y -= 52
    pdf.setFont(font, 15)
    for line in fit_lines(data.issuer_name, font, 15, page_width - 2 * MARGIN, 2):
        pdf.drawString(MARGIN, y, line)
        y -= 20
    pdf.setFont(font, 10)
    pdf.drawString(MARGIN, y - 14, "利用金額 Amount")
    pdf.setFont(font, 26)
    pdf.drawRightString(page_width - MARGIN, y - 20, f"¥{data.amount_yen:,}")
    pdf.line(MARGIN, y - 30, page_width - MARGIN, y - 30)
    return y - 58


REST_METHODS = {"cash": "現金 Cash", "card": "カード Card", "other": "その他 Other"}


def _rest_rows(rest: RestPayment | None) -> list[tuple[str, list[str]]]:
    """The rest paid another way, if any: not from the voucher, shown so the sale reads whole."""
    if rest is None:
        return []
    return [("差額 Paid otherwise", [f"¥{rest.amount_yen:,} ({REST_METHODS[rest.method.value]})"])]


def _draw_details(pdf: Canvas, font: str, y: float, data: ReceiptData, zone: ZoneInfo) -> float:
    """Store, time, balance and numbers as labelled rows from height `y` down; the height below."""
    value_width = A5[0] - 2 * MARGIN - LABEL_WIDTH
    t = data.redeemed_at.astimezone(zone)
    rows = [
        ("利用店舗 Store", fit_lines(data.store_name, font, 10, value_width, 2)),
        ("利用日時 Date", [f"{t.year}年{t.month}月{t.day}日 {t:%H:%M} ({t.tzname()})"]),
        ("残高 Balance", [f"¥{data.balance_after_yen:,}"]),
        *_rest_rows(data.rest),
        ("受付番号 Receipt No.", fit_lines(data.receipt_number, font, 10, value_width, 1)),
        ("券番号 Voucher No.", [f"**** **** {_clean(data.voucher_number)[-4:]}"]),
    ]
    pdf.setFont(font, 10)
    for label, values in rows:
        pdf.drawString(MARGIN, y, label)
        for value in values:
            pdf.drawString(MARGIN + LABEL_WIDTH, y, value)
            y -= 15
        y -= 9
    return y
