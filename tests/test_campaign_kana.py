"""Names in the bank's half-width katakana: the conversion cases banks publish, and properties
over any text (what comes out is always in the 全銀 alphabet, converting twice changes nothing,
what cannot be written is refused naming the character)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.campaigns.kana import (
    ZENGIN_CHARACTERS,
    byte_width,
    cut_to_width,
    fits,
    is_zengin_kana,
    to_zengin_kana,
)
from node.errors import HolderNotKana


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("キャノン", "ｷﾔﾉﾝ"),  # small ャ becomes large
        ("ガス", "ｶﾞｽ"),  # dakuten a byte of its own
        ("パン", "ﾊﾟﾝ"),  # handakuten too
        ("カップ", "ｶﾂﾌﾟ"),  # small ッ becomes ツ
        ("ファミリー", "ﾌｱﾐﾘ-"),  # small ァ; the long vowel mark becomes -
        ("ヴィラ", "ｳﾞｲﾗ"),
        ("ヶ丘".replace("丘", "オカ"), "ｹｵｶ"),
        ("ヲカダ", "ｵｶﾀﾞ"),  # the 全銀 set has no ｦ
        ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),  # hiragana
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),  # an ideographic space
        ("ｶﾞｽ", "ｶﾞｽ"),  # already half-width
        ("ＡＢＣ１２３", "ABC123"),  # full-width letters and digits
        ("abc", "ABC"),
        ("ﾔﾏﾀﾞ（ﾀﾛｳ）", "ﾔﾏﾀﾞ(ﾀﾛｳ)"),
        ("パン・ド・ミー", "ﾊﾟﾝ.ﾄﾞ.ﾐ-"),
        ("「カギ」", "｢ｶｷﾞ｣"),
        ("  ヤマダ  ", "ﾔﾏﾀﾞ"),
    ],
)
def test_the_published_conversion_cases(typed: str, written: str) -> None:
    assert to_zengin_kana(typed) == written


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("株式会社ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("株式会社　ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("ヤマダ株式会社", "ﾔﾏﾀﾞ(ｶ"),
        ("ヤマダ株式会社ホンテン", "ﾔﾏﾀﾞ(ｶ)ﾎﾝﾃﾝ"),
        ("㈱ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("（株）ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("ヤマダ(有)", "ﾔﾏﾀﾞ(ﾕ"),
        ("有限会社ヤマダ", "ﾕ)ﾔﾏﾀﾞ"),
        ("合同会社ミナト", "ﾄﾞ)ﾐﾅﾄ"),
        ("合名会社ミナト", "ﾒ)ﾐﾅﾄ"),
        ("合資会社ミナト", "ｼ)ﾐﾅﾄ"),
        ("一般社団法人ミナト", "ｼﾔ)ﾐﾅﾄ"),
        ("ミナト公益財団法人", "ﾐﾅﾄ(ｻﾞｲ"),
        ("医療法人社団ミナト", "ｲ)ﾐﾅﾄ"),
        ("特定非営利活動法人ミナト", "ﾄｸﾋ)ﾐﾅﾄ"),
        ("社会福祉法人ミナト", "ﾌｸ)ﾐﾅﾄ"),
        ("学校法人ミナト", "ｶﾞｸ)ﾐﾅﾄ"),
        ("株式会社", "ｶ"),
    ],
)
def test_company_forms_become_the_bank_abbreviation_by_position(typed: str, written: str) -> None:
    assert to_zengin_kana(typed) == written


@pytest.mark.parametrize(
    ("typed", "offending"),
    [("山田タロウ", "山"), ("ヤマダ商店", "商"), ("ヤマダ★", "★"), ("ヤマダ!", "!"), ("ﾔﾏﾀﾞ&", "&")],
)
def test_kanji_and_other_signs_are_refused_naming_the_character(typed: str, offending: str) -> None:
    with pytest.raises(HolderNotKana) as refused:
        to_zengin_kana(typed, store_id="st_abc")
    assert refused.value.code == "bank.holder_not_kana"
    assert refused.value.details == {
        "character": offending,
        "field": "holder_kana",
        "store_id": "st_abc",
    }
    assert offending in refused.value.message


def test_a_kanji_left_beside_a_company_form_is_refused() -> None:
    with pytest.raises(HolderNotKana) as refused:
        to_zengin_kana("株式会社山田")
    assert refused.value.details["character"] == "山"


def test_fits_counts_shift_jis_bytes_not_characters() -> None:
    assert byte_width("ｶﾞｽ") == 3
    assert len("ガス") == 2
    assert fits("ｶﾞ" * 15, 30)
    assert not fits("ｶﾞ" * 15 + "ｱ", 30)
    assert fits("", 0)
    assert cut_to_width("ﾐﾂｲｽﾐﾄﾓｼﾝﾀｸｷﾞﾝｺｳ", 15) == "ﾐﾂｲｽﾐﾄﾓｼﾝﾀｸｷﾞﾝｺ"
    assert byte_width(cut_to_width("ﾐﾂｲｽﾐﾄﾓｼﾝﾀｸｷﾞﾝｺｳ", 15)) == 15


def test_every_character_of_the_set_is_one_shift_jis_byte_and_reads_back() -> None:
    for character in ZENGIN_CHARACTERS:
        encoded = character.encode("cp932")
        assert len(encoded) == 1, character
        assert encoded.decode("cp932") == character
    assert "ｱ".encode("cp932") == b"\xb1"


KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x30FC)
NAME_PARTS = st.text(
    alphabet=st.one_of(KANA, st.sampled_from("ABCxyz019 ()-./,ＡＺ０９（）　ｱｶﾞﾊﾟｯｬ")), max_size=30
)


@given(NAME_PARTS)
def test_whatever_converts_is_in_the_alphabet_and_converts_to_itself(text: str) -> None:
    try:
        written = to_zengin_kana(text)
    except HolderNotKana as refused:
        assert refused.details["character"] in text
        return
    assert is_zengin_kana(written)
    assert to_zengin_kana(written) == written
    assert byte_width(written) == len(written)


@given(st.text(max_size=20))
def test_any_text_converts_or_is_refused_with_a_character_it_holds(text: str) -> None:
    try:
        written = to_zengin_kana(text)
    except HolderNotKana as refused:
        assert refused.code == "bank.holder_not_kana"
        assert refused.details["character"] in text
        return
    assert is_zengin_kana(written)


@given(
    st.text(alphabet=st.sampled_from(sorted(ZENGIN_CHARACTERS)), max_size=40), st.integers(0, 40)
)
def test_a_cut_fits_and_is_the_longest_start_that_does(text: str, width: int) -> None:
    cut = cut_to_width(text, width)
    assert fits(cut, width)
    assert text.startswith(cut)
    assert cut == text or byte_width(cut) == width
