"""A Babel extractor that puts what error codes and form fields say (node/web/texts) into the
campaign pages' catalogue, so the Chinese and Korean translations sit beside everything else.

babel.cfg names it for every texts module with `keys = campaigns`. A module is a campaign
module when its name holds `campaign` or it says what a code of the campaigns' error branch
(node/errors/campaigns.py) says: every `error:` and `field:` key of it is taken, whoever wrote it.
Of the other modules only SHARED_KEYS are taken: what any resident or store page can show, such
as a form error or an expired form; and LEGAL_DISPLAY_KEYS, the 資金決済法 display's words
(msgctxt the key, `lg_title`), which a premium campaign's page shows in the reader's language.
Each key becomes an entry with msgctxt the key and msgid the English text; the Japanese text
goes along as a comment for translators. The texts module is read, never imported; the error
tree is imported to know the campaigns' codes.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import PurePath
from typing import IO, Any

from node.errors import KippuError

# Codes and fields outside the campaign areas that a resident or store page can show.
SHARED_KEYS = frozenset(
    {
        "error:internal.error",
        "error:request.invalid",
        "error:request.not_found",
        "error:request.invalid_text",
        "error:request.invalid_amount",
        "error:request.no_page",
        "error:auth.not_signed_in",
        "error:auth.link_invalid",
        "error:auth.csrf",
        "error:auth.throttled",
        "error:server.too_many_connections",
        # paying at a store with a campaign coupon
        "error:ledger.refused",
        "error:ledger.insufficient_balance",
        "error:ledger.amount_over_limit",
        "error:voucher.expired",
        "error:voucher.not_active",
        "error:voucher.not_found",
        "error:voucher.suspended",
        "error:store.not_found",
        # buying a premium campaign's set by card (node/web/campaign_premium.py)
        "error:payment.declined",
        "error:payment.disabled",
        "error:payment.provider_unavailable",
        "error:payment.not_found",
        "error:refund.business_abolished",
        "field:payment_method",
        "field:amount",
        "field:email",
        "field:name",
        "field:number",
    }
)
# The 資金決済法 display's words (node/web/texts/legal.py, as _legal_display.html shows them),
# which a premium campaign's page shows in the reader's language beside the binding Japanese.
LEGAL_DISPLAY_KEYS = frozenset(
    {
        *(f"lg_{k}" for k in ("title", "issuer", "address", "registration", "amount", "face")),
        *(f"lg_{k}" for k in ("balance", "amount_general", "validity", "validity_general")),
        *(f"lg_{k}" for k in ("valid_through", "valid_days_before", "valid_days_after")),
        *(f"lg_{k}" for k in ("no_expiry", "class", "class_own", "class_third_party")),
        *(f"lg_{k}" for k in ("class_exempt", "complaint_desk", "not_set", "places")),
        *(f"lg_{k}" for k in ("own_stores", "no_stores", "partner_stores", "partner_no_list")),
        *(f"lg_{k}" for k in ("cautions", "caution_refund", "caution_change", "caution_expiry")),
        *(f"lg_{k}" for k in ("caution_code", "balance_check", "balance_check_text", "terms")),
        *(f"lg_{k}" for k in ("terms_text", "deposit", "deposit_purpose", "deposit_priority")),
        *(f"lg_{k}" for k in ("deposit_method", "deposit_deposit", "deposit_guarantee")),
        *(f"lg_{k}" for k in ("deposit_trust", "deposit_none", "fraud")),
    }
)
KEY_PREFIXES = ("error:", "field:", "lg_")

Extracted = tuple[int, str, tuple[str, str], list[str]]


def texts_table(tree: ast.Module) -> ast.Dict | None:
    """The literal dict assigned to TEXTS at module level, if there is one."""
    for statement in tree.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            target, value = statement.target.id, statement.value
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            first = statement.targets[0]
            target, value = (first.id if isinstance(first, ast.Name) else ""), statement.value
        else:
            continue
        if target == "TEXTS" and isinstance(value, ast.Dict):
            return value
    return None


@cache
def campaign_error_keys() -> frozenset[str]:
    """`error:<code>` for every class of the campaigns' error branch (node/errors/campaigns.py)."""
    found: set[str] = set()
    todo: list[type[KippuError]] = [KippuError]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__ == "node.errors.campaigns":
            found.add(f"error:{cls.code}")
    return frozenset(found)


def text_items(source: bytes) -> Iterator[tuple[int, str, str, str]]:
    """(line, key, 日本語, English) for each error or field text of the module's TEXTS."""
    table = texts_table(ast.parse(source))
    if table is None:
        return
    for key_node, value_node in zip(table.keys, table.values, strict=True):
        if key_node is None:  # a `**other` spread: not a literal entry
            continue
        key = ast.literal_eval(key_node)
        if isinstance(key, str) and key.startswith(KEY_PREFIXES):
            japanese, english = ast.literal_eval(value_node)
            yield key_node.lineno, key, japanese, english


def text_entries(source: bytes, module_name: str) -> Iterator[Extracted]:
    """(line, "pgettext", (key, English), ["ja: 日本語"]) for each text of a campaign module
    (see the module's docstring), or each of SHARED_KEYS in another."""
    items = list(text_items(source))
    is_campaigns = "campaign" in module_name or any(
        key in campaign_error_keys() for _, key, _, _ in items
    )
    for line, key, japanese, english in items:
        if is_campaigns or key in SHARED_KEYS or key in LEGAL_DISPLAY_KEYS:
            yield line, "pgettext", (key, english), [f"ja: {japanese}"]


def extract_texts(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel's extractor interface (babel.cfg: `[kippu_texts: node/web/texts/*.py]`)."""
    name = PurePath(str(getattr(fileobj, "name", ""))).name
    yield from text_entries(fileobj.read(), name)
