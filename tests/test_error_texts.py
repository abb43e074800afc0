"""Every error code reads in Japanese and English on a page, with the facts its raise sites pass.

The texts live in node/web/texts/errors*.py (split by area); node/web/i18n.py `error_text` fills them. A code
added to the tree without texts, a text naming a fact that some raise site does not pass, or an
explainer that lets the English API message through, fails here.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from node.errors import KippuError
from node.web.i18n import OPTIONAL_PART, PLACEHOLDER, TEXTS, error_explainer, error_text

NODE = Path(__file__).resolve().parent.parent / "node"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
STYLES = {"", "yen", "minutes", "error", "label"}


def error_classes() -> dict[str, type[KippuError]]:
    """Every class of the tree by name, found from the root (as the pages' checker does)."""
    found: dict[str, type[KippuError]] = {}
    pending: list[type[KippuError]] = [KippuError]
    while pending:
        cls = pending.pop()
        found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


def construction_sites() -> dict[str, list[tuple[str, set[str] | None]]]:
    """For each error class, every place in node/ that makes one: (where, keyword names), or
    None for the names when it passes **details (anything could be there)."""
    names = set(error_classes())
    sites: dict[str, list[tuple[str, set[str] | None]]] = defaultdict(list)
    for path in NODE.rglob("*.py"):
        if path.parent.name == "errors":
            continue
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in names:
                continue
            keywords = {k.arg for k in call.keywords}
            where = f"{path.relative_to(NODE.parent)}:{call.lineno}"
            sites[name].append((where, None if None in keywords else {str(k) for k in keywords}))
    return sites


def placeholders(text: str) -> tuple[set[str], set[str]]:
    """(facts a text always names, facts it names only inside an optional [part])."""
    optional = {
        m.group(1) for part in OPTIONAL_PART.findall(text) for m in PLACEHOLDER.finditer(part)
    }
    required = {m.group(1) for m in PLACEHOLDER.finditer(OPTIONAL_PART.sub("", text))}
    return required, optional


def test_every_code_has_a_japanese_and_an_english_text() -> None:
    missing, not_japanese, empty = [], [], []
    for cls in error_classes().values():
        entry = TEXTS.get(f"error:{cls.code}")
        if entry is None:
            missing.append(cls.code)
            continue
        ja, en = entry
        if not JAPANESE.search(ja):
            not_japanese.append(cls.code)
        if not en.strip() or JAPANESE.search(en):
            empty.append(cls.code)
    assert not missing, f"error codes without texts in node/web/texts/: {sorted(missing)}"
    assert not not_japanese, f"Japanese column is not Japanese: {sorted(not_japanese)}"
    assert not empty, f"English column empty or Japanese: {sorted(empty)}"


def test_no_text_for_a_code_that_is_gone() -> None:
    codes = {cls.code for cls in error_classes().values()}
    stale = {key for key in TEXTS if key.startswith("error:") and key[6:] not in codes}
    assert not stale, f"texts for codes no error has: {sorted(stale)}"


def test_every_field_an_error_can_name_has_a_label() -> None:
    """A `field` detail reads as the field's name on the page, not as the API's key."""
    named = set()
    for path in NODE.rglob("*.py"):
        named |= set(re.findall(r'\bfield="(\w+)"', path.read_text(encoding="utf-8")))
    unlabelled = {name for name in named if f"field:{name}" not in TEXTS}
    assert not unlabelled, f"fields without a field:<name> text: {sorted(unlabelled)}"


def test_both_languages_name_the_same_facts_in_known_styles() -> None:
    for key, (ja, en) in TEXTS.items():
        if not key.startswith("error:"):
            continue
        assert placeholders(ja) == placeholders(en), key
        styles = {m.group(2) or "" for m in PLACEHOLDER.finditer(ja + en)}
        assert styles <= STYLES, (key, styles - STYLES)
        for text in (ja, en):
            assert "[" not in OPTIONAL_PART.sub("", text), f"{key}: an unclosed [ in {text!r}"


def test_every_fact_a_text_names_is_passed_where_the_error_is_raised() -> None:
    sites = construction_sites()
    problems = []
    for name, cls in error_classes().items():
        required, optional = placeholders(TEXTS[f"error:{cls.code}"][0])
        made = sites.get(name, [])
        for where, passed in made:
            if passed is not None and required - passed:
                problems.append(f"{where}: {name} without {sorted(required - passed)}")
        for fact in optional | required:
            if not any(passed is None or fact in passed for _, passed in made):
                problems.append(f"{name}'s text names {fact!r}, which no raise site passes")
    assert not problems, "\n".join(problems)


def test_a_page_never_shows_the_english_message_of_the_api() -> None:
    """Whatever English message a raise site wrote, the Japanese page reads Japanese."""
    japanese, english = error_explainer("ja"), error_explainer("en")
    for cls in error_classes().values():
        error = cls.__new__(cls)  # some classes take other arguments; the base sets these
        KippuError.__init__(error, "The API's own English detail: `field` must be 1..72.")
        assert JAPANESE.search(japanese(error)), cls.code
        assert "`field`" not in japanese(error) + english(error), cls.code
        ja = TEXTS[f"error:{cls.code}"][0]
        if not PLACEHOLDER.search(ja):
            assert japanese(error) == ja, cls.code


def test_facts_are_written_as_people_write_them() -> None:
    assert error_text("ledger.insufficient_balance", {"balance": 2000}, "ja") == (
        "残高が足りません（残高 ¥2,000）。金額を減らすか、全額利用を選んでください。"
    )
    assert "(balance ¥1,234,567)" in error_text(
        "ledger.insufficient_balance", {"balance": 1234567}, "en"
    )
    assert error_text("auth.throttled", {"retry_after_s": 61}, "ja").startswith(
        "試行の回数が多すぎます。2分ほど"
    )
    rejected = error_text("settlement.claim_rejected", {"reason": "voucher.code_used"}, "ja")
    assert "理由: このコードは使用済みです。" in rejected


def test_a_missing_or_odd_fact_leaves_out_its_part() -> None:
    assert error_text("ledger.insufficient_balance", {}, "ja") == (
        "残高が足りません。金額を減らすか、全額利用を選んでください。"
    )
    assert error_text("ledger.insufficient_balance", {"balance": "lots"}, "en") == (
        "The balance is too low. Please lower the amount or use the whole balance."
    )
    assert "理由" not in error_text("settlement.claim_rejected", {"reason": "no.such"}, "ja")
    assert error_text("no.such_code", {}, "en") == TEXTS["error:internal.error"][1]


@given(
    st.sampled_from(sorted(k[6:] for k in TEXTS if k.startswith("error:"))),
    st.dictionaries(
        st.sampled_from(
            ["balance", "limit", "limit_yen", "retry_after_s", "reason", "claims", "field"]
        ),
        st.none()
        | st.integers()
        | st.floats(allow_nan=True)
        | st.text(st.characters(blacklist_characters="{}"))
        | st.booleans(),
    ),
    st.sampled_from(["ja", "en"]),
)
def test_any_details_give_a_whole_text_and_never_an_exception(
    code: str, details: dict[str, object], lang: str
) -> None:
    text = error_text(code, details, lang)
    assert text
    assert "{" not in text
