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
from node.web.receipt import ReceiptData, find_font, render_receipt

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
    hostile = dataclasses.replace(RECEIPT, issuer_name=name, store_name=name)
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
