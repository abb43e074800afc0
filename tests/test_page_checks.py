"""The page checker (tests/page_checks.py) catches what it is there to catch, and nothing people typed."""

from __future__ import annotations

from tests.page_checks import language_problems


def test_an_error_code_or_json_on_any_page_is_found() -> None:
    for lang in ("ja", "en"):
        assert language_problems(["エラー voucher.code_used"], lang) == [
            "error code 'voucher.code_used' in 'エラー voucher.code_used'"
        ]
        assert language_problems(['{"error": {"code": "x"}}'], lang)[0].startswith("a JSON error")


def test_english_of_ours_or_any_english_sentence_on_a_japanese_page_is_found() -> None:
    ours = "The voucher's balance is lower than the amount; ask for a smaller amount."
    assert language_problems([ours], "ja") == [f"untranslated {ours!r}"]
    assert language_problems([ours], "en") == []
    stray = "Could not reach the partner node in time."
    assert language_problems([stray], "ja")[0].startswith("English on a Japanese page")


def test_japanese_text_names_ids_and_amounts_pass() -> None:
    fine = [
        "残高が足りません。",
        "山田 太郎",
        "hanako@example.jp",
        "st_6wywkisklc3zc",
        "¥8,000",
        "PDF",
    ]
    assert language_problems(fine, "ja") == []
    assert language_problems(["Shinjuku East Store"], "ja") == []  # a name: no sentence's stop
