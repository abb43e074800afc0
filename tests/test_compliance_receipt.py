"""The receipt's compact legal display (資金決済法13条): issuer, complaint desk, where usable, terms."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdf

from node.compliance.display import UsablePlaces, build_display
from node.config.model import IssuerConfig
from node.ledger.tender import rest_payment
from node.web.receipt import render_receipt
from node.web.receipt_data import legal_note
from tests.test_receipt import FOR_A_CLAIM, TOKYO, font

__all__ = ["font"]  # the fixture, shared with test_receipt.py

ISSUER = IssuerConfig(
    legal_name="株式会社さくらフーズ",
    complaint_desk="お客様相談室 東京都渋谷区1-2-3 03-0000-0000",
    fraud_policy="全額補償",
)
PLACES = UsablePlaces(("渋谷店", "新宿店"), (("ぶどう屋", ("一号店", "二号店")), ("もも屋", ())))


def _lowest_text(pdf: bytes) -> tuple[str, float]:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    ys: list[float] = []
    text = page.extract_text(
        visitor_text=lambda t, cm, tm, *_: ys.append(tm[5]) if t.strip() else None
    )
    return text, min(ys)


def test_the_receipt_carries_the_compact_legal_display(font: Path) -> None:
    legal = build_display(
        ISSUER, node_name="sakura", brand_name="", public_url="https://k.example", places=PLACES
    )
    note = legal_note(legal)
    assert note.places == "渋谷店、新宿店 / 提携先: ぶどう屋 (一号店、二号店)、もも屋"
    data = dataclasses.replace(FOR_A_CLAIM, legal=note)
    text, lowest = _lowest_text(render_receipt(data, TOKYO, font))
    for expected in (
        "資金決済法に基づく表示",
        "株式会社さくらフーズ",
        "お客様相談室",
        "ぶどう屋",
        "https://k.example/terms",
    ):
        assert expected in text, expected
    assert lowest > 20  # on the page, above its edge


def test_the_fullest_receipt_still_fits_the_page(font: Path) -> None:
    long = "長い名前" * 40
    legal = build_display(
        dataclasses.replace(ISSUER, complaint_desk=long, legal_name=long),
        node_name="x",
        brand_name="",
        public_url="https://k.example",
        places=UsablePlaces((long,), ((long, (long,)),)),
    )
    data = dataclasses.replace(
        FOR_A_CLAIM,
        store_name=long,
        addressee=long,
        issuer_name=long,
        partner_name=long,
        rest=rest_payment(500, "cash"),
        legal=legal_note(legal),
    )
    pdf = render_receipt(data, TOKYO, font)
    _text, lowest = _lowest_text(pdf)
    assert lowest > 10
    # What the first page has no room for goes on, never dropped: the pointer to the full text.
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert "表示事項の全文" in "".join(page.extract_text() for page in pages)


def test_the_complaint_desk_is_printed_whole_and_the_full_display_is_pointed_to(
    font: Path,
) -> None:
    """A required item is never cut: a long desk (address, phone, hours) prints to its end."""
    desk = (
        "お客様相談室 東京都渋谷区道玄坂一丁目二番三号 さくらフーズ本社ビル十階 " * 3
        + "TEL 03-1234-5678"
    )
    legal = build_display(
        dataclasses.replace(ISSUER, complaint_desk=desk),
        node_name="sakura",
        brand_name="",
        public_url="https://k.example",
        places=PLACES,
    )
    data = dataclasses.replace(FOR_A_CLAIM, legal=legal_note(legal))
    text, lowest = _lowest_text(render_receipt(data, TOKYO, font))
    assert "03-1234-5678" in text and "…" not in text
    assert "表示事項の全文" in text and "https://k.example/terms" in text
    assert lowest > 10
