"""The campaign pages' five languages: the catalogues are whole (every message of the sources
translated in ja, en, zh_Hans, zh_Hant and ko, same placeholders, no fuzzy guess), the template
follows the sources, every error code a campaign page can show is said in every language, the
checks catch a planted gap, and a real node answers in the language asked for.

docs/operations.md ("自治体キャンペーン" → "Languages") says how to fix a failure here.
"""

from __future__ import annotations

import asyncio
import gettext
import shutil
from pathlib import Path

import aiohttp
import pytest
from babel.messages.catalog import Catalog
from jinja2 import meta

import node.errors
from node.errors import KippuError
from node.web.campaign_render import environment, page_gettext
from node.web.catalog import (
    BY_TAG,
    LANGUAGES,
    LOCALE_DIR,
    Language,
    catalogue_path,
    choose_language,
    compile_catalogue,
)
from node.web.catalog_check import (
    MAPPING,
    TEMPLATE,
    error_code_problems,
    extract_sources,
    read_catalogue,
    read_catalogues,
    source_text_problems,
    stale_template,
    translation_problems,
)
from node.web.catalog_fill import take_translations, write_catalogue
from node.web.catalog_texts import SHARED_KEYS, campaign_error_keys, text_entries
from tests.conftest import AsyncNode

KO, ZH_HANS, ZH_HANT = BY_TAG["ko"], BY_TAG["zh-Hans"], BY_TAG["zh-Hant"]
TEMPLATES = Path(__file__).resolve().parent.parent / "node" / "web" / "templates"


def campaign_error_codes() -> set[str]:
    """Every code of the campaigns branch (node/errors/campaigns.py), and the shared codes a
    campaign page can show (node/web/catalog_texts.py SHARED_KEYS)."""
    keys = campaign_error_keys() | {key for key in SHARED_KEYS if key.startswith("error:")}
    return {key.removeprefix("error:") for key in keys}


# -- the catalogues as committed -------------------------------------------------------------


def test_every_message_is_translated_in_every_language() -> None:
    template = read_catalogue(TEMPLATE)
    catalogues = read_catalogues()
    assert len(list(template)) > 20  # the template is really read
    problems = [
        problem
        for language in LANGUAGES
        for problem in translation_problems(template, catalogues[language], language)
    ]
    assert problems == [], "\n".join(problems)


def test_the_template_follows_the_sources() -> None:
    problems = stale_template(read_catalogue(TEMPLATE), extract_sources())
    assert problems == [], "run make catalogs:\n" + "\n".join(problems)


def test_every_error_code_of_the_campaign_pages_is_said_in_every_language() -> None:
    problems = error_code_problems(campaign_error_codes(), read_catalogues())
    assert problems == [], "\n".join(problems)


def test_japanese_and_english_error_entries_say_what_the_texts_say() -> None:
    problems = source_text_problems(read_catalogues())
    assert problems == [], "run make catalogs:\n" + "\n".join(problems)


def test_each_catalogue_is_of_its_language_and_loads() -> None:
    for language in LANGUAGES:
        compiled = compile_catalogue(catalogue_path(language), language.locale)
        assert compiled.info()["language"] == language.locale
        # the plural rule is the language's own (Babel's data), not a hand-edited header's
        assert compiled.info()["plural-forms"] == Catalog(locale=language.locale).plural_forms


def test_the_campaigns_error_branch_is_found() -> None:
    assert node.errors.KippuError is KippuError  # the whole tree is imported for the walk
    assert {"error:campaign.sold_out", "error:campaign.limit_reached"} <= campaign_error_keys()
    assert "error:voucher.exhausted" not in campaign_error_keys()


STORES_TEXTS = """
TEXTS: dict[str, tuple[str, str]] = {
    "error:campaign.sold_out": ("配布終了", "All given out."),
    "error:store.bank_unknown": ("その銀行はありません。", "There is no such bank."),
    "field:bank": ("銀行", "Bank"),
    "wallet_title": ("マイ商品券", "My vouchers"),
}
"""
OTHER_TEXTS = """
TEXTS = {
    "error:voucher.exhausted": ("残高がありません。", "Nothing is left."),
    "error:auth.csrf": ("期限切れ", "Out of date."),
    "field:bank": ("銀行", "Bank"),
}
"""


def test_a_texts_module_with_a_campaign_code_is_extracted_whole() -> None:
    """Whoever writes a campaign error's texts, in whatever module, it reaches the catalogue."""
    taken = [
        message for _, _, message, _ in text_entries(STORES_TEXTS.encode(), "errors_stores.py")
    ]
    assert taken == [
        ("error:campaign.sold_out", "All given out."),
        ("error:store.bank_unknown", "There is no such bank."),
        ("field:bank", "Bank"),
    ]
    shared = [
        message for _, _, message, _ in text_entries(OTHER_TEXTS.encode(), "errors_ledger.py")
    ]
    assert shared == [("error:auth.csrf", "Out of date.")]
    named = [
        message for _, _, message, _ in text_entries(OTHER_TEXTS.encode(), "campaign_stores.py")
    ]
    assert len(named) == 3


# -- the checks catch a planted gap ----------------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A copy of the catalogues to break."""
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy)
    return copy


def edit(locale_dir: Path, language: Language, msgid: str, context: str | None = None) -> Catalog:
    """Read a catalogue of the copy; the test changes the entry and writes it back."""
    catalogue = read_catalogue(catalogue_path(language, locale_dir), language.locale)
    assert catalogue.get(msgid, context) is not None, msgid
    return catalogue


def problems_of(locale_dir: Path, language: Language) -> list[str]:
    catalogues = read_catalogues(locale_dir, [language])
    return translation_problems(read_catalogue(TEMPLATE), catalogues[language], language)


def test_a_missing_translation_fails(planted: Path) -> None:
    catalogue = edit(planted, KO, "Campaigns")
    catalogue["Campaigns"].string = ""
    write_catalogue(catalogue_path(KO, planted), catalogue)
    assert problems_of(planted, KO) == ["ko: 'Campaigns': not translated"]


def test_a_removed_entry_fails(planted: Path) -> None:
    catalogue = edit(planted, ZH_HANT, "Free")
    catalogue.delete("Free")
    write_catalogue(catalogue_path(ZH_HANT, planted), catalogue)
    assert problems_of(planted, ZH_HANT) == ["zh_Hant: 'Free': missing (run make catalogs)"]


def test_a_fuzzy_translation_fails(planted: Path) -> None:
    catalogue = edit(planted, ZH_HANS, "Price")
    catalogue["Price"].flags.add("fuzzy")
    write_catalogue(catalogue_path(ZH_HANS, planted), catalogue)
    assert problems_of(planted, ZH_HANS) == [
        "zh_Hans: 'Price': fuzzy (check the translation, then remove the fuzzy flag)"
    ]


@pytest.mark.parametrize(
    ("msgid", "context", "broken", "problem"),
    [
        (
            "%(amount)s of it only at the small local shops",
            None,
            "그중 %(amout)s은 지역 소상점 전용",
            "placeholders not in the English: ['amout']",
        ),
        ("%(start)s to %(end)s", None, "%(start)s ~", "placeholders missing: ['end']"),
        ("Campaigns run by %(office)s.", None, "100% %(office)s", "does not format: ValueError"),
        ("Up to %(num)s time", None, ("최대 회",), "placeholders missing: ['num']"),
        (
            "Too many attempts. Please wait [about {retry_after_s:minutes} min ]and try again.",
            "error:auth.throttled",
            "시도 횟수가 너무 많습니다. 약 {retry_after_s:minutes}분 기다린 후 다시 시도해 주세요.",
            "facts in [optional parts]: [], the English's: ['retry_after_s']",
        ),
        (
            "Too many attempts. Please wait [about {retry_after_s:minutes} min ]and try again.",
            "error:auth.throttled",
            "시도 횟수가 너무 많습니다. [약 {retry_after_s:minutes}분 기다린 후 다시 시도해 주세요.",
            "unpaired [ ] around an optional part",
        ),
        (
            "Too many attempts. Please wait [about {retry_after_s:minutes} min ]and try again.",
            "error:auth.throttled",
            "시도 횟수가 너무 많습니다. [약 {retry:minutes}분 ]기다린 후 다시 시도해 주세요.",
            "placeholders not in the English: ['retry']",
        ),
    ],
)
def test_a_translation_with_other_placeholders_fails(
    planted: Path, msgid: str, context: str | None, broken: str | tuple[str], problem: str
) -> None:
    catalogue = edit(planted, KO, msgid, context)
    catalogue.get(msgid, context).string = broken
    write_catalogue(catalogue_path(KO, planted), catalogue)
    found = problems_of(planted, KO)
    assert len(found) == 1 and problem in found[0], found


def test_an_untranslated_error_code_fails(planted: Path) -> None:
    csrf = "error:auth.csrf"
    english = (
        "The form was out of date, so nothing was changed. Please reload the page and try again."
    )
    catalogue = edit(planted, ZH_HANT, english, csrf)
    catalogue.delete(english, csrf)
    write_catalogue(catalogue_path(ZH_HANT, planted), catalogue)
    catalogues = read_catalogues(planted)
    assert error_code_problems({"auth.csrf"}, catalogues) == [
        "zh_Hant: error code auth.csrf not translated"
    ]
    # and a code with no ja/en text at all is named too
    assert error_code_problems({"campaign.nowhere"}, {KO: catalogues[KO]}) == [
        "campaign.nowhere: no ja/en text in node/web/texts"
    ]


def test_a_message_added_to_the_sources_makes_the_template_stale(tmp_path: Path) -> None:
    pages = tmp_path / "node" / "web" / "templates" / "campaigns"
    pages.mkdir(parents=True)
    (pages / "new.html").write_text('<p>{{ _("A brand new sentence") }}</p>', encoding="utf-8")
    extracted = extract_sources(tmp_path, MAPPING)
    problems = stale_template(read_catalogue(TEMPLATE), extracted)
    assert "in the sources, not in campaigns.pot: 'A brand new sentence'" in problems
    assert "in campaigns.pot, gone from the sources: 'Campaigns'" in problems


def test_an_english_entry_that_drifted_from_the_texts_fails(planted: Path) -> None:
    en = BY_TAG["en"]
    english = "Amount"
    catalogue = edit(planted, en, english, "field:amount")
    catalogue.get(english, "field:amount").string = "Sum"
    write_catalogue(catalogue_path(en, planted), catalogue)
    assert source_text_problems(read_catalogues(planted, [en])) == [
        "en: field:amount differs from node/web/texts"
    ]


# -- choosing the language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "chosen"),
    [
        (None, None, "", "ja"),
        (None, None, "fr-FR,fr;q=0.9", "ja"),
        (None, None, "zh-TW,zh;q=0.9", "zh-Hant"),
        (None, None, "zh-HK", "zh-Hant"),
        (None, None, "zh-Hant-CN", "zh-Hant"),
        (None, None, "zh", "zh-Hans"),
        (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        (None, None, "zh-Hans-TW", "zh-Hans"),
        (None, None, "ko-KR,ko;q=0.9", "ko"),
        (None, None, "en-GB,en;q=0.9,ja;q=0.8", "en"),
        (None, None, "en;q=0.5, ko;q=0.8", "ko"),
        (None, None, "ko;q=0, en", "en"),
        (None, None, "de, en;q=bad, ja;q=0.3", "ja"),
        (None, "ko", "en", "ko"),
        (None, "zh-Hant", "ja", "zh-Hant"),
        (None, "xx", "en", "en"),
        ("zh_Hans", "ko", "en", "zh-Hans"),
        ("en", "ko", "ja", "en"),
        ("klingon", "ko", "en", "ko"),
    ],
)
def test_the_language_is_the_query_then_the_cookie_then_the_browser(
    query: str | None, cookie: str | None, accept: str, chosen: str
) -> None:
    assert choose_language(query, cookie, accept).tag == chosen


# -- a real node -----------------------------------------------------------------------------


async def get_page(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None
) -> tuple[int, str, aiohttp.ClientResponse]:
    async with http.get(url, headers=headers or {}) as response:
        return response.status, await response.text(), response


async def test_lang_ko_answers_korean_and_keeps_it_in_the_cookie(anode: AsyncNode) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        url = f"{anode.base_url}/campaigns"
        status, text, response = await get_page(http, f"{url}?lang=ko", {"Accept-Language": "ja"})
        assert status == 200
        assert '<html lang="ko">' in text and "현재 진행 중인 캠페인이 없습니다" in text
        assert response.headers["Content-Language"] == "ko"
        assert response.cookies["kippu_lang"].value == "ko"
        assert response.cookies["kippu_lang"]["path"] == "/"
        # the picker keeps this page: each language's link is /campaigns in that language
        assert 'href="/campaigns?lang=zh-Hant"' in text and 'aria-current="true">한국어' in text
        # the cookie keeps Korean on the next page, whatever the browser prefers
        status, text, response = await get_page(http, url, {"Accept-Language": "en"})
        assert status == 200 and '<html lang="ko">' in text and "캠페인" in text
        assert "kippu_lang" not in response.cookies


async def test_accept_language_zh_tw_answers_traditional_chinese(anode: AsyncNode) -> None:
    async with aiohttp.ClientSession() as http:
        headers = {"Accept-Language": "zh-TW,zh;q=0.9,en;q=0.8"}
        status, text, response = await get_page(http, f"{anode.base_url}/campaigns", headers)
        assert status == 200
        assert '<html lang="zh-Hant">' in text
        assert "目前沒有進行中的活動" in text and "目前没有进行中的活动" not in text
        assert "kippu_lang" not in response.cookies  # only a picked language is remembered


async def test_concurrent_readers_each_get_their_own_language(anode: AsyncNode) -> None:
    expected = {
        "ja": "現在実施中のキャンペーンはありません",
        "en": "There are no campaigns at the moment",
        "zh-Hans": "目前没有进行中的活动",
        "zh-Hant": "目前沒有進行中的活動",
        "ko": "현재 진행 중인 캠페인이 없습니다",
    }
    tags = [language.tag for language in LANGUAGES] * 8
    async with aiohttp.ClientSession() as http:
        pages = await asyncio.gather(
            *(get_page(http, f"{anode.base_url}/campaigns?lang={tag}") for tag in tags)
        )
    for tag, (status, text, _) in zip(tags, pages, strict=True):
        assert status == 200 and f'<html lang="{tag}">' in text, tag
        assert expected[tag] in text
        assert all(phrase not in text for other, phrase in expected.items() if other != tag)


# -- the templates speak gettext, as extracted -------------------------------------------------

CAMPAIGN_TEMPLATES = sorted(
    path.relative_to(TEMPLATES).as_posix()
    for pattern in ("campaign*.html", "campaign*/**/*.html")
    for path in TEMPLATES.glob(pattern)
)


def test_campaign_templates_use_the_catalogue_not_the_ja_en_table() -> None:
    assert "campaign_base.html" in CAMPAIGN_TEMPLATES
    assert "campaigns/_language_picker.html" in CAMPAIGN_TEMPLATES
    for name in CAMPAIGN_TEMPLATES:
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        used = meta.find_undeclared_variables(environment().parse(source))
        assert not used & {"t", "shop_brand"}, (name, used & {"t", "shop_brand"})


class Recording(gettext.NullTranslations):
    """What a render asks the catalogue for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def gettext(self, message: str) -> str:
        self.asked.append(message)
        return message


def test_a_trans_block_is_looked_up_as_it_is_extracted(tmp_path: Path) -> None:
    source = "<p>{% trans office=name %}\n  Welcome to\n     {{ office }}.\n{% endtrans %}</p>"
    pages = tmp_path / "node" / "web" / "templates" / "campaigns"
    pages.mkdir(parents=True)
    (pages / "welcome.html").write_text(source, encoding="utf-8")
    extracted = [message.id for message in extract_sources(tmp_path, MAPPING) if message.id]
    recording = Recording()
    shown = environment().from_string(source).render(**page_gettext(recording), name="<市>")
    assert extracted == recording.asked == ["Welcome to %(office)s."]
    assert shown == "<p>Welcome to &lt;市&gt;.</p>"


def test_after_a_merge_the_other_sides_translations_are_taken(planted: Path) -> None:
    ours = edit(planted, KO, "Campaigns")
    ours["Campaigns"].string = ""  # a message our side added after the other side translated it
    ours["Free"].string = "공짜"  # translated on our side: kept
    theirs = edit(LOCALE_DIR, KO, "Campaigns")
    theirs["Price"].flags.add("fuzzy")  # a guess on their side: never taken
    ours["Price"].string = ""
    assert take_translations(ours, theirs) == 1
    assert ours["Campaigns"].string == "캠페인"
    assert ours["Free"].string == "공짜"
    assert ours["Price"].string == ""
