"""The customer's receipt PDF: what it says, what it hides, and hostile names that must not break it."""

from __future__ import annotations

import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest

from node.errors import ReceiptUnavailable
from node.web.pdf_fonts import find_font
from node.web.receipt import IssuerFacts, ReceiptData, render_receipt

TOKYO = ZoneInfo("Asia/Tokyo")
VOUCHER = "987654323456"
RECEIPT = ReceiptData(
    issuer_name="居酒屋 さくら",
    store_name="渋谷店",
    receipt_number="R-000123",
    redeemed_at=datetime(2026, 11, 24, 5, 5, tzinfo=UTC),  # 14:05 in Tokyo
    amount_yen=8000,
    balance_after_yen=2000,
    voucher_number=VOUCHER,
)


ISSUER = IssuerFacts(
    address="東京都渋谷区道玄坂1-2-3 さくらビル5階",
    phone="03-1234-5678",
    registration_number="T4011001098993",
)
FOR_A_CLAIM = dataclasses.replace(
    RECEIPT,
    issuer_name="株式会社さくらフーズ",
    addressee="株式会社テスト商事 経理部",
    honorific="御中",
    proviso="ご飲食代として",
    brand_name="さくらPay",
    issuer=ISSUER,
)


@pytest.fixture(scope="module")
def font() -> Path:
    # No skip when the font is missing: receipts need it, and the docs say to install it.
    return find_font("")


def _read(pdf: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, reader.pages[0].extract_text()


def test_the_receipt_states_the_redemption_in_japanese(font: Path) -> None:
    reader, text = _read(render_receipt(RECEIPT, TOKYO, font))
    for expected in (
        "領収書",
        "利用金額",
        "残高",
        "受付番号",
        "前払式支払手段のご利用",
        "居酒屋 さくら",
        "渋谷店",
        "¥8,000",
        "¥2,000",
        "R-000123",
        "**** **** 3456",
        "2026年11月24日 14:05",
    ):
        assert expected in text, f"{expected!r} missing from:\n{text}"
    assert "取消" not in text
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == "領収書 Receipt R-000123"
    assert reader.metadata.author == "居酒屋 さくら"


def test_the_full_voucher_number_is_never_printed(font: Path) -> None:
    pdf = render_receipt(RECEIPT, TOKYO, font)
    _, text = _read(pdf)
    assert VOUCHER not in text.replace(" ", "")
    assert "98765432" not in text.replace(" ", "")
    assert VOUCHER.encode() not in pdf


def test_the_time_is_printed_in_the_nodes_zone(font: Path) -> None:
    _, text = _read(render_receipt(RECEIPT, ZoneInfo("UTC"), font))
    assert "2026年11月24日 05:05" in text


def test_large_amounts_have_thousands_separators(font: Path) -> None:
    big = dataclasses.replace(RECEIPT, amount_yen=1_234_567, balance_after_yen=0)
    _, text = _read(render_receipt(big, TOKYO, font))
    assert "¥1,234,567" in text
    assert "¥0" in text


def test_a_voided_redemption_is_stamped_void(font: Path) -> None:
    voided = dataclasses.replace(RECEIPT, voided=True)
    _, text = _read(render_receipt(voided, TOKYO, font))
    assert "取消" in text
    assert "VOID" in text
    assert "¥8,000" in text


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        dataclasses.replace(RECEIPT, redeemed_at=datetime(2026, 11, 24, 14, 5))


@pytest.mark.parametrize(
    "name",
    [
        "さ" * 10_000,
        "Trattoria " * 1_000,
        "X" * 10_000,
        "さくら\x00\x07\x1b[31m\u202e\r\n\t本店\ud800\ufeff",
        "<script>alert('x')</script> &amp; <b>居酒屋</b>",
        "",
        "\x00\x01\x02",
        "🍣" * 50,
    ],
    ids=[
        "long-cjk",
        "long-words",
        "long-latin",
        "controls",
        "html",
        "empty",
        "only-controls",
        "emoji",
    ],
)
def test_hostile_names_still_make_a_readable_one_page_receipt(font: Path, name: str) -> None:
    hostile = dataclasses.replace(
        FOR_A_CLAIM,
        issuer_name=name,
        store_name=name,
        addressee=name,
        proviso=name,
        brand_name=name,
    )
    reader, text = _read(render_receipt(hostile, TOKYO, font))
    assert len(reader.pages) == 1
    assert "¥8,000" in text
    assert "**** **** 3456" in text
    assert "前払式支払手段のご利用" in text
    for control in ("\x00", "\x07", "\x1b", "\u202e", "\ufeff"):
        assert control not in text


def test_a_very_long_name_is_cut_with_an_ellipsis(font: Path) -> None:
    long = dataclasses.replace(RECEIPT, issuer_name="さ" * 10_000, store_name="し" * 10_000)
    _, text = _read(render_receipt(long, TOKYO, font))
    assert "…" in text
    assert 0 < text.count("さ") < 60  # two lines at most, not ten thousand characters
    assert 0 < text.count("し") < 60


def test_control_characters_are_removed_and_markup_printed_as_text(font: Path) -> None:
    odd = dataclasses.replace(
        RECEIPT, issuer_name="さくら\x00\x1b\u202e本店", store_name="<b>渋谷</b>&amp;"
    )
    _, text = _read(render_receipt(odd, TOKYO, font))
    assert "さくら本店" in text
    assert "<b>渋谷</b>&amp;" in text


def test_receipts_render_from_several_threads_at_once(font: Path) -> None:
    names = [f"店舗{i}" for i in range(8)]

    def render(name: str) -> str:
        return _read(render_receipt(dataclasses.replace(RECEIPT, store_name=name), TOKYO, font))[1]

    with ThreadPoolExecutor(max_workers=8) as pool:
        texts = list(pool.map(render, names))
    for name, text in zip(names, texts, strict=True):
        assert name in text


def test_a_configured_font_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReceiptUnavailable) as caught:
        find_font(str(tmp_path / "no-such-font.ttf"))
    assert caught.value.code == "receipt.unavailable"
    assert caught.value.http_status == 503
    assert caught.value.to_json()["error"]["code"] == "receipt.unavailable"


def test_a_configured_font_that_exists_is_used_as_is(tmp_path: Path) -> None:
    configured = tmp_path / "my font.ttf"
    configured.write_bytes(b"not checked here")
    assert find_font(str(configured)) == configured


def test_without_a_configuration_a_known_japanese_font_is_found() -> None:
    found = find_font("")
    assert found.is_file()
    assert found.suffix in {".ttf", ".ttc"}


def test_a_file_that_is_not_a_truetype_font_makes_receipts_unavailable(
    tmp_path: Path,
) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"hello" * 100)
    with pytest.raises(ReceiptUnavailable) as caught:
        render_receipt(RECEIPT, TOKYO, bogus)
    assert caught.value.code == "receipt.unavailable"


def test_a_character_the_font_lacks_prints_as_a_question_mark(font: Path) -> None:
    sushi = dataclasses.replace(RECEIPT, store_name="🍣 Sushi 渋谷")
    _, text = _read(render_receipt(sushi, TOKYO, font))
    assert "? Sushi 渋谷" in text


def test_a_receipt_for_an_expense_claim_states_every_fact(font: Path) -> None:
    _, text = _read(render_receipt(FOR_A_CLAIM, TOKYO, font))
    for expected in (
        "株式会社テスト商事 経理部",  # 宛名
        "御中",
        "2026年11月24日",  # date
        "¥8,000-",  # amount
        "但し ご飲食代として",  # 但し書き
        "上記正に領収いたしました",
        "R-000123",  # receipt number
        "渋谷店",  # store
        "デジタル商品券 さくらPay",  # how it was paid
        "株式会社さくらフーズ",  # issuer
        "東京都渋谷区道玄坂1-2-3 さくらビル5階",
        "TEL 03-1234-5678",
        "登録番号 T4011001098993",
        "消費税の税率・税額は記載していません",  # no rate configured: none stated
    ):
        assert expected in text, f"{expected!r} missing from:\n{text}"
    assert "%対象" not in text


def test_a_blank_addressee_leaves_the_line_to_fill_in_with_sama(font: Path) -> None:
    _, text = _read(render_receipt(RECEIPT, TOKYO, font))
    assert "様" in text and "御中" not in text


def test_a_configured_rate_states_the_tax_included(font: Path) -> None:
    taxed = dataclasses.replace(
        FOR_A_CLAIM, issuer=dataclasses.replace(ISSUER, tax_rate_percent=10)
    )
    _, text = _read(render_receipt(taxed, TOKYO, font))
    assert "10%対象 ¥8,000 (内消費税等 ¥727)" in text  # 8,000 x 10/110 = 727.27, rounded down
    assert "記載していません" not in text
    reduced = dataclasses.replace(taxed, issuer=dataclasses.replace(ISSUER, tax_rate_percent=8))
    assert "8%対象 ¥8,000 (内消費税等 ¥592)" in _read(render_receipt(reduced, TOKYO, font))[1]


def test_a_rate_without_a_registration_number_states_no_tax(font: Path) -> None:
    unregistered = dataclasses.replace(
        FOR_A_CLAIM, issuer=IssuerFacts(tax_rate_percent=10, registration_number="")
    )
    _, text = _read(render_receipt(unregistered, TOKYO, font))
    assert "%対象" not in text and "登録番号" not in text


def test_a_use_at_a_partner_carries_neither_our_number_nor_a_tax(font: Path) -> None:
    partner = dataclasses.replace(
        FOR_A_CLAIM,
        issuer=dataclasses.replace(ISSUER, tax_rate_percent=10),
        partner_name="Trattoria B",
    )
    _, text = _read(render_receipt(partner, TOKYO, font))
    assert "T4011001098993" not in text and "%対象" not in text
    assert "提携先 Trattoria B でのご利用です" in text
    assert "東京都渋谷区道玄坂1-2-3" in text  # who issued the voucher stays on it


def test_the_brands_png_logo_is_drawn_and_a_damaged_one_is_left_out(font: Path) -> None:
    from tests.test_brand_config import png

    with_logo = dataclasses.replace(FOR_A_CLAIM, logo_png=png(40, 20))
    reader, text = _read(render_receipt(with_logo, TOKYO, font))
    assert len(reader.pages[0].images) == 1
    assert "¥8,000-" in text
    damaged = dataclasses.replace(FOR_A_CLAIM, logo_png=png()[:30])
    reader, text = _read(render_receipt(damaged, TOKYO, font))
    assert len(reader.pages[0].images) == 0
    assert "¥8,000-" in text


def test_only_sama_or_onchu_is_an_honorific() -> None:
    with pytest.raises(ValueError, match="honorific"):
        dataclasses.replace(RECEIPT, honorific="殿")
