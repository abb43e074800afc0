"""Page text in Japanese (the default) and English; the `lang` cookie chooses."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from node.web.texts import (
    admin,
    admin_campaign_gates,
    admin_campaign_payouts,
    admin_campaigns,
    admin_compliance,
    admin_console,
    admin_keys,
    admin_partners,
    admin_points,
    admin_points_ranks,
    admin_points_reports,
    admin_products,
    admin_records,
    admin_settlement,
    admin_store_applications,
    admin_stores,
    admin_webhooks,
    brand,
    campaign_bank,
    campaign_carry,
    campaign_gates,
    campaign_keys,
    campaign_premium,
    campaign_receive,
    campaign_verify,
    common,
    counter,
    counter_sales,
    crm,
    crm_console,
    crm_mail_console,
    crm_profiles,
    error_pages,
    errors,
    errors_campaign_stores,
    errors_campaigns,
    errors_compliance,
    errors_crm,
    errors_ledger,
    errors_payments,
    errors_peering,
    errors_points,
    errors_points_books,
    errors_products,
    errors_refunds,
    errors_registration,
    errors_rush,
    errors_service,
    errors_settlement,
    keypad,
    layout,
    legal,
    points_counter,
    points_exchange,
    points_ranks,
    points_wallet,
    refunds,
    shop,
    store_applications_polish,
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
    admin_points_reports.TEXTS,
    admin_settlement.TEXTS,
    admin_stores.TEXTS,
    admin_store_applications.TEXTS,
    counter_sales.TEXTS,
    keypad.TEXTS,
    brand.TEXTS,
    admin_console.TEXTS,
    admin_compliance.TEXTS,
    errors.TEXTS,
    errors_ledger.TEXTS,
    errors_peering.TEXTS,
    errors_campaigns.TEXTS,
    campaign_gates.TEXTS,
    campaign_receive.TEXTS,
    admin_campaign_gates.TEXTS,
    errors_campaign_stores.TEXTS,
    errors_rush.TEXTS,
    errors_points.TEXTS,
    errors_points_books.TEXTS,
    admin_webhooks.TEXTS,
    errors_registration.TEXTS,
    errors_settlement.TEXTS,
    errors_service.TEXTS,
    errors_products.TEXTS,
    errors_refunds.TEXTS,
    refunds.TEXTS,
    errors_compliance.TEXTS,
    errors_payments.TEXTS,
    error_pages.TEXTS,
    admin_keys.TEXTS,
    admin_products.TEXTS,
    layout.TEXTS,
    counter.TEXTS,
    wallet.TEXTS,
    shop.TEXTS,
    legal.TEXTS,
    admin_points.TEXTS,
    admin_points_ranks.TEXTS,
    points_ranks.TEXTS,
    points_wallet.TEXTS,
    points_counter.TEXTS,
    points_exchange.TEXTS,
    campaign_bank.TEXTS,
    admin_campaigns.TEXTS,
    campaign_verify.TEXTS,
    admin_campaign_payouts.TEXTS,
    store_applications_polish.TEXTS,
    campaign_keys.TEXTS,
    campaign_carry.TEXTS,
    campaign_premium.TEXTS,
    crm.TEXTS,
    crm_console.TEXTS,
    crm_mail_console.TEXTS,
    crm_profiles.TEXTS,
    errors_crm.TEXTS,
)


def translator(lang: str) -> Callable[[str], str]:
    column = 1 if lang == "en" else 0

    def t(key: str) -> str:
        return TEXTS[key][column]

    return t


# `{name}` or `{name:format}` in an error text; `[...]` a part shown only with all its facts.
PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
OPTIONAL_PART = re.compile(r"\[([^\[\]]*)\]")


def error_text(code: str, details: Mapping[str, Any], lang: str) -> str:
    """The text of error `code` in `lang` with its facts filled in from `details`: a part in
    brackets whose facts are missing is left out, a missing fact outside brackets reads as
    nothing (never an exception: the page must still show). An unknown code reads as the
    root error's text."""
    column = 1 if lang == "en" else 0
    entry = TEXTS.get(f"error:{code}") or TEXTS["error:internal.error"]

    def fact(match: re.Match[str]) -> str | None:
        return format_fact(details.get(match.group(1)), match.group(2) or "", lang)

    def optional(match: re.Match[str]) -> str:
        filled = [fact(m) for m in PLACEHOLDER.finditer(match.group(1))]
        if any(value is None for value in filled):
            return ""
        return PLACEHOLDER.sub(lambda m: fact(m) or "", match.group(1))

    return PLACEHOLDER.sub(lambda m: fact(m) or "", OPTIONAL_PART.sub(optional, entry[column]))


def format_fact(value: Any, style: str, lang: str) -> str | None:
    """One fact as people write it, or None if it is missing or not of its kind. Styles:
    `yen` ¥1,234; `minutes` whole minutes, at least 1; `error` the text of the error code it
    holds; `label` the name of the form field it holds; none: the value as it is."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if value is None or (style in ("yen", "minutes") and not (is_number and math.isfinite(value))):
        return None
    if style == "yen":
        return f"¥{int(value):,}"
    if style == "minutes":
        return str(max(1, math.ceil(value / 60)))
    if style == "error":
        return error_text(str(value), {}, lang) if f"error:{value}" in TEXTS else None
    if style == "label":
        label = TEXTS.get(f"field:{value}")
        return None if label is None else label[1 if lang == "en" else 0]
    return str(value)


def error_explainer(lang: str) -> Callable[[Any], str]:
    """What an error says on a page: always our text for its code in the reader's language,
    with the facts it carries (`error.details`); never its English `message`, which is the
    JSON API's."""

    def explain(error: Any) -> str:
        return error_text(str(error.code), getattr(error, "details", None) or {}, lang)

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
