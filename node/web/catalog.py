"""The five languages of the campaign pages (自治体キャンペーン: resident and store pages) and their
gettext message catalogues, read from node/web/locale/<locale>/LC_MESSAGES/campaigns.po.

The rest of the node's pages keep their ja/en tables (node/web/i18n.py); the campaign pages speak
Japanese, English, Simplified and Traditional Chinese and Korean, so their words live in gettext
catalogues that translators and tools (Babel's `pybabel`, any PO editor) understand. The
workflow is in docs/operations.md ("自治体キャンペーン" → "Languages").

Conventions:
- msgids are English; `%(name)s` placeholders (Jinja2's newstyle gettext formats every message,
  so a literal percent sign is written `%%`).
- What an error code says is the entry with msgctxt `error:<code>` and the English text of
  node/web/texts as msgid (placeholders `{name}` / `{name:style}` and `[...]` optional parts, as
  in node/web/i18n.py); a form field's name is msgctxt `field:<name>`. They are extracted from
  the texts modules by node/web/catalog_texts.py, so the catalogue follows the ja/en tables.

Catalogues are read once per process with Babel and compiled in memory (no .mo file is built or
committed); the `.po` files ship with the package.
"""

from __future__ import annotations

import asyncio
import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aiohttp import web
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "campaigns"
LANG_COOKIE = "kippu_lang"  # shared with the ja/en pages (node/web/pages.py), which ignore the rest
LANG_PARAMETER = "lang"


@dataclass(frozen=True)
class Language:
    """One language the campaign pages speak."""

    tag: str  # BCP 47, as in <html lang>, the ?lang= parameter and the cookie: zh-Hant
    locale: str  # Babel's locale id, the catalogue's directory: zh_Hant
    native_name: str  # the language named in itself, as the picker shows it


LANGUAGES: tuple[Language, ...] = (
    Language("ja", "ja", "日本語"),
    Language("en", "en", "English"),
    Language("zh-Hans", "zh_Hans", "简体中文"),
    Language("zh-Hant", "zh_Hant", "繁體中文"),
    Language("ko", "ko", "한국어"),
)
DEFAULT = LANGUAGES[0]
BY_TAG = {language.tag: language for language in LANGUAGES}

# Regions whose Chinese is written in traditional characters when the browser names no script.
TRADITIONAL_REGIONS = frozenset({"tw", "hk", "mo"})


def language_named(name: str | None) -> Language | None:
    """The language a ?lang= value, a cookie or an Accept-Language range names, or None.

    Case and `-`/`_` do not matter (zh-hant, zh_Hant); a region picks the script for Chinese
    (zh-TW, zh-HK, zh-MO: traditional; any other or none: simplified); ja-JP, en-GB, ko-KR are
    their language."""
    if not name:
        return None
    parts = name.strip().replace("_", "-").lower().split("-")
    first = parts[0]
    if first == "zh":
        rest = set(parts[1:])
        is_traditional = "hant" in rest or (bool(rest & TRADITIONAL_REGIONS) and "hans" not in rest)
        return BY_TAG["zh-Hant" if is_traditional else "zh-Hans"]
    return BY_TAG.get(first) if first in ("ja", "en", "ko") else None


def preferred_languages(accept_language: str) -> list[Language]:
    """The languages an Accept-Language header asks for that we speak, best first (q-values
    honoured, q=0 meaning "not this one", ties kept in the header's order)."""
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate(accept_language.split(",")):
        name, _, parameters = part.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = language_named(name)
        if language is not None and quality > 0:
            ranked.append((-quality, position, language))
    # Positions differ, so the sort never compares two languages.
    return [language for _, _, language in sorted(ranked)]


def choose_language(query: str | None, cookie: str | None, accept_language: str) -> Language:
    """The page's language: ?lang= first (the picker's links), then the cookie it left, then
    the browser's Accept-Language, Japanese when none of them names one of ours."""
    for named in (query, cookie):
        language = language_named(named)
        if language is not None:
            return language
    preferred = preferred_languages(accept_language)
    return preferred[0] if preferred else DEFAULT


def catalogue_path(language: Language, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language.locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogue(po_file: Path, locale: str) -> gettext.GNUTranslations:
    """A .po file as the standard library's translations object, compiled in memory. Fuzzy
    entries are left out, as gettext's own compiler does: a guess is not a translation."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def translations(language: Language) -> gettext.GNUTranslations:
    """The catalogue of `language`, read once per process (Language is hashable and frozen)."""
    return compile_catalogue(catalogue_path(language), language.locale)


def load_all(languages: Iterable[Language] = LANGUAGES) -> None:
    """Read every catalogue now (a few tens of milliseconds: Babel parses the .po files)."""
    for language in languages:
        translations(language)


def install(app: web.Application) -> None:
    """Read the catalogues while the node starts, in a thread: no page waits on them, the event
    loop is never held up by the parsing, and a broken catalogue stops the node before it
    serves."""

    async def load(app: web.Application) -> None:
        await asyncio.to_thread(load_all)

    app.on_startup.append(load)
