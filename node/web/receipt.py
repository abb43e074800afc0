"""The customer's receipt (領収書) for one redemption, drawn as a one-page PDF in a Japanese font
(node/web/pdf_fonts.py finds and registers it)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.colors import red
from reportlab.lib.pagesizes import A5
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from node.ledger.tender import RestPayment
from node.web.pdf_fonts import clean_line, drawing_font, fit_lines

MARGIN = 40.0
LABEL_WIDTH = 120.0
log = logging.getLogger(__name__)
HONORIFICS = ("様", "御中")
LOGO_BOX = (90.0, 36.0)  # points: the logo's largest width and height
COMPLAINT_DESK_LINES = (
    8  # more than [issuer] complaint_desk's 200 characters take at 7 pt: never cut
)
LEGAL_LEADING = 9.0
LEGAL_FOOT = 16.0  # the lowest baseline of the legal block on a page
FULL_DISPLAY_LINE = (
    "表示事項の全文(残高の確認方法・注意事項・保全の方法等)は上記URLに掲載しています。"
)


@dataclass(frozen=True)
class IssuerFacts:
    """What the issuer states about itself on its receipts ([receipts] in config.toml)."""

    address: str = ""
    phone: str = ""
    registration_number: str = ""  # "T" and 13 digits, or "" when not registered
    tax_rate_percent: int = 0  # 0: no tax stated; 8 or 10: every sale is at this rate


@dataclass(frozen=True)
class LegalNote:
    """The compact legal display (資金決済法13条) a receipt carries: who issued the voucher,
    where to complain, where it can be used, and where the whole display and the terms are."""

    issuer_name: str
    complaint_desk: str
    places: str  # our stores, then the partners' ("" when none is listed)
    terms_url: str


@dataclass(frozen=True)
class SetVoucher:
    """One voucher of a set bought together (a premium campaign's 共通券 and 専用券)."""

    label: str  # what it is, in Japanese and English: 共通券 All stores
    face_yen: int
    voucher_number: str


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
    addressee: str = ""  # 宛名, as the customer typed it ("" leaves the line blank to fill in)
    honorific: str = "様"  # or 御中
    proviso: str = "お品代として"  # 但し書き
    brand_name: str = ""  # the voucher's name (さくらPay), for the payment method
    issuer: IssuerFacts = IssuerFacts()
    partner_name: str = ""  # set when used at a partner's store: the partner sold the goods
    logo_png: bytes = b""  # the brand's logo when it is a PNG (an SVG is not drawn)
    rest: RestPayment | None = None  # the rest of the sale paid another way (全額利用と差額)
    # A voucher bought in the wallet's shop (node/web/shop.py): the price paid by card for it,
    # `balance_after_yen` its face value; not a use of a voucher.
    is_purchase: bool = False
    legal: LegalNote | None = None  # the 資金決済法 display's compact block
    item_name: str = ""  # what was bought, when not the brand's voucher (a campaign's set)
    # The vouchers of a set bought together, each with its face: `balance_after_yen` is their sum.
    set_vouchers: tuple[SetVoucher, ...] = ()

    def __post_init__(self) -> None:
        if self.redeemed_at.tzinfo is None:
            raise ValueError("redeemed_at must be an aware datetime")
        if self.honorific not in HONORIFICS:
            raise ValueError(f"honorific must be one of {HONORIFICS}")

    @property
    def states_tax(self) -> bool:
        """Only a registered issuer states the tax, and only on what it sold itself."""
        rate = self.issuer.tax_rate_percent
        is_own_sale = not self.partner_name and not self.is_purchase  # a voucher is 非課税
        return bool(rate and self.issuer.registration_number and is_own_sale)

    @property
    def included_tax_yen(self) -> int:
        """The consumption tax inside the amount at the one configured rate, rounded down once."""
        rate = self.issuer.tax_rate_percent
        return self.amount_yen * rate // (100 + rate)


def render_receipt(data: ReceiptData, zone: ZoneInfo, font: Path) -> bytes:
    """The receipt as PDF bytes (A5, one page, the font embedded as a subset)."""
    with drawing_font(font) as name:
        return _draw(data, zone, name)


def _draw(data: ReceiptData, zone: ZoneInfo, font: str) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A5, invariant=1, pageCompression=1)
    pdf.setTitle(f"領収書 Receipt {clean_line(data.receipt_number)}")
    pdf.setAuthor(fit_lines(data.issuer_name, font, 10, 400, 1)[0])
    pdf.setSubject(
        "前払式支払手段のご購入 Prepaid voucher purchase"
        if data.is_purchase
        else "前払式支払手段のご利用 Prepaid voucher redemption"
    )
    pdf.setCreator("Kippu")
    y = _draw_heading(pdf, font, data)
    y = _draw_amount(pdf, font, y, data)
    y = _draw_details(pdf, font, y, data, zone)
    y = _draw_issuer(pdf, font, y, data)
    y = _draw_notes(pdf, font, y, data)
    if data.legal is not None:
        _draw_legal(pdf, font, y, data.legal)
    pdf.save()
    return buffer.getvalue()


def _draw_heading(pdf: Canvas, font: str, data: ReceiptData) -> float:
    """Title, the void stamp if any, and the addressee (宛名); the height below them."""
    page_width, page_height = A5
    y: float = page_height - MARGIN - 24
    if data.logo_png:
        _draw_logo(pdf, data.logo_png, page_height - MARGIN)
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
    line_end = page_width - MARGIN - 60
    lines = fit_lines(data.addressee, font, 14, line_end - MARGIN - 32, 2)
    pdf.setFont(font, 14)
    for line in lines:
        pdf.drawString(MARGIN, y, line)
        y -= 18
    y += 18
    pdf.drawString(line_end - 28, y, data.honorific)
    pdf.line(MARGIN, y - 5, line_end, y - 5)
    return y - 34


def _draw_logo(pdf: Canvas, png: bytes, top: float) -> None:
    """The brand's PNG logo in the top left corner, within LOGO_BOX, its proportions kept."""
    try:
        image = ImageReader(io.BytesIO(png))
        width, height = image.getSize()
        scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
        pdf.drawImage(
            image, MARGIN, top - height * scale, width * scale, height * scale, mask="auto"
        )
    except (OSError, ValueError, SyntaxError) as exc:  # a damaged file: the receipt goes without
        log.warning("the brand logo cannot be drawn on receipts: %s", exc)


def _draw_amount(pdf: Canvas, font: str, y: float, data: ReceiptData) -> float:
    """The amount, the 但し書き and the receipt's statement; the tax when the issuer states it."""
    page_width = A5[0]
    pdf.setFont(font, 10)
    pdf.drawString(
        MARGIN, y - 6, "お支払金額 Amount paid" if data.is_purchase else "利用金額 Amount"
    )
    pdf.setFont(font, 26)
    pdf.drawRightString(page_width - MARGIN, y - 10, f"¥{data.amount_yen:,}-")
    pdf.line(MARGIN, y - 20, page_width - MARGIN, y - 20)
    y -= 38
    pdf.setFont(font, 10)
    proviso = fit_lines(data.proviso, font, 10, page_width - 2 * MARGIN - 30, 1)[0]
    pdf.drawString(MARGIN, y, f"但し {proviso}")
    if data.states_tax:
        y -= 15
        rate = data.issuer.tax_rate_percent
        tax = f"{rate}%対象 ¥{data.amount_yen:,} (内消費税等 ¥{data.included_tax_yen:,})"
        pdf.drawString(MARGIN, y, tax)
    pdf.drawString(MARGIN, y - 15, "上記正に領収いたしました。")
    return y - 40


REST_METHODS = {"cash": "現金 Cash", "card": "カード Card", "other": "その他 Other"}


def _rest_rows(rest: RestPayment | None) -> list[tuple[str, list[str]]]:
    """The rest paid another way, if any: not from the voucher, shown so the sale reads whole."""
    if rest is None:
        return []
    return [("差額 Paid otherwise", [f"¥{rest.amount_yen:,} ({REST_METHODS[rest.method.value]})"])]


def _draw_details(pdf: Canvas, font: str, y: float, data: ReceiptData, zone: ZoneInfo) -> float:
    """Store, time, payment, balance and numbers as labelled rows from `y` down; the height below."""
    value_width = A5[0] - 2 * MARGIN - LABEL_WIDTH
    t = data.redeemed_at.astimezone(zone)
    if data.is_purchase:
        return _draw_rows(pdf, font, y, _purchase_rows(data, zone, font, value_width))
    method = f"デジタル商品券 {data.brand_name}".strip()
    rows = [
        ("利用店舗 Store", fit_lines(data.store_name, font, 10, value_width, 2)),
        ("利用日時 Date", [f"{t.year}年{t.month}月{t.day}日 {t:%H:%M} ({t.tzname()})"]),
        ("お支払い方法 Paid by", fit_lines(method, font, 10, value_width, 1)),
        ("残高 Balance", [f"¥{data.balance_after_yen:,}"]),
        *_rest_rows(data.rest),
        ("受付番号 Receipt No.", fit_lines(data.receipt_number, font, 10, value_width, 1)),
        ("券番号 Voucher No.", [f"**** **** {clean_line(data.voucher_number)[-4:]}"]),
    ]
    return _draw_rows(pdf, font, y, rows)


def _purchase_rows(
    data: ReceiptData, zone: ZoneInfo, font: str, value_width: float
) -> list[tuple[str, list[str]]]:
    """A voucher bought online: where, when, how it was paid, the voucher's face value."""
    t = data.redeemed_at.astimezone(zone)
    item = data.item_name or f"デジタル商品券 {data.brand_name}".strip()
    rows = [
        ("販売 Sold by", fit_lines(data.store_name, font, 10, value_width, 2)),
        ("購入日時 Date", [f"{t.year}年{t.month}月{t.day}日 {t:%H:%M} ({t.tzname()})"]),
        ("品目 Item", fit_lines(item, font, 10, value_width, 2)),
        ("お支払い方法 Paid by", ["クレジットカード Card"]),
        ("券面額 Face value", [f"¥{data.balance_after_yen:,}"]),
    ]
    vouchers = [
        f"{v.label} ¥{v.face_yen:,} (**** {clean_line(v.voucher_number)[-4:]})"
        for v in data.set_vouchers
    ]
    if vouchers:
        rows.append(
            (
                "内訳 Vouchers",
                [line for v in vouchers for line in fit_lines(v, font, 10, value_width, 1)],
            )
        )
    rows.append(("受付番号 Receipt No.", fit_lines(data.receipt_number, font, 10, value_width, 1)))
    if not vouchers:
        rows.append(("券番号 Voucher No.", [f"**** **** {clean_line(data.voucher_number)[-4:]}"]))
    return rows


def _draw_rows(pdf: Canvas, font: str, y: float, rows: list[tuple[str, list[str]]]) -> float:
    pdf.setFont(font, 10)
    for label, values in rows:
        pdf.drawString(MARGIN, y, label)
        for value in values:
            pdf.drawString(MARGIN + LABEL_WIDTH, y, value)
            y -= 14
        y -= 7
    return y


def _draw_issuer(pdf: Canvas, font: str, y: float, data: ReceiptData) -> float:
    """The issuer: name, address, telephone and, on what it sold itself, its 登録番号."""
    x = MARGIN + LABEL_WIDTH
    width = A5[0] - MARGIN - x
    y -= 8
    pdf.setFont(font, 8)
    pdf.drawString(MARGIN, y, "発行者 Issuer")
    pdf.setFont(font, 13)
    for line in fit_lines(data.issuer_name, font, 13, width, 2):
        pdf.drawString(x, y, line)
        y -= 17
    facts = data.issuer
    lines = [facts.address, f"TEL {facts.phone}" if facts.phone else ""]
    if facts.registration_number and not data.partner_name:
        lines.append(f"登録番号 {facts.registration_number}")
    pdf.setFont(font, 10)
    for text in filter(None, lines):
        for line in fit_lines(text, font, 10, width, 2):
            pdf.drawString(x, y, line)
            y -= 14
    return y - 6


def _draw_notes(pdf: Canvas, font: str, y: float, data: ReceiptData) -> float:
    """What kind of receipt this is, so nobody reads into it a tax statement it does not make."""
    notes = [
        "前払式支払手段のご利用による領収です。",
        "Paid with a prepaid voucher (前払式支払手段).",
    ]
    if data.is_purchase:
        notes = [
            "前払式支払手段 (デジタル商品券) のご購入代金の領収です。",
            "Paid for a prepaid voucher (前払式支払手段).",
            "物品切手等の譲渡につき、消費税は非課税です。",
        ]
    elif data.partner_name:
        partner = fit_lines(data.partner_name, font, 8, 200, 1)[0]
        notes.append(f"提携先 {partner} でのご利用です。お買い物の適格請求書は提携先が発行します。")
    elif not data.states_tax:
        notes.append("消費税の税率・税額は記載していません。")
    pdf.setFont(font, 8)
    for note in notes:
        pdf.drawString(MARGIN, y, note)
        y -= 11
    return y


def _draw_legal(pdf: Canvas, font: str, y: float, legal: LegalNote) -> None:
    """The compact 資金決済法 block under a rule, in small type: the issuer, the complaint desk in
    full (a required item is never cut), where usable, and where the whole display is. What
    does not fit above the page's foot goes on to a second page rather than being dropped."""
    width = A5[0] - 2 * MARGIN - 70
    y -= 4
    pdf.line(MARGIN, y + 8, A5[0] - MARGIN, y + 8)
    pdf.setFont(font, 7)
    pdf.drawString(MARGIN, y, "資金決済法に基づく表示 (Payment Services Act)")
    y -= 10
    rows = [
        ("発行者", legal.issuer_name, 1),
        ("苦情・相談窓口", legal.complaint_desk or "-", COMPLAINT_DESK_LINES),
        ("使用できる場所", legal.places or "-", 2),
        ("約款・表示の全文", legal.terms_url, 1),
    ]
    for label, text, max_lines in rows:
        lines = fit_lines(text, font, 7, width, max_lines)
        y = _room_for(pdf, font, y, len(lines))
        pdf.drawString(MARGIN, y, label)
        for line in lines:
            pdf.drawString(MARGIN + 70, y, line)
            y -= LEGAL_LEADING
    lines = fit_lines(FULL_DISPLAY_LINE, font, 7, width + 70, 2)
    y = _room_for(pdf, font, y, len(lines))
    for line in lines:
        pdf.drawString(MARGIN, y, line)
        y -= LEGAL_LEADING


def _room_for(pdf: Canvas, font: str, y: float, lines: int) -> float:
    """`y` when `lines` lines from it stay above the page's foot; else the top of a new page."""
    if y - LEGAL_LEADING * (lines - 1) >= LEGAL_FOOT:
        return y
    pdf.showPage()
    pdf.setFont(font, 7)
    return float(A5[1]) - MARGIN
