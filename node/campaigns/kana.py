"""Names written as the bank wants them: half-width katakana (JIS X 0201) in the 全銀 character set.

A bank matches a transfer's 受取人名 with the account's registered name, byte for byte, in a
narrow alphabet: half-width katakana without small kana, the dakuten and handakuten as bytes of
their own (ガ is ｶﾞ), upper-case letters, digits and a few symbols. People type names in every
other form (hiragana, full-width katakana and letters, lower case, 株式会社, ㈱), so every name a
transfer carries goes through `to_zengin_kana` first; what cannot be written in that alphabet
(kanji above all) is refused, naming the character and, for a store, the store, since guessing a
reading would send money to a name the bank rejects. Pure: no I/O.

The conversion, in order:
1. NFKC: full-width letters, digits and symbols become ASCII; half-width katakana become
   full-width (so every input goes through one table); ㈱ becomes (株).
2. A company form (法人の種類, `COMPANY_FORMS`) becomes its bank abbreviation, placed by where it
   stands: at the start `ｶ)ﾔﾏﾀﾞ`, at the end `ﾔﾏﾀﾞ(ｶ`, in the middle `ﾔﾏﾀﾞ(ｶ)ﾎﾝﾃﾝ`.
3. Letter by letter: lower case to upper; hiragana to katakana; small kana to large
   (ｬ → ﾔ, ｯ → ﾂ, ｧ → ｱ, ヮ → ﾜ, ヵ → ｶ, ヶ → ｹ); ヲ → ｵ, ヰ → ｲ, ヱ → ｴ (the 全銀 set has no ｦ);
   the long vowel mark and dashes to `-`; ・ and 。 to `.`, 、 to `,`, 「」 to ｢｣; a voiced kana
   to its base and ﾞ, a semi-voiced one to its base and ﾟ.
4. Anything else is refused (`bank.holder_not_kana`, the character in `character`).
"""

from __future__ import annotations

import string
import unicodedata

from node.errors import HolderNotKana

# The characters a 全銀 name field may hold (JIS X 0201, as the banks' tables list them).
HALF_KATAKANA = "".join(chr(c) for c in range(0xFF71, 0xFF9E))  # ｱ .. ﾝ
DAKUTEN, HANDAKUTEN = "\uff9e", "\uff9f"  # ﾞ ﾟ
SYMBOLS = " ()-./,\uff62\uff63"  # space ( ) - . / , ｢ ｣
ZENGIN_CHARACTERS = frozenset(
    string.digits + string.ascii_uppercase + HALF_KATAKANA + DAKUTEN + HANDAKUTEN + SYMBOLS
)

# 法人の種類 and the abbreviation the banks' common table gives it (longest first, so that
# 一般社団法人 is not read as 社団法人). The parenthesised one-kanji forms are what NFKC makes of
# ㈱ ㈲ and of the parenthesised 株 typed in full width.
COMPANY_FORMS: tuple[tuple[str, str], ...] = (
    ("特定非営利活動法人", "ﾄｸﾋ"),
    ("独立行政法人", "ﾄﾞｸ"),
    ("社会福祉法人", "ﾌｸ"),
    ("一般社団法人", "ｼﾔ"),
    ("公益社団法人", "ｼﾔ"),
    ("一般財団法人", "ｻﾞｲ"),
    ("公益財団法人", "ｻﾞｲ"),
    ("医療法人社団", "ｲ"),
    ("医療法人財団", "ｲ"),
    ("税理士法人", "ｾﾞｲ"),
    ("弁護士法人", "ﾍﾞﾝ"),
    ("株式会社", "ｶ"),
    ("有限会社", "ﾕ"),
    ("合名会社", "ﾒ"),
    ("合資会社", "ｼ"),
    ("合同会社", "ﾄﾞ"),
    ("医療法人", "ｲ"),
    ("社団法人", "ｼﾔ"),
    ("財団法人", "ｻﾞｲ"),
    ("学校法人", "ｶﾞｸ"),
    ("宗教法人", "ｼﾕｳ"),
    ("監査法人", "ｶﾝｻ"),
    ("(株)", "ｶ"),
    ("(有)", "ﾕ"),
    ("(名)", "ﾒ"),
    ("(資)", "ｼ"),
    ("(同)", "ﾄﾞ"),
)

_SMALL_TO_LARGE = str.maketrans("ァィゥェォャュョッヮヵヶヲヰヱ", "アイウエオヤユヨツワカケオイエ")
_SPELLED_AS = {
    "ー": "-",
    "\u2010": "-",  # hyphen
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",  # minus sign
    "・": ".",
    "。": ".",
    "、": ",",
    "「": "\uff62",
    "」": "\uff63",
    "\u3099": DAKUTEN,
    "\u309a": HANDAKUTEN,
}
# Full-width katakana to half-width: NFKC maps each half-width kana to its full-width form, so
# the reverse of that map is exactly the JIS X 0201 repertoire.
_FULL_TO_HALF = {unicodedata.normalize("NFKC", half): half for half in HALF_KATAKANA}


def to_zengin_kana(text: str, *, field: str = "holder_kana", store_id: str | None = None) -> str:
    """`text` in the 全銀 alphabet, or HolderNotKana naming the first character, as typed, that
    has no place in it (and `store_id` when the name is a store's). Spaces around it go."""
    # Each character is normalised alone, so that a refusal can name what the person typed
    # (NFKC makes ¼ three characters); a half-width kana and its ﾞ still meet again below.
    pieces = [(unicodedata.normalize("NFKC", typed), typed) for typed in text]
    normal = "".join(piece for piece, _ in pieces)
    typed_at = [typed for piece, typed in pieces for _ in piece]
    start = len(normal) - len(normal.lstrip())
    end = len(normal.rstrip())
    for form, abbreviation in COMPANY_FORMS:
        at = normal.find(form, start, end)
        if at < 0:
            continue
        before = _letters(normal, typed_at, start, at, field, store_id)
        after = _letters(normal, typed_at, at + len(form), end, field, store_id)
        if not before and not after:
            return abbreviation
        if not before:
            return f"{abbreviation}){after}"
        if not after:
            return f"{before}({abbreviation}"
        return f"{before}({abbreviation}){after}"
    return _letters(normal, typed_at, start, end, field, store_id)


def _letters(
    normal: str, typed_at: list[str], start: int, end: int, field: str, store_id: str | None
) -> str:
    """normal[start:end] written letter by letter, without the spaces at its ends."""
    while start < end and normal[start].isspace():
        start += 1
    while end > start and normal[end - 1].isspace():
        end -= 1
    out: list[str] = []
    for at in range(start, end):
        kana = _katakana(normal[at]).translate(_SMALL_TO_LARGE)
        for letter in unicodedata.normalize("NFD", kana):
            written = _FULL_TO_HALF.get(letter) or _SPELLED_AS.get(letter) or letter.upper()
            if written not in ZENGIN_CHARACTERS:
                raise HolderNotKana(
                    f"{typed_at[at]!r} cannot be written in the bank's half-width katakana",
                    character=typed_at[at],
                    field=field,
                    store_id=store_id,
                )
            out.append(written)
    return "".join(out)


def _katakana(letter: str) -> str:
    """Hiragana to katakana (the two blocks are 0x60 apart); anything else as it is."""
    return chr(ord(letter) + 0x60) if "\u3041" <= letter <= "\u3096" else letter


def is_zengin_kana(text: str) -> bool:
    """Whether `text` is already written in the 全銀 alphabet (what a stored name must be)."""
    return all(letter in ZENGIN_CHARACTERS for letter in text)


def byte_width(text: str) -> int:
    """Its length in Shift_JIS bytes, the unit of a 全銀 field (ｶﾞ is two)."""
    return len(text.encode("cp932"))


def fits(text: str, width: int) -> bool:
    """Whether `text` fits a C field of `width` bytes."""
    return byte_width(text) <= width


def cut_to_width(text: str, width: int) -> str:
    """The longest start of `text` that fits `width` bytes (a bank or branch name the dataset
    spells longer than the field; the bank reads the field, not the dataset)."""
    encoded = text.encode("cp932")[:width]
    return encoded.decode("cp932")  # every 全銀 character is one byte: no character is split
