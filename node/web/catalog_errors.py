"""What an error says on a campaign page, in any of its five languages.

Japanese and English come from the ja/en tables every page shares (node/web/i18n.py), the one
source of those words; Chinese and Korean from the catalogue's entry with msgctxt `error:<code>`
(node/web/catalog.py explains the convention). The facts an error carries are filled in by the
same rules as node/web/i18n.py's: `{name}` or `{name:style}`, `[...]` shown only with all its
facts; a field's name (`label`) is the catalogue's `field:<name>` entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from babel.numbers import format_currency

from node.web import i18n
from node.web.catalog import Language, translations

UNKNOWN = "error:internal.error"


def catalogued_text(key: str, language: Language) -> str | None:
    """The catalogue's text for `error:<code>` or `field:<name>`, or None for a key no texts
    module defines. A key the catalogue lacks reads in English (the test prevents it)."""
    entry = i18n.TEXTS.get(key)
    if entry is None:
        return None
    if language.tag in ("ja", "en"):
        return entry[0 if language.tag == "ja" else 1]
    return translations(language).pgettext(key, entry[1])


def catalogued_words(language: Language) -> Callable[[str], str]:
    """`t(key)` for texts a campaign page borrows from the ja/en tables (the 資金決済法
    display's `lg_*` words): Japanese and English from the tables, the others from the
    catalogue (node/web/catalog_texts.py LEGAL_DISPLAY_KEYS)."""

    def t(key: str) -> str:
        return catalogued_text(key, language) or i18n.TEXTS[key][1]

    return t


def error_text(code: str, details: Mapping[str, Any], language: Language) -> str:
    """The text of error `code` in `language` with its facts from `details`; an unknown code
    reads as the root error's text. Never raises: the page must still show."""
    if language.tag in ("ja", "en"):
        return i18n.error_text(code, details, language.tag)
    text = catalogued_text(f"error:{code}", language) or catalogued_text(UNKNOWN, language) or ""

    def fact(match: re.Match[str]) -> str | None:
        return format_fact(details.get(match.group(1)), match.group(2) or "", language)

    def optional(match: re.Match[str]) -> str:
        filled = [fact(m) for m in i18n.PLACEHOLDER.finditer(match.group(1))]
        if any(value is None for value in filled):
            return ""
        return i18n.PLACEHOLDER.sub(lambda m: fact(m) or "", match.group(1))

    return i18n.PLACEHOLDER.sub(lambda m: fact(m) or "", i18n.OPTIONAL_PART.sub(optional, text))


def format_fact(value: Any, style: str, language: Language) -> str | None:
    """One fact as node/web/i18n.py writes it, with the texts it names (`error`, `label`) in
    `language`."""
    if style == "error":
        known = value is not None and f"error:{value}" in i18n.TEXTS
        return error_text(str(value), {}, language) if known else None
    if style == "label":
        return None if value is None else catalogued_text(f"field:{value}", language)
    written = i18n.format_fact(value, style, language.tag)
    if style == "yen" and written is not None and language.tag not in ("ja", "en"):
        # A bare ¥ reads as yuan to a Chinese reader: Babel's JP¥ form, as the pages write it.
        return format_currency(int(value), "JPY", locale=language.locale)
    return written


def error_explainer(language: Language) -> Callable[[Any], str]:
    """`explain(error)` for a campaign page: the text of the error's code with its details."""

    def explain(error: Any) -> str:
        return error_text(str(error.code), getattr(error, "details", None) or {}, language)

    return explain
