"""A participating store's A4 QR poster (店頭掲示用ポスター): the store's name, the office's, a
large QR code of `<public url>/pay/<store code>` that a resident's wallet opens, the store code
printed for typing, and a short instruction in Japanese and English. Drawn in the receipts'
Japanese font (node/web/receipt.py), the QR as vector squares so it prints sharp at any size."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from aiohttp import web
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from node.campaigns import store_actions
from node.errors import StoreNotFound
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.web.brand import page_brand
from node.web.pdf_fonts import drawing_font, find_font, fit_lines

MARGIN = 56.0
QR_SIDE = 340.0  # points: about 12 cm, read from a couple of metres
QUIET_MODULES = 4


def pay_url(public_url: str, store_code: str) -> str:
    """What the poster's QR encodes: the wallet's page for paying at this store."""
    return f"{public_url.rstrip('/')}/pay/{store_code}"


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules (dark is True), error correction M: a poster gets scuffed."""
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m").matrix]


def render_poster(
    store_name: str, office_name: str, url: str, store_code: str, font: Path
) -> bytes:
    """The poster as PDF bytes (A4 portrait, one page, the font embedded as a subset)."""
    with drawing_font(font) as name:
        buffer = io.BytesIO()
        pdf = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
        pdf.setTitle(f"{store_name} QR")
        pdf.setSubject("加盟店QRポスター Store QR poster")
        pdf.setCreator("Kippu")
        _draw(pdf, name, store_name, office_name, url, store_code)
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()


def _draw(pdf: Canvas, font: str, store: str, office: str, url: str, code: str) -> None:
    width, height = A4
    y = height - MARGIN - 14
    pdf.setFont(font, 14)
    pdf.drawCentredString(width / 2, y, f"{office} 加盟店 / Participating store")
    y -= 40
    pdf.setFont(font, 30)
    for line in fit_lines(store, font, 30, width - 2 * MARGIN, 2):
        pdf.drawCentredString(width / 2, y, line)
        y -= 38
    y -= 10
    _draw_qr(pdf, qr_matrix(url), (width - QR_SIDE) / 2, y - QR_SIDE)
    y -= QR_SIDE + 34
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, y, "店舗コード / Store code")
    y -= 40
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, y, " ".join(code))
    y -= 38
    pdf.setFont(font, 12)
    for line in (
        "マイ商品券でこのQRを読み取り、金額を入力してお支払いください。",
        "支払後の画面の時計が動いていることを店員にお見せください。",
        "Scan this QR in your wallet, key the amount and pay.",
        "Show staff the confirmation: its clock must be moving.",
    ):
        pdf.drawCentredString(width / 2, y, line)
        y -= 18
    pdf.setFont(font, 9)
    pdf.drawCentredString(width / 2, MARGIN, url)


def _draw_qr(pdf: Canvas, matrix: list[list[bool]], left: float, bottom: float) -> None:
    count = len(matrix) + 2 * QUIET_MODULES
    module = QR_SIDE / count
    top = bottom + QR_SIDE
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x = left + (c + QUIET_MODULES) * module
                y = top - (r + QUIET_MODULES + 1) * module
                # A hair wider than the module: no white seams between neighbours in print.
                pdf.rect(x, y, module + 0.05, module + 0.05, stroke=0, fill=1)


async def poster_response(node: Node, store_id: str) -> web.Response:
    """The store's poster as a download; the store is given its code first if it has none."""
    store = await ledger_queries.get_store(node.require_reader(), store_id)
    if store is None:
        raise StoreNotFound()
    code = await store_actions.store_code(node, store_id)
    font = find_font(node.config.web.receipt_font)
    office = page_brand(node.config).name
    url = pay_url(node.config.node.public_url, code)
    body = render_poster(store.name, office, url, code, font)
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="poster-{store_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
