"""Page text in Japanese (the default) and English; the `lang` cookie chooses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from node.web.texts import (
    admin,
    admin_partners,
    admin_records,
    admin_settlement,
    admin_stores,
    common,
    keypad,
    wallet,
)

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"


def merge_tables(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One table from each area's; a key two areas both define is a mistake caught at import."""
    merged: dict[str, tuple[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"page text defined twice: {sorted(twice)}")
        merged.update(table)
    return merged


# key: (日本語, English). Templates call t("key"); a missing key fails the page's test.
TEXTS = merge_tables(
    common.TEXTS,
    admin.TEXTS,
    admin_records.TEXTS,
    admin_partners.TEXTS,
    admin_settlement.TEXTS,
    admin_stores.TEXTS,
    keypad.TEXTS,
    wallet.TEXTS,
)


def translator(lang: str) -> Callable[[str], str]:
    column = 1 if lang == "en" else 0

    def t(key: str) -> str:
        return TEXTS[key][column]

    return t


def error_explainer(lang: str) -> Callable[[Any], str]:
    """An error's message in the reader's language where the page text has one (key
    `error:<code>`) and the error says no more than its class does; else its own message."""
    column = 1 if lang == "en" else 0

    def explain(error: Any) -> str:
        text = TEXTS.get(f"error:{error.code}")
        is_plain = error.message == (type(error).__doc__ or "").strip()
        return text[column] if text is not None and is_plain else str(error.message)

    return explain


def choose_language(cookie: str | None, accept_language: str) -> str:
    if cookie in LANGUAGES:
        return str(cookie)
    # Japanese unless the browser asks for English before Japanese.
    preferred = [part.split(";")[0].strip().lower()[:2] for part in accept_language.split(",")]
    for code in preferred:
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
