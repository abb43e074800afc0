"""The campaign pages' five languages: the catalogues are whole (every message of the sources
translated in ja, en, zh_Hans, zh_Hant and ko, same placeholders, no fuzzy guess), the template
follows the sources, every error code a campaign page can show is said in every language, the
checks catch a planted gap, and a real node answers in the language asked for.

docs/operations.md ("自治体キャンペーン" → "Languages") says how to fix a failure here.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from babel.messages.catalog import Catalog

import node.errors
from node.errors import KippuError
from node.web.brand import PageBrand
from node.web.campaign_public import CampaignListing
from node.web.campaign_render import page_text
from node.web.campaign_words import KIND_NAMES
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
from node.web.catalog_errors import error_text
from node.web.catalog_fill import write_catalogue
from node.web.catalog_texts import SHARED_KEYS
from tests.conftest import AsyncNode

KO, ZH_HANS, ZH_HANT = BY_TAG["ko"], BY_TAG["zh-Hans"], BY_TAG["zh-Hant"]
TOKYO = ZoneInfo("Asia/Tokyo")


def campaign_error_codes() -> set[str]:
    """Every code of the campaigns branch (node/errors/campaigns.py), and the shared codes a
    campaign page can show (node/web/catalog_texts.py SHARED_KEYS)."""
    found: set[str] = set()
    todo: list[type[KippuError]] = [KippuError]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__ == "node.errors.campaigns":
            found.add(cls.code)
    shared = {key.removeprefix("error:") for key in SHARED_KEYS if key.startswith("error:")}
    return found | shared


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
    assert node.errors.KippuError is KippuError  # the whole tree was imported for the walk above


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
        ("Until %(end)s", None, "%(ende)s까지", "placeholders not in the English: ['ende']"),
        ("%(start)s to %(end)s", None, "%(start)s ~", "placeholders missing: ['end']"),
        ("From %(start)s", None, "100% %(start)s부터", "does not format: ValueError"),
        (
            "Too many attempts. Please wait [about {retry_after_s:minutes} min ]and try again.",
            "error:auth.throttled",
            "시도 횟수가 너무 많습니다. [약 {retry:minutes}분 ]기다린 후 다시 시도해 주세요.",
            "placeholders not in the English: ['retry']",
        ),
    ],
)
def test_a_translation_with_other_placeholders_fails(
    planted: Path, msgid: str, context: str | None, broken: str, problem: str
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


# -- pages and errors in every language ------------------------------------------------------

LISTING = CampaignListing(
    campaign_id="c1",
    name="さくら市プレミアム商品券",
    kind="premium",
    starts=datetime(2026, 12, 1, 0, 0, tzinfo=UTC),
    ends=datetime(2027, 1, 31, 14, 59, tzinfo=UTC),
    face_yen=13_000,
    price_yen=10_000,
    terms="お一人様5冊まで",
)
EXPECTED = {
    "ja": ("プレミアム商品券", "額面", "¥13,000", "2026年12月1日 09:00", "販売価格"),
    "en": ("Premium voucher", "Value", "¥13,000", "December 1, 2026 09:00", "Price"),
    "zh-Hans": ("超值商品券", "面额", "JP¥13,000", "2026年12月1日 09:00", "售价"),
    "zh-Hant": ("超值商品券", "面額", "¥13,000", "2026年12月1日 09:00", "售價"),
    "ko": ("프리미엄 상품권", "액면가", "JP¥13,000", "2026년 12월 1일 09:00", "판매 가격"),
}


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.tag)
def test_the_campaign_list_reads_in_each_language(language: Language) -> None:
    office = PageBrand("さくら市 <商工会>", "さくら市")
    page = page_text(
        "campaigns/list.html",
        language,
        zone=TOKYO,
        office=office,
        links={other.tag: f"/campaigns?lang={other.tag}" for other in LANGUAGES},
        context={"campaigns": [LISTING], "kind_names": KIND_NAMES},
    )
    assert f'<html lang="{language.tag}">' in page
    for expected in EXPECTED[language.tag]:
        assert expected in page, (language.tag, expected)
    assert "<商工会>" not in page and "&lt;商工会&gt;" in page  # the office's name is escaped
    for other in LANGUAGES:  # the picker names every language in itself
        assert f'hreflang="{other.tag}" id="lang-{other.tag}"' in page
        assert other.native_name in page


def test_an_error_reads_in_korean_and_chinese_with_its_facts() -> None:
    invalid = {"field": "amount", "max_chars": 5}
    assert error_text("request.invalid", invalid, KO) == (
        "‘금액’의 입력 내용에 오류가 있습니다. 5자 이내로 입력해 주세요. 확인 후 다시 시도해 주세요."
    )
    assert error_text("request.invalid_amount", {"maximum": 50_000}, ZH_HANS) == (
        "金额请输入1日元以上的整数（数字0-9）。上限为JP¥50,000。"
    )
    assert error_text("auth.throttled", {}, ZH_HANT) == "嘗試次數過多。請等待後重試。"
    assert error_text("no.such_code", {}, KO) == error_text("internal.error", {}, KO)
    assert error_text("auth.csrf", {}, BY_TAG["ja"]).startswith("フォームの有効期限が切れました")


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
